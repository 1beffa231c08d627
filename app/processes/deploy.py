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
from app.cases.service import START_DATA as INTAKE_DATA
from app.task_forms.schema import INPUT_TYPES, FormError
from app.task_forms.languages import OTHER_LANGUAGES, untranslated
from app.task_forms.store import form_problem, load_form


def form_fields(key: str) -> set[str] | None:
    """The variables a form's submission sets (None if the form cannot be read: then lint
    assumes it may set anything). A dynamic list is one variable, its rows are inside it."""
    try:
        components = load_form(key)['components']
    except (FormError, KeyError, TypeError):
        return None
    names, pending = set(), list(components)
    while pending:
        component = pending.pop()
        if component.get('type') == 'dynamiclist':
            names.add(component.get('path') or component.get('key'))
        elif component.get('type') in INPUT_TYPES:
            names.add(component.get('key'))
        elif component.get('path'):
            names.add(component['path'])
        else:
            pending += component.get('components') or []
    return {name for name in names if name}


def form_untranslated(key: str, language: str) -> list[str]:
    """The texts of form `key` lacking their `language` version ([] if it cannot be read: the
    form's own check reports that)."""
    try:
        return untranslated(load_form(key), language)
    except FormError:
        return []


def make_linter() -> Linter:
    """The deploy-time linter with what this app knows: handler topics and outputs, forms and
    their fields, templates, what the intake adds to the data a PQRSF case starts with, and the
    deployed decision tables (a diagram may use one without bringing it)."""
    linter = Linter(topics=handler_registry.topics(), form_problem=form_problem,
                    input_problems=handler_registry.input_problems, form_fields=form_fields,
                    handler_outputs=handler_registry.outputs,
                    intake_data=INTAKE_DATA, form_untranslated=form_untranslated,
                    languages=OTHER_LANGUAGES)
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
