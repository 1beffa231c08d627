"""CPU time each part of the stack spent during a run, read from /proc (Linux only).

It says where a full case's cost lies and how many cases/s this machine's cores could give at
that cost: when the run keeps every core busy, throughput is CPU per case, not waiting.
"""
import contextlib
import os
import threading

DRIVER = 'driver and SMTP catcher'  # the load generator's part: not the product's cost
TICKS = os.sysconf('SC_CLK_TCK') if hasattr(os, 'sysconf') else 100


def _processes():
    """pid -> (parent pid, start time, CPU seconds, command line) of every process we can read."""
    found = {}
    for name in os.listdir('/proc'):
        if not name.isdigit():
            continue
        try:
            with open(f'/proc/{name}/stat') as handle:
                fields = handle.read().rsplit(')', 1)[1].split()
            with open(f'/proc/{name}/cmdline', 'rb') as handle:
                command = handle.read().replace(b'\0', b' ').decode(errors='replace')
        except OSError:  # it exited meanwhile
            continue
        # fields[0] is field 3 of proc(5): ppid is 4, utime 14, stime 15, starttime 22
        found[int(name)] = (int(fields[1]), fields[19], (int(fields[11]) + int(fields[12])) / TICKS, command)
    return found


class CpuUse:
    """Samples the stack's processes twice a second between `start` and `stop`."""

    def __init__(self, stack, interval=0.5):
        self.stack, self.interval = stack, interval
        self.seen = {}  # (pid, start time) -> [part, first CPU reading, last CPU reading]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def available(self) -> bool:
        return os.path.isdir('/proc/self')

    def start(self):
        if self.available():
            self._sample()
            self._thread.start()
        return self

    def stop(self) -> dict:
        """CPU seconds by part, from the first sample to now."""
        if not self.available():
            return {}
        self._stop.set()
        self._thread.join()
        self._sample()
        totals = {}
        for part, first, last in self.seen.values():
            totals[part] = totals.get(part, 0.0) + last - first
        return totals

    def _run(self):
        while not self._stop.wait(self.interval):
            self._sample()

    def _sample(self):
        processes = _processes()
        roots = {'web': {p.pid for p in self.stack.web}, 'workers': {p.pid for p in self.stack.workers},
                 DRIVER: {os.getpid()}}
        for pid, (parent, started, cpu, command) in processes.items():
            part = self._part(pid, parent, command, roots, processes)
            if part is None:
                continue
            entry = self.seen.setdefault((pid, started), [part, cpu, cpu])
            entry[2] = cpu

    @staticmethod
    def _part(pid, parent, command, roots, processes):
        server = _server(command)
        if server:
            return server
        for _ in range(4):  # the process itself, or a child of one of ours (gunicorn's workers)
            for part, pids in roots.items():
                if pid in pids:
                    return part
            pid = parent
            parent = processes.get(pid, (0,))[0]
        return None


def _server(command: str) -> str | None:
    if 'postgres' in command.split(' ', 1)[0]:  # the server and its backends
        return 'PostgreSQL'
    if 'redis-server' in command:
        return 'Redis'
    return None


def tree_cpu(pid: int | None = None) -> float:
    """CPU seconds used so far by a process (this one by default) and every process below it
    (the sandbox's children), for a baseline that counts what the stack's figures count."""
    processes = _processes()
    root = pid or os.getpid()
    below, total = {root}, 0.0
    for candidate in sorted(processes):  # children have higher pids, mostly; walk up to be sure
        chain, current = [], candidate
        while current and current not in below and len(chain) < 16:
            chain.append(current)
            current = processes.get(current, (0,))[0]
        if current in below:
            below.update(chain)
    for member in below:
        if member in processes:
            total += processes[member][2]
    return total


def cores() -> int:
    """The cores this process may run on (all of them, unless `pinned`)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, 'sched_getaffinity') else os.cpu_count() or 1


@contextlib.contextmanager
def pinned(cpus: set[int] | None):
    """Run the whole stack on `cpus` only: this process and all it starts later (web, workers,
    SMTP catcher), and the PostgreSQL and Redis servers (their new backends inherit it). How
    throughput changes with the cores given says whether a run is bound by CPU. Every process
    gets all cores back at the end. Needs the right to change those servers' affinity (root)."""
    if not cpus:
        yield
        return
    everything = os.sched_getaffinity(0)
    _set_affinity(cpus)
    try:
        yield
    finally:
        _set_affinity(everything)


def _set_affinity(cpus):
    for pid, (_, _, _, command) in _processes().items():
        if pid == os.getpid() or _server(command):
            try:
                os.sched_setaffinity(pid, cpus)
            except OSError as error:  # gone meanwhile, or not ours to change
                if pid == os.getpid() or not isinstance(error, ProcessLookupError):
                    raise SystemExit(f'cannot pin process {pid} ({command[:40]}): {error}')


def describe(totals: dict, cases: int) -> str:
    if not totals or not cases:
        return 'CPU by part: not measured (needs /proc)'
    cores_used = cores()
    per_case = sum(totals.values()) / cases
    parts = ', '.join(f'{part} {seconds:.1f}' for part, seconds in
                      sorted(totals.items(), key=lambda item: -item[1]))
    return (f'CPU during the run (s): {parts}; {per_case * 1000:.0f} ms per completed case '
            f'-> at most {cores_used / per_case:.1f} cases/s on {cores_used} cores at this cost')
