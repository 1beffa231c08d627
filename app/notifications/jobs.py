"""RQ jobs of the staff notifications, and what queues them. A step that opens human tasks
queues `tell_new_tasks` once its transaction commits, and a reassignment `tell_reassigned`
(session hooks: the engine knows nothing of them); the sweep queues `periodic`, which catches
up what a lost job left, checks the deadlines and sends the daily digests. All can run any
number of times: every notification has its key, and every email its claim (delivery.py)."""
import logging
from datetime import datetime

from flask import current_app, has_app_context
from sqlalchemy import event

from app.engine.clock import clock
from app.engine.models import Event, HumanTask
from app.notifications import delivery, notices
from app.platform.extensions import db
from app.platform.queue import app_queue

log = logging.getLogger(__name__)
PENDING = 'pqrsf_new_tasks'  # session.info: ids of the human tasks flushed in this transaction
REASSIGNMENTS = 'pqrsf_reassignments'  # session.info: reassignment events flushed in it
PERIODIC_JOB_ID = 'pqrsf-notify-periodic'  # one periodic run queued at a time


def _tell(record, ids) -> int:
    """In a worker: write the notifications `record(ids, now)` makes, and email those who want
    them now."""
    from app.jobs import worker_app
    with worker_app().app_context():
        try:
            now = clock.now()
            record(ids, now)
            return delivery.deliver_pending(now)
        finally:
            db.session.remove()


def tell_new_tasks(task_ids: list[str]) -> int:
    """RQ entry point: notify the staff of tasks that opened, and email those who want it now."""
    return _tell(notices.for_new_tasks, task_ids)


def tell_reassigned(event_ids: list[int]) -> int:
    """RQ entry point: tell each person a task was given to, and email those who want it now."""
    return _tell(notices.for_reassignments, event_ids)


def periodic() -> dict:
    """RQ entry point, queued by each sweep: see `run_periodic`."""
    from app.jobs import worker_app
    with worker_app().app_context():
        try:
            return run_periodic(clock.now())
        finally:
            db.session.remove()


def run_periodic(now: datetime) -> dict:
    """New tasks nobody was told of, due-soon and overdue tasks, the pending immediate emails;
    from the digest hour on, each day's digests (once a day: their key names the day)."""
    from app.platform.engines import calendar
    clock.refresh(db.session)
    business = calendar()
    done = {'caught_up': notices.for_new_tasks(notices.untold_tasks(now), now)
                         + notices.for_reassignments(notices.untold_reassignments(now), now),
            'deadlines': notices.for_deadlines(now, business, current_app.config['NOTIFY_DUE_SOON_DAYS']),
            'sent': delivery.deliver_pending(now)}
    local = business.local(now)
    if local.hour >= current_app.config['NOTIFY_DIGEST_HOUR']:
        day = local.date().isoformat()
        done.update(digests=delivery.send_digests(now, day), lead_digests=delivery.send_lead_digests(now, day))
    return done


def queue_periodic() -> None:
    """Called by the sweep: one periodic run, unless one is queued and not started yet."""
    if not current_app.config['NOTIFY_STAFF']:
        return
    try:
        queue = app_queue('notify')
        if PERIODIC_JOB_ID not in queue.get_job_ids():
            queue.enqueue(periodic, job_id=PERIODIC_JOB_ID, result_ttl=0, failure_ttl=86400,
                          description='staff notifications: periodic run')
    except Exception:  # Redis down: the next sweep queues it
        log.exception('could not queue the periodic run of the staff notifications')


def _flushed(session, _context) -> None:
    for row in session.new:
        if isinstance(row, HumanTask):
            session.info.setdefault(PENDING, []).append(row.id)
        elif isinstance(row, Event) and row.kind == notices.REASSIGNED:
            session.info.setdefault(REASSIGNMENTS, []).append(row.id)  # assigned by the flush


def _committed(session) -> None:
    task_ids = session.info.pop(PENDING, None)
    event_ids = session.info.pop(REASSIGNMENTS, None)
    if not has_app_context() or not current_app.config['NOTIFY_STAFF']:
        return
    if task_ids:
        _enqueue(tell_new_tasks, task_ids, f'{len(task_ids)} new task(s)')
    if event_ids:
        _enqueue(tell_reassigned, event_ids, f'{len(event_ids)} reassignment(s)')


def _enqueue(job, ids, what) -> None:
    try:
        app_queue('notify').enqueue(job, ids, result_ttl=0, failure_ttl=86400, description=f'staff notifications: {what}')
    except Exception:  # Redis down: the periodic run catches these up
        log.exception('could not queue the notifications of %s', what)


def _rolled_back(session) -> None:
    session.info.pop(PENDING, None)
    session.info.pop(REASSIGNMENTS, None)


def init_hooks() -> None:
    """Watch every Flask-SQLAlchemy session for new human tasks (once per process)."""
    from flask_sqlalchemy.session import Session
    if not event.contains(Session, 'after_flush', _flushed):
        event.listen(Session, 'after_flush', _flushed)
        event.listen(Session, 'after_commit', _committed)
        event.listen(Session, 'after_rollback', _rolled_back)
