"""The production shape on this machine, for the load driver and the fault drills: gunicorn
serving the app, N `pqrsf worker` processes, PostgreSQL and Redis from the environment, and a
local SMTP catcher that keeps every message (to count emails per case).

Everything runs against a scratch database (see scratch.py), a Redis database number and a
queue of its own, so a run never sees another's data.
"""
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from fast_forward import fast_forward_processes
from scratch import ROOT

VENV_BIN = Path(sys.executable).parent
STAFF_ROLES = ['colaborador', 'lider_proceso', 'responsable_accion', 'gerente_administracion',
               'director_general', 'recursos_humanos']
STAFF_USER, STAFF_PASSWORD = 'carga', 'personal-simulado-2026'  # the simulated staff's account


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(('127.0.0.1', 0))
        return probe.getsockname()[1]


class Stack:
    """The stack on this machine's loopback. A subclass puts the processes elsewhere (see
    hosts.py): `spawn` starts one, `mail` is any catcher with `host`, `port` and `messages`,
    `base_env` what every process inherits before the bench's settings."""

    def __init__(self, instance: Path, web_processes=3, workers=2, worker_args=(), extra_env=None,
                 threads=4, mail=None, port=None, base_env=None, public_base_url=None):
        from app.platform.mailcatcher import MailCatcher
        self.instance = instance
        self.port = port or free_port()
        self.mail = mail or MailCatcher(port=0)
        self.web_processes, self.worker_count, self.worker_args = web_processes, workers, list(worker_args)
        self.threads = threads
        self.app = None  # the app `prepare` made (migrated, deployed)
        self.base_url = f'http://127.0.0.1:{self.port}'
        self.env = {**(os.environ if base_env is None else base_env),
                    'PQRSF_ENV': 'production', 'SECRET_KEY': 'bench-secret',
                    'PQRSF_QUEUE': f'bench-{os.getpid()}', 'PQRSF_LOG_FORMAT': 'json',
                    'PQRSF_PUBLIC_BASE_URL': public_base_url or self.base_url,
                    'PQRSF_SWEEP_INTERVAL_SECONDS': '2', 'PQRSF_SWEEP_GRACE_SECONDS': '5',
                    **(extra_env or {})}
        self.web = []
        self.workers = []

    # ---- lifecycle ---------------------------------------------------------------------------

    def prepare(self, diagrams=None):
        """Migrate, deploy (by default the shipped procedure with the survey at once, see
        fast_forward.py) and create the simulated staff user; returns its API token."""
        diagrams = diagrams or (fast_forward_processes(),)
        self.mail.start()
        self.env.update(SMTP_HOST=self.mail.host, SMTP_PORT=str(self.mail.port))
        os.environ.update({k: self.env[k] for k in ('SMTP_HOST', 'SMTP_PORT', 'PQRSF_QUEUE')})
        self.cli('db', 'upgrade')
        self.cli('deploy', *map(str, diagrams))
        from app import create_app
        from app.accounts.login import create_user, issue_token
        from app.platform.extensions import db
        self.app = create_app()
        with self.app.app_context():
            user = create_user(STAFF_USER, STAFF_PASSWORD, STAFF_ROLES, 'Personal simulado')
            token = issue_token(user)
            db.session.remove()
        return token

    def cli(self, *args):
        subprocess.run([str(VENV_BIN / 'pqrsf'), *args], env=self.env, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def web_command(self, bind: str) -> list:
        """gunicorn as docker-compose.yml runs it, on `bind` (host:port)."""
        return [str(VENV_BIN / 'gunicorn'), '--bind', bind, '--workers', str(self.web_processes),
                '--worker-class', 'gthread', '--threads', str(self.threads), 'app.wsgi:app']

    def worker_command(self) -> list:
        return [str(VENV_BIN / 'pqrsf'), 'worker', *self.worker_args]

    def spawn(self, command, log_name, **options):
        """Start one process of the stack, its output appended to `log_name` in the instance folder."""
        log = open(self.instance / log_name, 'ab')
        return subprocess.Popen(command, env=self.env, stdout=log, stderr=log, cwd=ROOT, **options)

    def start_web(self, port=None):
        port = port or self.port
        process = self.spawn(self.web_command(f'127.0.0.1:{port}'), f'web-{port}.log')
        self.web.append(process)
        wait_until(lambda: _answers(f'http://127.0.0.1:{port}/healthz'), 30, 'gunicorn')
        return process

    def start_worker(self):
        process = self.start_worker_process()
        self.workers.append(process)
        return process

    def start_worker_process(self):
        return self.spawn(self.worker_command(), 'workers.log', start_new_session=True)

    def start(self):
        self.start_web()
        for _ in range(self.worker_count):
            self.start_worker()
        return self

    def stop(self):
        for process in self.web + self.workers:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.web + self.workers:
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
        for process in self.workers:  # RQ's scheduler child outlives a worker killed with SIGKILL
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.mail.stop()
        self._forget_queues()

    def _forget_queues(self):
        """Delete what the run left in Redis (timers due days later, failures): the queue names
        are this run's own, and a shared Redis would keep them for ever."""
        from rq.job import Job
        from rq.registry import (CanceledJobRegistry, DeferredJobRegistry, FailedJobRegistry,
                                 FinishedJobRegistry, ScheduledJobRegistry, StartedJobRegistry)

        from app.platform.queue import queues
        if self.app is None:
            return
        for queue in queues(self.app.config).values():
            registries = [kind(queue=queue) for kind in (
                CanceledJobRegistry, DeferredJobRegistry, FailedJobRegistry, FinishedJobRegistry,
                ScheduledJobRegistry, StartedJobRegistry)]
            ids = set(queue.get_job_ids()).union(*(registry.get_job_ids() for registry in registries))
            keys = [Job.key_for(job_id) for job_id in ids] + [r.key for r in registries] + [queue.key]
            for start in range(0, len(keys), 1000):
                queue.connection.delete(*keys[start:start + 1000])
            queue.connection.srem(queue.redis_queues_keys, queue.key)


def _answers(url) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1) as response:
            return response.status == 200
    except OSError:
        return False


def wait_until(condition, seconds, what):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise TimeoutError(f'{what} not ready after {seconds} s')
