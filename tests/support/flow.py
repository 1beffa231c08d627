"""Helpers that move cases the way the product does: deploy, start, complete, let workers run,
advance the clock. Every read ends its transaction, so workers in other processes (and SQLite's
single writer) are never blocked by the test."""
import os
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import select

from app import jobs
from app.engine.clock import clock
from app.engine.models import Case, Event, HumanTask, Job
from app.platform.extensions import db
from app.platform.queue import connect, worker_queues  # noqa: F401  (tests use flow.connect)

ROOT = Path(__file__).resolve().parents[2]
DIAGRAMS = ROOT / 'tests' / 'diagrams'


def engine():
    from app.platform.engines import get_engine
    return get_engine()


def read(query):
    """Run `query(session)` and end the transaction."""
    try:
        return query(db.session)
    finally:
        db.session.rollback()


def deploy(*names):
    from app.processes.deploy import deploy_paths
    return deploy_paths([DIAGRAMS / name for name in names], 'test')


def store_unchecked(process_id, file_name, text, version=1):
    """Write a diagram into the versions table without lint, as an earlier, laxer deploy would
    have: what the engine must still refuse at run time."""
    import hashlib

    from app.engine.models import ProcessVersion
    db.session.add(ProcessVersion(process_id=process_id, version=version, name=process_id,
                                  file_name=file_name, content_hash=hashlib.sha256(text.encode()).hexdigest(),
                                  bpmn_xml=text, deployed_at=clock.now(), deployed_by='test'))
    db.session.commit()
    return process_id


def store_pqrsf_whose_start_fails():
    """A newer pqrsf version, stored unchecked, whose first script the sandbox refuses."""
    text = (ROOT / 'processes' / 'pqrsf.bpmn').read_text(encoding='utf-8').replace(
        "never = '9999-12-31T23:59:59+00:00'", 'never = ().__class__', 1)
    store_unchecked('pqrsf', 'pqrsf.bpmn', text, version=99)


def start(process_id, data=None, actor='ana'):
    return engine().start_case(process_id, data or {}, actor).case.id


def complete(case_id, element_id, data=None, actor='ana'):
    task = open_task(case_id, element_id)
    assert task is not None, f'no open task {element_id} in case {case_id}: {open_tasks(case_id)}'
    return engine().complete_task(task.id, data or {}, actor)


def open_tasks(case_id):
    return read(lambda s: [t.element_id for t in s.scalars(
        select(HumanTask).where(HumanTask.case_id == case_id, HumanTask.state == 'open'))])


def open_task(case_id, element_id):
    return read(lambda s: s.scalars(select(HumanTask).where(
        HumanTask.case_id == case_id, HumanTask.state == 'open',
        HumanTask.element_id == element_id)).first())


def case_state(case_id):
    return read(lambda s: s.get(Case, case_id).state)


def history(case_id):
    """[(kind, element_id)] in order."""
    return read(lambda s: [(e.kind, e.element_id) for e in s.scalars(
        select(Event).where(Event.case_id == case_id).order_by(Event.id))])


def jobs_of(case_id):
    return read(lambda s: [(j.kind, j.element_id, j.state) for j in s.scalars(
        select(Job).where(Job.case_id == case_id).order_by(Job.id))])


def work(app):
    """Run every job queued now, in this process, with a real RQ worker over real Redis."""
    from rq import SimpleWorker
    connection = connect(app.config)
    SimpleWorker(worker_queues(app.config, connection), connection=connection).work(
        burst=True, logging_level='WARNING')


def advance(app, delta, run=True):
    """Move the shared clock; then sweep the timers that became due and run them."""
    clock.advance(db.session, delta)
    db.session.commit()
    if run:
        jobs.sweep(0, kinds=('timer',))
        work(app)


def wait_for(predicate, timeout=90, interval=0.1, message='condition'):
    """Wait for what a worker process does; the bound is generous, a loaded CI machine starves
    the worker for tens of seconds (the first reminder once took over 30 s there)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f'timed out after {timeout}s waiting for {message}')


@contextmanager
def worker_process(**env):
    """A separate `pqrsf worker` process with this test's settings (plus `env`)."""
    environment = dict(os.environ, PYTHONPATH=str(ROOT), **{k: str(v) for k, v in env.items()})
    process = subprocess.Popen([sys.executable, '-m', 'app.cli', 'worker'], cwd=ROOT,
                               env=environment, stdout=subprocess.DEVNULL, stderr=None,
                               start_new_session=True)
    try:
        yield process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        # RQ's scheduler runs in a child process, orphaned when a test SIGKILLs the worker
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
