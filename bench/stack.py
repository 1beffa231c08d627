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


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(('127.0.0.1', 0))
        return probe.getsockname()[1]


class Stack:
    def __init__(self, instance: Path, web_processes=3, workers=2, worker_args=(), extra_env=None,
                 threads=4):
        from app.platform.mailcatcher import MailCatcher
        self.instance = instance
        self.port = free_port()
        self.mail = MailCatcher(port=0)
        self.web_processes, self.worker_count, self.worker_args = web_processes, workers, list(worker_args)
        self.threads = threads
        self.app = None  # the app `prepare` made (migrated, deployed)
        self.env = {**os.environ, 'PQRSF_ENV': 'production', 'SECRET_KEY': 'bench-secret',
                    'PQRSF_QUEUE': f'bench-{os.getpid()}', 'PQRSF_LOG_FORMAT': 'json',
                    'PQRSF_PUBLIC_BASE_URL': f'http://127.0.0.1:{self.port}',
                    'PQRSF_SWEEP_INTERVAL_SECONDS': '2', 'PQRSF_SWEEP_GRACE_SECONDS': '5',
                    **(extra_env or {})}
        self.web = []
        self.workers = []
        self.base_url = f'http://127.0.0.1:{self.port}'

    # ---- lifecycle ---------------------------------------------------------------------------

    def prepare(self, diagrams=None):
        """Migrate, deploy (by default the shipped procedure with the survey at once, see
        fast_forward.py) and create the simulated staff user; returns its API token."""
        diagrams = diagrams or (fast_forward_processes(),)
        self.mail.start()
        self.env.update(SMTP_HOST='127.0.0.1', SMTP_PORT=str(self.mail.port))
        os.environ.update({k: self.env[k] for k in ('SMTP_HOST', 'SMTP_PORT', 'PQRSF_QUEUE')})
        self.cli('db', 'upgrade')
        self.cli('deploy', *map(str, diagrams))
        from app import create_app
        from app.accounts.login import create_user, issue_token
        from app.platform.extensions import db
        self.app = create_app()
        with self.app.app_context():
            user = create_user('carga', 'personal-simulado-2026', STAFF_ROLES, 'Personal simulado')
            token = issue_token(user)
            db.session.remove()
        return token

    def cli(self, *args):
        subprocess.run([str(VENV_BIN / 'pqrsf'), *args], env=self.env, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def start_web(self, port=None):
        port = port or self.port
        log = open(self.instance / f'web-{port}.log', 'ab')
        process = subprocess.Popen(
            [str(VENV_BIN / 'gunicorn'), '--bind', f'127.0.0.1:{port}', '--workers',
             str(self.web_processes), '--worker-class', 'gthread', '--threads', str(self.threads),
             'app.wsgi:app'],
            env=self.env, stdout=log, stderr=log, cwd=ROOT)
        self.web.append(process)
        wait_until(lambda: _answers(f'http://127.0.0.1:{port}/healthz'), 30, 'gunicorn')
        return process

    def start_worker(self):
        process = self.start_worker_process()
        self.workers.append(process)
        return process

    def start_worker_process(self):
        log = open(self.instance / 'workers.log', 'ab')
        return subprocess.Popen([str(VENV_BIN / 'pqrsf'), 'worker', *self.worker_args],
                                env=self.env, stdout=log, stderr=log, cwd=ROOT, start_new_session=True)

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
