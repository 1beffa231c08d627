"""`pqrsf users add` as an operator runs it: the password comes from a hidden prompt on a real
terminal (a pseudo-terminal here) or from standard input, never from the command line."""
import os
import pty
import select as io_select
import sys
import time

from sqlalchemy import select

from app.accounts.login import authenticate
from app.accounts.models import User
from tests.support import flow
from tests.support.cli import ROOT, pqrsf

GOOD = 'Tr0mbón-azul-de-17'


def _usernames():
    return flow.read(lambda s: s.scalars(select(User.username)).all())


def _on_terminal(args, answers):
    """Run the CLI with a pseudo-terminal as its controlling terminal, typing each answer once
    its prompt is shown; returns (exit status, everything the terminal showed). A prompt ends with
    the space getpass writes after turning echo off, so nothing is typed while echo is on."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    pid, fd = pty.fork()
    if pid == 0:  # the child: exec the command, nothing else
        os.chdir(ROOT)
        os.execve(sys.executable, [sys.executable, '-m', 'app.cli', *args], env)
    shown, since, pending = b'', b'', list(answers)
    deadline = time.monotonic() + 120  # only a guard against a hang
    while time.monotonic() < deadline:
        if pending and f'{pending[0][0]}: '.encode() in since:
            os.write(fd, pending.pop(0)[1].encode() + b'\r')
            since = b''
        if not io_select.select([fd], [], [], 1)[0]:
            continue
        try:
            chunk = os.read(fd, 4096)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        shown, since = shown + chunk, since + chunk
    os.close(fd)
    _pid, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), shown.decode(errors='replace')


def test_the_password_is_asked_twice_without_echo_on_a_terminal(app):
    code, shown = _on_terminal(['users', 'add', 'carla', '--role', 'colaborador'],
                               [('Contraseña', GOOD), ('Repita la contraseña', GOOD)])
    assert code == 0, shown
    assert 'Usuario carla creado' in shown
    assert GOOD not in shown  # the terminal did not echo it
    assert authenticate('carla', GOOD) is not None


def test_two_different_answers_on_the_terminal_create_nothing(app):
    code, shown = _on_terminal(['users', 'add', 'carla', '--role', 'colaborador'],
                               [('Contraseña', GOOD), ('Repita la contraseña', GOOD + 'x')])
    assert code == 1 and 'no coinciden' in shown
    assert _usernames() == []


def test_the_password_can_come_from_standard_input(app):
    explicit = pqrsf('users', 'add', 'carla', '--role', 'colaborador', '--password-stdin', input=GOOD + '\n')
    assert explicit.returncode == 0, explicit.stderr
    piped = pqrsf('users', 'add', 'dario', '--role', 'lider_proceso', input=GOOD + '\r\n')  # stdin is no terminal
    assert piped.returncode == 0, piped.stderr
    assert authenticate('carla', GOOD) is not None and authenticate('dario', GOOD) is not None


def test_a_weak_password_from_stdin_is_refused_with_the_reason(app):
    for password, says in (('demo12345', 'al menos 12 caracteres'), ('Carla-2026-xyz', 'nombre de usuario'),
                           ('password1234', 'de las más usadas')):
        refused = pqrsf('users', 'add', 'carla', '--role', 'colaborador', '--password-stdin', input=password + '\n')
        assert refused.returncode == 1 and says in refused.stderr, refused.stderr
    assert _usernames() == []


def test_a_password_on_the_command_line_is_refused(app):
    refused = pqrsf('users', 'add', 'carla', '--role', 'colaborador', '--password', GOOD, input='')
    assert refused.returncode == 2
    assert "No such option '--password'" in refused.stderr
    assert _usernames() == []
