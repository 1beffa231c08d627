"""RQ entry points. Jobs take ids, never objects: the database says what is to be done.

`run_job(job_id)` runs a service-task call or fires a case's timers; `sweep()` re-enqueues
what is due and was lost (a flushed Redis, a killed worker), queues the periodic run of the
staff notifications (app/notifications/jobs.py) and the received emails left unprocessed
(app/inbound/processing.py). All are harmless if repeated.
"""
import logging
import os
import time


log = logging.getLogger(__name__)
_app = None


_pid = None


def worker_app():
    """The app a job runs in: the worker's, or one made on first use (e.g. under `rq worker`).

    In a forked job process the inherited connection pool belongs to the parent: drop it.
    """
    global _app, _pid
    if _app is None:
        from app import create_app
        use_app(create_app())
    if _pid != os.getpid():
        from app.platform.extensions import db
        with _app.app_context():
            db.engine.dispose(close=False)
        _pid = os.getpid()
    return _app


def use_app(app) -> None:
    global _app, _pid
    _app, _pid = app, os.getpid()


def run_job(job_id: int) -> str:
    from app.platform.engines import get_engine
    from app.platform.extensions import db
    from app.platform.observability import SqlCost
    started, cpu_started = time.perf_counter(), time.thread_time()
    with worker_app().app_context(), SqlCost() as cost:
        result = 'error'
        try:
            result = get_engine().run_job(job_id)
            return result
        finally:
            db.session.remove()
            log.info('job %s %s', job_id, result, extra=dict(
                job_id=job_id, result=result, duration_ms=round((time.perf_counter() - started) * 1000, 2),
                cpu_ms=round((time.thread_time() - cpu_started) * 1000, 2),
                sql_statements=cost.statements, sql_commits=cost.commits))


def sweep(grace_seconds=None, kinds=('service', 'timer')) -> int:
    from app.platform.engines import get_engine
    from app.platform.extensions import db
    from app.notifications.jobs import queue_periodic
    from app.inbound.processing import queue_pending
    with worker_app().app_context():
        try:
            swept = len(get_engine().sweep(grace_seconds, kinds))
            if 'timer' in kinds:  # time passes for the deadlines and digests too
                queue_periodic()
                queue_pending()  # received emails whose processing job was lost
            return swept
        finally:
            db.session.remove()


def drain(max_jobs=10_000) -> int:
    """Run every due job here and now, without a worker, until none is due (demo and CLI)."""
    from app.platform.engines import get_engine
    from app.platform.extensions import db
    ran = 0
    with worker_app().app_context():
        try:
            engine = get_engine()
            engine.dispatch = lambda jobs: None
            while ran < max_jobs:
                due = engine.due_job_ids()
                if not due:
                    break
                for job_id in due:
                    engine.run_job(job_id)
                    ran += 1
        finally:
            db.session.remove()
    return ran
