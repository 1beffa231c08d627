"""Which notifications an event makes, one row per recipient, each written once (its key)."""
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.accounts.models import User
from app.accounts.policy import eligible_users
from app.engine.models import Event, HumanTask
from app.notifications.models import Notification
from app.platform.extensions import db

TASK_KINDS = ('task_new', 'assigned', 'due_soon', 'overdue')  # about one task: emailed at once or in the digest
REASSIGNED = 'task_reassigned'  # the history event of a task given to someone (engine/assignments.py)
CATCH_UP = timedelta(days=1)  # how far back the periodic run looks for new tasks nobody was told of


def recipients(task) -> list[User]:
    """Who is told about a task: its assignee, else everyone who may take it (its groups)."""
    if task.assignee:
        user = db.session.scalar(select(User).where(User.username == task.assignee, User.active.is_(True)))
        return [user] if user is not None else []
    return eligible_users(task)


def task_rows(task, kind: str, now) -> list[dict]:
    return [dict(username=user.username, kind=kind, task_id=task.id, case_id=task.case_id,
                 key=f'{kind}:{task.id}:{user.username}', created_at=now) for user in recipients(task)]


def record(rows: list[dict]) -> int:
    """Insert the rows whose keys are new (a repeated job finds its first run's); how many."""
    if not rows:
        return 0
    existing = set(db.session.scalars(select(Notification.key).where(
        Notification.key.in_([row['key'] for row in rows]))))
    fresh = [row for row in rows if row['key'] not in existing]
    db.session.add_all(Notification(**row) for row in fresh)
    try:
        db.session.commit()
        return len(fresh)
    except IntegrityError:  # a concurrent run wrote some first: one at a time, skipping those
        db.session.rollback()
    written = 0
    for row in fresh:
        db.session.add(Notification(**row))
        try:
            db.session.commit()
            written += 1
        except IntegrityError:
            db.session.rollback()
    return written


def for_new_tasks(task_ids, now) -> int:
    """The `task_new` notifications of tasks that opened (those still open)."""
    tasks = db.session.scalars(select(HumanTask).where(
        HumanTask.id.in_(list(task_ids)), HumanTask.state == 'open')).all()
    return record([row for task in tasks for row in task_rows(task, 'task_new', now)])


def for_reassignments(event_ids, now) -> int:
    """`assigned` for each task given to someone by someone else (a lead), to that person,
    while it is still open and theirs; one per reassignment event (its key), so a repeated job
    tells nobody twice and a task given back to the same person later is told again."""
    rows = []
    for event in db.session.scalars(select(Event).where(Event.id.in_(list(event_ids)), Event.kind == REASSIGNED)):
        change = ((event.data or {}).get('changes') or {}).get('assignee') or [None, None]
        task = db.session.get(HumanTask, event.task_id) if event.task_id else None
        if task is None or task.state != 'open' or not change[1] or task.assignee != change[1] \
                or change[1] == event.actor:
            continue
        rows.append(dict(username=change[1], kind='assigned', task_id=task.id, case_id=task.case_id,
                         key=f'assigned:{event.id}', created_at=now))
    return record(rows)


def untold_reassignments(now) -> list[int]:
    """Reassignment events of the last day without their notification (a lost job)."""
    told = select(Notification.key).where(Notification.kind == 'assigned')
    events = db.session.execute(select(Event.id).where(
        Event.kind == REASSIGNED, Event.at >= now - CATCH_UP)).scalars().all()
    keys = set(db.session.scalars(told.where(Notification.key.in_([f'assigned:{i}' for i in events]))))
    return [i for i in events if f'assigned:{i}' not in keys]


def untold_tasks(now) -> list[str]:
    """Open tasks of the last day without a `task_new` notification: their job was lost (a
    flushed Redis) or never queued; the periodic run catches them up."""
    told = select(Notification.task_id).where(Notification.kind == 'task_new', Notification.task_id.is_not(None))
    return list(db.session.scalars(select(HumanTask.id).where(
        HumanTask.state == 'open', HumanTask.created_at >= now - CATCH_UP, HumanTask.id.not_in(told))))


def for_deadlines(now, calendar, days: int) -> int:
    """`due_soon` for open tasks due within `days` business days, `overdue` for those past due
    (once each per task and recipient; a task told of already is not looked at again)."""
    horizon = calendar.end_of_business_day(calendar.add_business_days(now, days))
    rows = []
    for kind, window in (('overdue', HumanTask.due_at <= now),
                         ('due_soon', (HumanTask.due_at > now) & (HumanTask.due_at <= horizon))):
        told = select(Notification.task_id).where(Notification.kind == kind, Notification.task_id.is_not(None))
        tasks = db.session.scalars(select(HumanTask).where(
            HumanTask.state == 'open', HumanTask.due_at.is_not(None), window, HumanTask.id.not_in(told))).all()
        rows += [row for task in tasks for row in task_rows(task, kind, now)]
    return record(rows)
