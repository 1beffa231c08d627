"""The first run as a new user meets it: `make run` on the embedded default while another
program holds the mail port, email links to the address the product serves on, and SIGTERM
stopping everything the run started (worker, mail catcher, embedded Redis) within seconds."""
import email
import http.cookiejar
import json
import os
import re
import signal
import smtplib
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

import psutil
import pytest

from tests.support.cli import ROOT
from tests.support.pqrsf import CLIENT

MAIL_PORT = 1025
INBOUND_PORT = 2525
STARTED = 'PQRSF en marcha'


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(('127.0.0.1', 0))
        return probe.getsockname()[1]


def _hold(port):
    """Hold `port` as another program would (None if one already does: the same situation)."""
    holder = socket.socket()
    try:
        holder.bind(('127.0.0.1', port))
        holder.listen()
        return holder
    except OSError:
        holder.close()
        return None


def _embedded_env(instance: Path) -> dict:
    env = {k: v for k, v in os.environ.items()
           if k not in ('DATABASE_URL', 'REDIS_URL', 'SMTP_HOST', 'SMTP_PORT', 'PQRSF_PUBLIC_BASE_URL',
                        'PQRSF_FORMS_DIRS', 'PQRSF_HANDLER_MODULES')}
    return dict(env, PQRSF_INSTANCE=str(instance), PYTHONPATH=str(ROOT))


class Run:
    """A `make run` or `pqrsf run` in its own session, its output collected as it comes."""

    def __init__(self, command, env):
        self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE,
                                        stderr=subprocess.STDOUT, text=True, start_new_session=True)
        self.lines = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.process.stdout:
            self.lines.append(line)

    @property
    def output(self) -> str:
        return ''.join(self.lines)

    def wait_for(self, text, timeout=180):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text in self.output:
                return
            assert self.process.poll() is None, f'the run ended:\n{self.output[-3000:]}'
            time.sleep(0.2)
        raise AssertionError(f'no "{text}" after {timeout} s:\n{self.output[-3000:]}')

    def started(self, instance: Path) -> list[psutil.Process]:
        """Every process of the run: its session, and the ones it recorded (the daemonised Redis)."""
        found = [p for p in psutil.process_iter(['pid']) if _session(p) == self.process.pid]
        recorded = json.loads((instance / 'run-processes.json').read_text())
        found += [psutil.Process(entry['pid']) for entry in recorded if psutil.pid_exists(entry['pid'])]
        return list({p.pid: p for p in found}.values())

    def kill(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)


def _session(process):
    try:
        return os.getsid(process.pid)
    except OSError:
        return None


def _gone_within(processes, seconds) -> list:
    _gone, alive = psutil.wait_procs(processes, timeout=seconds)
    return alive


def _file_a_case(base_url):
    """The client's web form, as a browser sends it (CSRF token and cookie)."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    page = opener.open(base_url + '/radicar', timeout=30).read().decode()
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    fields = {**{k: ('on' if v is True else v) for k, v in CLIENT.items() if k != 'channel' and v is not False},
              'csrf_token': token}
    body = urllib.parse.urlencode(fields).encode()
    return opener.open(urllib.request.Request(base_url + '/radicar', data=body), timeout=60).status


def _acknowledgement(mail_folder: Path, timeout=90) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for path in sorted(mail_folder.glob('*.eml')):
            message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            return message.get_body(('plain',)).get_content()
        time.sleep(0.3)
    raise AssertionError('no acknowledgement email reached the mail catcher')


@pytest.mark.skipif(sys.platform != 'linux', reason='the process checks read Linux process sessions')
def test_make_run_with_the_mail_port_taken_serves_links_to_its_port_and_stops_on_sigterm(tmp_path):
    holder, inbound_holder = _hold(MAIL_PORT), _hold(INBOUND_PORT)
    port = _free_port()
    instance = tmp_path / 'instance'
    run = Run(['make', '--no-print-directory', 'run', f'PORT={port}'], _embedded_env(instance))
    try:
        run.wait_for(STARTED)
        said = re.search(rf'El puerto {MAIL_PORT} de correo está ocupado; el correo de prueba usa el puerto (\d+)',
                         run.output)
        assert said and int(said.group(1)) != MAIL_PORT, run.output[-2000:]
        inbound = re.search(rf'El puerto {INBOUND_PORT} del buzón de entrada está ocupado; el buzón usa el '
                            rf'puerto (\d+)', run.output)
        assert inbound and int(inbound.group(1)) != INBOUND_PORT, run.output[-2000:]
        with smtplib.SMTP('127.0.0.1', int(inbound.group(1)), timeout=30) as smtp:
            assert smtp.sendmail('marta@example.com', ['pqrsf@localhost'],
                                 b'From: marta@example.com\r\nSubject: Hola\r\n\r\nUn reclamo.\r\n') == {}
        assert 'Traceback' not in run.output
        assert _file_a_case(f'http://127.0.0.1:{port}') == 201
        body = _acknowledgement(instance / 'mail')
        assert f'http://127.0.0.1:{port}/seguimiento' in body and '127.0.0.1:5000' not in body
        processes = run.started(instance)
        assert len(processes) >= 4  # make, pqrsf run, its worker (and RQ's scheduler), redis-server
        os.kill(run.process.pid, signal.SIGTERM)  # make itself, as a process manager would
        assert _gone_within(processes, 20) == []
    finally:
        run.kill()
        for held in (holder, inbound_holder):
            if held:
                held.close()


@pytest.mark.skipif(sys.platform != 'linux', reason='the process checks read Linux process sessions')
def test_sigterm_to_pqrsf_run_leaves_no_process_and_a_killed_run_is_cleaned_up_by_the_next(tmp_path):
    instance = tmp_path / 'instance'
    env = _embedded_env(instance)
    command = [sys.executable, '-m', 'app.cli', 'run', '--port', str(_free_port())]
    killed = Run(command, env)
    try:
        killed.wait_for(STARTED)
        left = killed.started(instance)
        os.kill(killed.process.pid, signal.SIGKILL)  # a crash: nothing of its own clean-up runs
        killed.process.wait(10)
    finally:
        killed.kill()
    time.sleep(1)
    run = Run([sys.executable, '-m', 'app.cli', 'run', '--port', str(_free_port())], env)
    try:
        run.wait_for(STARTED)
        assert [p for p in left if p.is_running() and p.status() != psutil.STATUS_ZOMBIE] == []
        processes = run.started(instance)
        os.kill(run.process.pid, signal.SIGTERM)
        assert _gone_within(processes, 20) == []
        assert run.process.wait(5) == 0
        assert not (instance / 'run-processes.json').exists()
    finally:
        run.kill()
