"""The server's side of the sandbox: child processes that evaluate diagram text, kept warm.

A process of the server (web, worker, CLI) starts children on demand, one per evaluation under
way at once (web threads each take one), and keeps the idle ones for the next evaluation: a
child costs a Python start (~0.2 s) once, an evaluation a round trip on a pipe. A child that hit
a limit, crashed or answered nonsense is thrown away and replaced. A forked process (RQ's
`--fork` work horses) does not share its parent's children: pipes are per process.
"""
import atexit
import os
import select
import signal
import subprocess
import sys
import threading
from dataclasses import dataclass

from . import codec

CHILD = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'child.py')
MAX_REPLY_BYTES = 16 * 1024 * 1024
MAX_IDLE = 8


@dataclass(frozen=True)
class Limits:
    cpu_seconds: float = 2.0
    memory_mb: int = 256

    @property
    def wall_seconds(self) -> float:
        """How long to wait for a reply before killing the child: its CPU limit ends it first
        unless it is starved of CPU (a loaded machine) or stuck, so this is generous."""
        return self.cpu_seconds * 5 + 10


class SandboxError(Exception):
    """Diagram text failed in the sandbox. `kind`: refused (a construct the rules forbid),
    error (the text's own exception), limit (CPU time or memory), crashed."""

    def __init__(self, kind: str, message: str, line: int | None = None):
        super().__init__(message)
        self.kind, self.message, self.line = kind, message, line


class _Child:
    def __init__(self):
        self.owner = os.getpid()
        self.process = subprocess.Popen(
            [sys.executable, '-I', CHILD], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            close_fds=True, env={'PATH': os.environ.get('PATH', ''), 'LANG': 'C.UTF-8'})
        self.buffer = b''

    def call(self, payload: bytes, limits: Limits) -> dict:
        self.process.stdin.write(payload)
        self.process.stdin.flush()
        return self._read_line(limits)

    def _read_line(self, limits: Limits) -> dict:
        fd = self.process.stdout.fileno()
        waited, deadline = 0.0, limits.wall_seconds
        while b'\n' not in self.buffer:
            ready, _, _ = select.select([fd], [], [], 0.5)
            if not ready:
                waited += 0.5
                if waited >= deadline:
                    self.kill()
                    raise SandboxError('limit', f'sin respuesta en {deadline:.0f} s; se detuvo')
                continue
            chunk = os.read(fd, 65536)
            if not chunk:
                raise self._died()
            self.buffer += chunk
            if len(self.buffer) > MAX_REPLY_BYTES:
                self.kill()
                raise SandboxError('limit', 'el resultado es demasiado grande')
        line, _, self.buffer = self.buffer.partition(b'\n')
        return codec.loads(line)

    def _died(self) -> SandboxError:
        code = self.process.wait()
        if -code in (signal.SIGPROF, signal.SIGXCPU):
            return SandboxError('limit', 'superó el tiempo de CPU permitido')
        return SandboxError('crashed', f'el evaluador terminó de forma inesperada (código {code})')

    def alive(self) -> bool:
        return self.process.poll() is None and self.owner == os.getpid()

    def kill(self):
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()

    def close(self):
        try:
            self.process.stdin.close()
        except OSError:
            pass
        self.kill()


class Sandbox:
    """`evaluate(...)` an expression or `execute(...)` a script in a child; thread-safe."""

    def __init__(self, limits: Limits | None = None):
        self.limits = limits or Limits()
        self._idle: list[_Child] = []
        self._lock = threading.Lock()
        self._owner = os.getpid()

    def evaluate(self, source: str, data: dict, now, calendar: dict, limits: Limits | None = None):
        return self._call('eval', source, data, now, calendar, limits, ())['value']

    def execute(self, source: str, data: dict, now, calendar: dict, limits: Limits | None = None,
                external: dict | None = None) -> dict:
        """The script's data afterwards: `data` as the script left it (without `external`)."""
        merged = {**(external or {}), **data}
        return self._call('exec', source, merged, now, calendar, limits, tuple(external or ()))['data']

    def _call(self, mode, source, data, now, calendar, limits, external):
        limits = limits or self.limits
        try:
            plain = codec.to_plain(data, 'variable')
        except codec.Unencodable as error:
            raise SandboxError('error', str(error)) from None
        payload = codec.dumps({'mode': mode, 'source': source, 'data': plain, 'now': now.isoformat(),
                               'calendar': calendar, 'external': list(external),
                               'cpu': limits.cpu_seconds, 'memory': limits.memory_mb * 1024 * 1024})
        reply = self._round_trip(payload, limits)
        if not reply.get('ok'):
            kind = reply.get('kind', 'error')
            if kind == 'memory':
                raise SandboxError('limit', f'superó la memoria permitida ({limits.memory_mb} MB)')
            raise SandboxError(kind, reply.get('message', ''), reply.get('line'))
        return {key: codec.from_plain(value) for key, value in reply.items() if key != 'ok'}

    def _round_trip(self, payload: bytes, limits: Limits) -> dict:
        child = self._take()
        try:
            try:
                reply = child.call(payload, limits)
            except (BrokenPipeError, ConnectionResetError):  # died idle: a fresh one, once
                child.kill()
                child = _Child()
                reply = child.call(payload, limits)
        except BaseException:
            child.kill()
            raise
        self._give(child, keep=reply.get('kind') != 'memory')
        return reply

    def _take(self) -> _Child:
        with self._lock:
            if self._owner != os.getpid():  # forked: the parent's children are not ours
                self._idle, self._owner = [], os.getpid()
            while self._idle:
                child = self._idle.pop()
                if child.alive():
                    return child
        return _Child()

    def _give(self, child: _Child, keep=True):
        with self._lock:
            if keep and child.alive() and len(self._idle) < MAX_IDLE:
                self._idle.append(child)
                return
        child.close()

    def warm(self, count: int) -> threading.Thread:
        """Start children until `count` are idle, in the background: a process that is about to
        serve (a web process, a worker) then pays no Python start on its first evaluations, when
        several would start at once under load."""
        def start():
            with self._lock:
                missing = count - len(self._idle)
            for _ in range(max(0, missing)):
                self._give(_Child())
        thread = threading.Thread(target=start, name='sandbox-warm', daemon=True)
        thread.start()
        return thread

    def close(self):
        with self._lock:
            idle, self._idle = self._idle, []
        for child in idle:
            if child.owner == os.getpid():
                child.close()


default = Sandbox()
atexit.register(default.close)
