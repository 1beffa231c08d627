"""Claiming or assigning several tasks at once, from the task list's check boxes or the API.
Each task goes through the single-task use case (tasks.service.claim / reassign), so the rules
are the same; the answer says which were done and why each other one was refused."""
from dataclasses import dataclass, field

from flask_babel import gettext as _

from app.engine.errors import EngineError
from app.engine.models import HumanTask
from app.platform.extensions import db
from app.platform.i18n import describe, localized
from app.platform.refusals import Invalid, Refused
from app.tasks import service

MAX_TASKS = 100  # one list page is 25; more at once is a script, which the API serves per task
ACTIONS = ('claim', 'assign')


@dataclass
class BulkResult:
    done: list[str] = field(default_factory=list)
    refused: list[tuple[str, str, str]] = field(default_factory=list)  # (task id, its name, why)


def _ids(task_ids) -> list[str]:
    ids = list(dict.fromkeys(str(t).strip() for t in task_ids or () if str(t).strip()))
    if not ids:
        message = _('Marque al menos una tarea.')
        raise Invalid({'task_ids': [message]}, message)
    if len(ids) > MAX_TASKS:
        message = _('Marque como máximo %(n)s tareas a la vez.', n=MAX_TASKS)
        raise Invalid({'task_ids': [message]}, message)
    return ids


def _refused(task_id, reason):
    db.session.rollback()
    task = db.session.get(HumanTask, task_id)
    return task_id, localized(task.name, task.names) if task is not None else task_id, reason


def bulk_change(*, action: str, task_ids, user, assignee: str | None = None) -> BulkResult:
    """Claim (`claim`) or give to `assignee` (`assign`) each of `task_ids`, one by one."""
    if action not in ACTIONS:
        message = _('Elija tomar o asignar.')
        raise Invalid({'action': [message]}, message)
    ids = _ids(task_ids)
    if action == 'assign' and not (assignee or '').strip():
        message = _('Elija un usuario activo.')
        raise Invalid({'assignee': [message]}, message)
    result = BulkResult()
    for task_id in ids:
        try:
            if action == 'claim':
                service.claim(task_id=task_id, user=user)
            else:
                service.reassign(task_id=task_id, user=user, assignee=assignee.strip())
        except Refused as refusal:
            result.refused.append(_refused(task_id, refusal.message))
        except EngineError as error:
            result.refused.append(_refused(task_id, describe(error)))
        else:
            result.done.append(task_id)
    return result
