"""stack.py's Stack with each process on a simulated host (netns.py), for hosts.py: PostgreSQL,
Redis and the SMTP catcher on hosts of their own, gunicorn on the web hosts, `pqrsf worker` on
the worker hosts. A host process sees only its environment (as in docker-compose.yml, plus
PATH, LANG, HOME and PYTHONPATH), a /tmp of its own and an instance folder in it.
"""
import json
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

from scratch import ROOT
from stack import Stack, _answers, wait_until

PG_BIN = Path('/usr/lib/postgresql/15/bin')
WEB_PORT, SMTP_PORT, PG_PORT, REDIS_PORT = 8000, 25, 5432, 6379
PASSED = ('PATH', 'LANG', 'HOME', 'PYTHONPATH')  # what an image sets; nothing else leaks in
PUBLIC_BASE_URL = 'http://pqrsf.hosts.test'  # what the balancer would be called: no host serves it
HOST_INSTANCE = '/tmp/pqrsf-instance'  # in the host's own /tmp


def host_env(lan) -> dict:
    db, redis = lan.hosts['db'], lan.hosts['redis']
    return {**{k: os.environ[k] for k in PASSED if k in os.environ},
            'DATABASE_URL': f'postgresql://postgres@{db.address}:{PG_PORT}/pqrsf',
            'REDIS_URL': f'redis://{redis.address}:{REDIS_PORT}/0'}


def _reachable(address, port) -> bool:
    try:
        socket.create_connection((address, port), timeout=1).close()
        return True
    except OSError:
        return False


class Services:
    """PostgreSQL and Redis, each on its host (data in the host's /tmp, gone with it)."""

    def __init__(self, lan, run_dir):
        self.lan, self.run_dir, self.processes = lan, run_dir, {}

    def start(self):
        db, redis = self.lan.hosts['db'], self.lan.hosts['redis']
        as_postgres = 'setpriv --reuid=postgres --regid=postgres --init-groups'
        # its own IPC namespace too, and dynamic shared memory in the data folder: nothing is
        # left in the machine's /dev/shm or System V segments, even after a SIGKILL
        script = f"""set -e
            mkdir /tmp/pg && chown postgres: /tmp/pg
            {as_postgres} {PG_BIN}/initdb -D /tmp/pg -U postgres --auth=trust -E UTF8 --no-locale >/dev/null
            echo 'host all all {self.lan.subnet}.0/24 trust' >> /tmp/pg/pg_hba.conf
            exec {as_postgres} {PG_BIN}/postgres -D /tmp/pg -c listen_addresses={db.address} -c port={PG_PORT} \\
                -c unix_socket_directories= -c dynamic_shared_memory_type=mmap -c fsync=off -c max_connections=200"""
        self.processes['db'] = db.popen(['unshare', '--ipc', 'sh', '-c', script], **self._logs('db'))
        self.processes['redis'] = redis.popen(
            ['redis-server', '--bind', redis.address, '--port', str(REDIS_PORT), '--protected-mode', 'no',
             '--save', '', '--appendonly', 'no', '--dir', '/tmp'], **self._logs('redis'))
        wait_until(lambda: _reachable(redis.address, REDIS_PORT), 20, 'redis')
        wait_until(lambda: self._accepts(db.address), 60, 'postgresql')
        self._admin(db.address, 'CREATE DATABASE pqrsf')
        return self

    def _logs(self, name):
        log = open(self.run_dir / f'{name}.log', 'ab')
        return dict(stdout=log, stderr=log, start_new_session=True)

    @staticmethod
    def _admin(address, statement):
        import psycopg
        with psycopg.connect(host=address, port=PG_PORT, user='postgres', dbname='postgres',
                             connect_timeout=2, autocommit=True) as conn:
            conn.execute(statement)

    def _accepts(self, address) -> bool:
        try:
            self._admin(address, 'SELECT 1')
            return True
        except Exception:  # not up yet (refused, starting up)
            return False

    def stop(self):
        for name, sig in (('redis', signal.SIGTERM), ('db', signal.SIGINT)):  # SIGINT: fast shutdown
            process = self.processes.get(name)
            if process is not None and process.poll() is None:
                process.send_signal(sig)
                try:
                    process.wait(20)
                except subprocess.TimeoutExpired:
                    process.kill()


def start_services(lan, run_dir) -> Services:
    services = Services(lan, run_dir)
    try:
        return services.start()
    except BaseException:
        services.stop()
        raise


class RemoteMail:
    """The SMTP catcher host as Stack sees a catcher: host, port, start, stop, messages."""

    def __init__(self, machine, run_dir, env):
        self.machine, self.host, self.port = machine, machine.address, SMTP_PORT
        self.file, self.run_dir, self.env, self.process = run_dir / 'mail.jsonl', run_dir, env, None

    def start(self):
        self.process = self.machine.popen(
            [sys.executable, str(ROOT / 'bench' / 'mailhost.py'), self.host, str(self.port)], env=self.env,
            stdout=open(self.file, 'ab'), stderr=open(self.run_dir / 'mail.log', 'ab'), cwd=ROOT)
        wait_until(lambda: _reachable(self.host, self.port), 30, 'mail host')
        return self

    @property
    def messages(self) -> list:
        lines = self.file.read_text().splitlines() if self.file.exists() else []
        return [json.loads(line) for line in lines if line.strip()]

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()


class HostStack(Stack):
    def __init__(self, lan, run_dir: Path, web_processes=2, threads=4, sweep_grace=30):
        self.lan = lan
        env = host_env(lan)
        super().__init__(run_dir, web_processes=web_processes, workers=2, threads=threads, port=WEB_PORT,
                         extra_env={'PQRSF_SWEEP_GRACE_SECONDS': str(sweep_grace)},
                         mail=RemoteMail(lan.hosts['mail'], run_dir, env), base_env=env,
                         public_base_url=PUBLIC_BASE_URL)
        self.web_hosts = [lan.hosts['web1'], lan.hosts['web2']]
        self.worker_hosts = [lan.hosts['worker1'], lan.hosts['worker2']]
        self.base_urls = [f'http://{h.address}:{WEB_PORT}' for h in self.web_hosts]
        self.base_url = self.base_urls[0]
        # the deploy step and this process's app (the driver host) keep their instance here
        self.env['PQRSF_INSTANCE'] = str(run_dir / 'driver')

    def prepare(self, diagrams=None):
        os.environ.update(self.env)  # create_app here reads the same settings as every host
        return super().prepare(diagrams)

    def spawn(self, command, log_name, host=None, **options):
        log = open(self.instance / log_name, 'ab')
        return host.popen(command, env={**self.env, 'PQRSF_INSTANCE': HOST_INSTANCE}, stdout=log, stderr=log,
                          cwd=ROOT, start_new_session=True, **options)

    def start(self):
        for index in range(len(self.web_hosts)):
            self.start_web(index)
        for index in range(len(self.worker_hosts)):
            self.start_worker(index)
        wait_until(lambda: self.registered_workers() == len(self.worker_hosts), 60, 'the workers')
        return self

    def registered_workers(self) -> int:
        from rq import Worker

        from app.platform.queue import connect
        connection = connect(self.app.config)
        try:
            return len(Worker.all(connection=connection))
        finally:
            connection.close()

    def start_web(self, index=0):
        """(Re)start web host `index`: gunicorn on its own address, as stack.py starts it."""
        host = self.web_hosts[index]
        process = self.spawn(self.web_command(f'{host.address}:{WEB_PORT}'), f'{host.name}.log', host)
        self.web[index:index + 1] = [process]
        wait_until(lambda: _answers(f'{self.base_urls[index]}/healthz'), 60, f'gunicorn on {host.name}')
        return process

    def start_worker(self, index=0):
        host = self.worker_hosts[index]
        process = self.spawn(self.worker_command(), f'{host.name}.log', host)
        self.workers[index:index + 1] = [process]
        return process

    def start_worker_process(self):
        raise NotImplementedError('start_worker(index) names the host')

    def _forget_queues(self):
        """Nothing to forget: the Redis host is this run's own and goes with it."""

    def stop(self):
        super().stop()
        for process in self.web:  # a gunicorn master killed with SIGKILL leaves its workers
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        if self.app is not None:
            from app.platform.extensions import db
            with self.app.app_context():
                db.engine.dispose()
