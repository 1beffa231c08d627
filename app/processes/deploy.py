"""Deploying diagrams: the linter with what this app knows (handler topics, forms, email
templates), and the one deploy use case the CLI, the owners' pages and the tests call."""
import handlers

from app.engine.deployment import deploy
from app.engine.lint import Linter, read_documents
from app.platform.extensions import db
from app.task_forms.store import form_problem


def make_linter() -> Linter:
    """The deploy-time linter with what this app knows: handler topics, forms, templates."""
    return Linter(topics=handlers.topics(), form_problem=form_problem,
                  input_problems=handlers.input_problems)


def deploy_paths(paths, actor: str):
    """Lint and deploy the diagrams at `paths` (files or folders); raises DeployRefused."""
    return deploy(db.session, read_documents([str(p) for p in paths]), make_linter(), actor)
