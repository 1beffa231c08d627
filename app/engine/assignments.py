"""Who works a human task: claim, release, reassign. Each change is locked, checked against the
task's current assignee and recorded on the case history, so two people never both hold it."""
from sqlalchemy import select

from .clock import clock
from .facts import element_names
from .errors import Conflict, NotFound
from .models import Event, HumanTask


def _locked_open_task(session, task_id) -> HumanTask:
    task = session.scalars(select(HumanTask).where(HumanTask.id == task_id).with_for_update()
                           .execution_options(populate_existing=True)).first()
    if task is None:
        session.rollback()
        raise NotFound('task_not_found', task_id=task_id)
    if task.state != 'open':
        session.rollback()
        raise Conflict('task_not_open', task_id=task_id)
    return task


def change_assignee(session, task_id: str, assignee: str | None, actor: str, kind: str,
                    expected: str | None = ...) -> HumanTask:
    """Set the assignee; `expected` (if given) must be the current one, else Conflict."""
    task = _locked_open_task(session, task_id)
    if expected is not ... and task.assignee != expected:
        current = task.assignee
        session.rollback()
        raise Conflict('task_assigned_to' if current else 'task_not_assigned', task_id=task_id,
                       assignee=current)
    previous, task.assignee = task.assignee, assignee
    session.add(Event(case_id=task.case_id, at=clock.now(), actor=actor, kind=kind,
                      process_id=task.process_id, element_id=task.element_id,
                      element_type='UserTask', element_name=task.name,
                      element_names=element_names(task.names), task_id=task.id,
                      data={'changes': {'assignee': [previous, assignee]}}))
    session.commit()
    return task


def claim(session, task_id, username):
    return change_assignee(session, task_id, username, username, 'task_claimed', expected=None)


def release(session, task_id, username, current):
    return change_assignee(session, task_id, None, username, 'task_released', expected=current)


def reassign(session, task_id, assignee, actor):
    return change_assignee(session, task_id, assignee, actor, 'task_reassigned')
