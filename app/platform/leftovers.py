"""The processes a `pqrsf run` starts (its worker, the embedded redis-server), recorded in the
instance folder so that the next run stops what a crashed or killed one left running, and so
that they die with the run even when it cannot clean up (Linux's parent-death signal)."""
import ctypes
import json
import os
import signal

import psutil

PIDS_FILE = 'run-processes.json'
PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """Ask the kernel to send this process SIGTERM when its parent ends (`make run` stopped,
    the run killed); a no-op where prctl is not available."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):
        pass


def record(instance: str, pids) -> None:
    """Remember the processes of this run (pid and start time, so a reused pid is not mistaken)."""
    entries = []
    for pid in pids:
        try:
            entries.append({'pid': pid, 'started': psutil.Process(pid).create_time()})
        except psutil.NoSuchProcess:
            continue
    with open(os.path.join(instance, PIDS_FILE), 'w', encoding='utf-8') as handle:
        json.dump(entries, handle)


def forget(instance: str) -> None:
    try:
        os.remove(os.path.join(instance, PIDS_FILE))
    except FileNotFoundError:
        pass


def stop_leftovers(instance: str, grace: float = 5.0) -> list[int]:
    """Stop the recorded processes of an earlier run that are still alive; returns their pids."""
    try:
        with open(os.path.join(instance, PIDS_FILE), encoding='utf-8') as handle:
            entries = json.load(handle)
    except (FileNotFoundError, ValueError):
        return []
    alive = []
    for entry in entries if isinstance(entries, list) else []:
        try:
            process = psutil.Process(int(entry['pid']))
            if abs(process.create_time() - float(entry['started'])) < 1:
                alive.append(process)
        except (psutil.Error, KeyError, TypeError, ValueError):
            continue
    for process in alive:
        process.terminate()
    _gone, still = psutil.wait_procs(alive, timeout=grace)
    for process in still:
        process.kill()
    forget(instance)
    return [p.pid for p in alive]
