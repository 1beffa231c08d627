"""Deploying diagrams: the linter with what this app knows (handler topics, forms, email
templates), and the one deploy use case the CLI, the owners' pages and the tests call."""
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from app.platform import handlers as handler_registry
from app.accounts.policy import can_deploy
from app.engine.deployment import Deployed, deploy, deployed_tables
from app.engine.lint import Linter, read_documents
from app.engine.models import ProcessVersion
from app.engine.versions import diff_summary
from app.platform.extensions import db
from app.platform.refusals import NotAllowed
from app.task_forms.store import form_problem


def make_linter() -> Linter:
    """The deploy-time linter with what this app knows: handler topics, forms, templates and
    the deployed decision tables (a diagram may use one without bringing it)."""
    linter = Linter(topics=handler_registry.topics(), form_problem=form_problem,
                    input_problems=handler_registry.input_problems)
    linter.deployed_decisions = deployed_tables(db.session)
    return linter


@dataclass
class Deployment:
    """What a deploy stored: one result per process, new version or unchanged."""
    results: list[Deployed]

    def diff(self) -> dict:
        """The element ids each new version added, removed or changed against the one before."""
        diff = {'added': [], 'removed': [], 'changed': []}
        for result in (r for r in self.results if r.created and r.kind == 'process'):
            before, after = (db.session.scalar(select(ProcessVersion.bpmn_xml).where(
                ProcessVersion.process_id == result.process_id, ProcessVersion.version == number))
                for number in (result.version - 1, result.version))
            for key, ids in diff_summary(before, after, result.process_id).items():
                diff[key] += ids
        return diff


def deploy_documents(*, documents: dict, user=None, actor: str = 'system') -> Deployment:
    """Lint and deploy `documents` for an owner (`user`) or, at the command line, as `actor`."""
    if user is not None:
        if not can_deploy(user):
            raise NotAllowed(_('Su rol no despliega diagramas.'))
        actor = user.username
    return Deployment(deploy(db.session, documents, make_linter(), actor))


def deploy_paths(paths, actor: str) -> list[Deployed]:
    """Lint and deploy the diagrams at `paths` (files or folders); raises DeployRefused."""
    return deploy_documents(documents=read_documents([str(p) for p in paths]), actor=actor).results
