"""Simulated hosts on this machine: one Linux network namespace per host, all cabled to a bridge
that lives in a namespace of its own, on a private /24 (10.77.0.0/24 by default). Nothing is
added to the machine's own namespace: its interfaces, loopback and services stay out of reach.

    with Network() as lan:
        db = lan.add_host('db', 2)            # namespace pqh<pid>-db, eth0 10.77.0.2
        db.popen(['postgres', ...])          # started in it, with a /tmp of its own
        db.link(False); db.link(True)        # pull the cable, plug it back
        lan.enter(lan.add_host('driver', 100))  # this process moves there

Every host also gets a private tmpfs on /tmp (in the mount namespace `ip netns exec` makes),
so hosts share no scratch files either. `close` (or leaving the `with`) kills every process
left in the namespaces and deletes them; names carry this process's id, and `clean_stale`
removes what a run killed with SIGKILL left behind. Needs root and iproute2 (Linux only).
"""
import ctypes
import os
import re
import signal
import subprocess
import time

CLONE_NEWNET = 0x40000000
PREFIX = 'pqh'
PRIVATE_TMP = 'mount -t tmpfs -o mode=1777,size=512m tmpfs /tmp && exec "$@"'


def ip(*args, check=True):
    return subprocess.run(['ip', *args], check=check, capture_output=True, text=True)


def _setns(path: str) -> None:
    """Move the calling thread (and the threads it starts from now on) into the namespace."""
    libc = ctypes.CDLL(None, use_errno=True)
    fd = os.open(path, os.O_RDONLY)
    try:
        if libc.setns(fd, CLONE_NEWNET) != 0:
            raise OSError(ctypes.get_errno(), f'setns {path}')
    finally:
        os.close(fd)


class Host:
    def __init__(self, network, name: str, address: str):
        self.network, self.name, self.address = network, name, address
        self.namespace = f'{network.prefix}{name}'

    def popen(self, command, private_tmp=True, **options) -> subprocess.Popen:
        """Start `command` in this host; `ip netns exec` and the shell both exec, so the
        process keeps the pid returned (signals reach it directly)."""
        wrapper = ['sh', '-c', PRIVATE_TMP, 'sh'] if private_tmp else []
        return subprocess.Popen(['ip', 'netns', 'exec', self.namespace, *wrapper, *command], **options)

    def run(self, *command):
        return subprocess.run(['ip', 'netns', 'exec', self.namespace, *command], check=True,
                              capture_output=True, text=True)

    def link(self, up: bool) -> None:
        """Plug (True) or pull (False) this host's only cable."""
        ip('-n', self.namespace, 'link', 'set', 'eth0', 'up' if up else 'down')

    def __repr__(self):
        return f'{self.name} ({self.address})'


class Network:
    def __init__(self, subnet='10.77.0'):
        self.subnet = subnet
        self.prefix = f'{PREFIX}{os.getpid()}-'
        self.bridge = f'{self.prefix}lan'
        self.hosts = {}
        self._home = None  # the namespace this process started in, to come back to

    def __enter__(self):
        clean_stale()
        self._home = os.open('/proc/self/ns/net', os.O_RDONLY)
        ip('netns', 'add', self.bridge)
        ip('-n', self.bridge, 'link', 'add', 'br0', 'type', 'bridge')
        ip('-n', self.bridge, 'link', 'set', 'br0', 'up')
        return self

    def add_host(self, name: str, number: int) -> Host:
        host = Host(self, name, f'{self.subnet}.{number}')
        ns, cable = host.namespace, f'v-{name}'[:15]
        ip('netns', 'add', ns)
        ip('-n', self.bridge, 'link', 'add', cable, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns)
        ip('-n', self.bridge, 'link', 'set', cable, 'master', 'br0', 'up')
        ip('-n', ns, 'addr', 'add', f'{host.address}/24', 'dev', 'eth0')
        ip('-n', ns, 'link', 'set', 'eth0', 'up')
        ip('-n', ns, 'link', 'set', 'lo', 'up')
        self.hosts[name] = host
        return host

    def enter(self, host: Host) -> None:
        """Move this process's main thread into `host`; call it before starting threads."""
        _setns(f'/var/run/netns/{host.namespace}')

    def close(self) -> None:
        if self._home is not None:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.setns(self._home, CLONE_NEWNET)
            os.close(self._home)
            self._home = None
        remove(self.prefix)

    def __exit__(self, *exc):
        self.close()


def remove(prefix: str) -> None:
    """Kill every process in the namespaces named `prefix`* (never this one) and delete them;
    the veth cables go with their namespaces."""
    names = [line.split()[0] for line in ip('netns', 'list').stdout.splitlines()
             if line.startswith(prefix)]
    for _ in range(50):
        pids = {int(p) for name in names for p in ip('netns', 'pids', name, check=False).stdout.split()}
        pids.discard(os.getpid())
        if not pids:
            break
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        time.sleep(0.1)
    for name in names:
        ip('netns', 'del', name, check=False)


def clean_stale() -> None:
    """Remove the namespaces of earlier runs whose process is gone."""
    stale = set()
    for line in ip('netns', 'list').stdout.splitlines():
        found = re.match(rf'{PREFIX}(\d+)-', line)
        if found and not os.path.exists(f'/proc/{found.group(1)}'):
            stale.add(found.group(0))
    for prefix in stale:
        remove(prefix)
