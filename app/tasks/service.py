"""The task use cases: open one to work it, claim, release, reassign, complete. The staff pages
and the API call these and nothing else. Each checks the policy, acts through the engine and
answers what the caller shows next; a refusal is raised (platform.refusals, or the engine's
Conflict/NotFound/StepFailed), never answered, so both callers refuse alike."""
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select

from app.accounts.models import User
from app.accounts.policy import can_claim, can_reassign, can_release, can_work
from app.engine import assignments
from app.engine.errors import CompletionRefused
from app.engine.models import Case, HumanTask
from app.platform.engines import calendar, get_engine
from app.platform.extensions import db
from app.platform.i18n import describe
from app.platform.refusals import Invalid, Missing, NotAllowed, Stale
from app.task_forms.generic import generic_form
from app.task_forms.store import shown_form
from app.task_forms.texts import fill_texts, has_placeholders
from app.task_forms.user_fields import offer_users, parse_task_form
from app.task_forms.walk import every_component
from app.tasks.next_step import problem_errors
from app.tasks.queries import Row, workable_in_case


@dataclass
class Completion:
    """A completed task: the case as the step left it and the tasks of that case the person
    may work now, oldest first (none once the case has ended)."""
    case: Case
    following: list[Row] = field(default_factory=list)


def workable(*, task_id: str, user, may=can_work,
             refusal: str | None = None) -> HumanTask:
    """The open task `user` may act on with `may`; Missing, Stale or NotAllowed otherwise."""
    task = db.session.get(HumanTask, task_id)
    if task is None:
        raise Missing(_('La tarea %(task_id)s no existe.', task_id=task_id))
    if task.state != 'open':
        raise Stale(_('La tarea ya fue completada o ya no está activa.'))
    if not may(user, task):
        raise NotAllowed(refusal or _('Esta tarea es de otro rol o de otra persona.'))
    return task


def form_of(task: HumanTask) -> dict:
    """The definition of the task's form: its form file, else the generic form built from its
    `camunda:formData` (or a comment alone)."""
    return shown_form(task.form_key) if task.form_key else generic_form(task.form_fields, task.element_id)


def task_data(task: HumanTask) -> dict:
    """The task's data as the last step saved it (one workflow read: pass it on to what needs it)."""
    return get_engine().task_data(task.id)


def form_shown(task: HumanTask, data: dict | None = None) -> dict:
    """The form as the task page shows it: the users it may offer, and its text components
    filled with the task's data (`{{ name }}`, e.g. the message to tell a client by phone)."""
    definition = offer_users(form_of(task))
    if not has_placeholders(definition):
        return definition  # nothing to fill: no workflow read
    return fill_texts(definition, task_data(task) if data is None else data)


def prefilled(task: HumanTask, data: dict | None = None) -> dict:
    """What the form shows before anything is typed: the values its fields already have in the
    task's data. A task done again (an analysis redone) shows what was entered the last time."""
    keys = {c['key'] for c in every_component(form_of(task).get('components')) if c.get('key')}
    data = task_data(task) if data is None else data
    return {k: data[k] for k in keys if data.get(k) not in (None, '', [])}


def complete(*, task_id: str, user, submitted) -> Completion:
    """Complete a task with what its form sent (a browser's form or an API body), as `user`."""
    task = workable(task_id=task_id, user=user)
    definition = form_of(task)
    data, errors = parse_task_form(definition, submitted)
    if errors:
        raise Invalid(errors, _('Datos inválidos.'))
    engine = get_engine()
    try:
        step = engine.complete_task(task.id, data, user.username, commit=False, answerable=True)
    except CompletionRefused as refusal:  # answers that fail the next step: nothing was saved
        raise Invalid(problem_errors(definition, refusal.problems), describe(refusal)) from refusal
    try:  # read in the step's own transaction: it sees the tasks the step opened
        following = workable_in_case(db.session, user, step.case.id, calendar()) if step.state == 'running' else []
    except Exception:
        db.session.rollback()
        raise
    engine.commit(step)
    return Completion(case=step.case, following=following)


def _changing(task_id, user, may) -> HumanTask:
    return workable(task_id=task_id, user=user, may=may,
                    refusal=_('No puede cambiar la asignación de esta tarea.'))


def claim(*, task_id: str, user) -> HumanTask:
    """Take an unassigned task of one's groups."""
    task = _changing(task_id, user, can_claim)
    return assignments.claim(db.session, task.id, user.username)


def release(*, task_id: str, user) -> HumanTask:
    """Give an assigned task back to its groups (its holder, or a lead)."""
    task = _changing(task_id, user, can_release)
    return assignments.release(db.session, task.id, user.username, task.assignee)


def reassign(*, task_id: str, user, assignee: str) -> tuple[HumanTask, User]:
    """Give a task to another active user who may work it (leads only): the task and that user."""
    task = _changing(task_id, user, can_reassign)
    target = db.session.scalar(select(User).where(User.username == (assignee or ''),
                                                  User.active.is_(True)))
    if target is None:
        message = _('Elija un usuario activo.')
        raise Invalid({'assignee': [message]}, message)
    if not can_reassign(user, task, target):
        raise NotAllowed(_('%(name)s no puede trabajar esta tarea: su rol no está en los grupos de la tarea.',
                           name=target.full_name))
    return assignments.reassign(db.session, task.id, target.username, user.username), target
