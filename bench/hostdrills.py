"""The faults hosts.py runs under load, each when a share of the cases is done: a worker host's
cable pulled while it runs a case's job (at 10 %; the host whose worker holds RQ's scheduler
lock, so timers feel it too), web host 1 stopped with SIGTERM (at 25 %) and, once it is back,
web host 2 killed with SIGKILL (at 50 %, while a registration is in flight to it). Each web
host is started again a few seconds after it went. The worker drill and the web drills run
side by side (they may overlap). A fault is only worth something while staff are still
working, so a fault due after the last case ended is a failure ("run more cases")."""
import os
import signal
import subprocess
import threading
import time

RESTART_AFTER = 3  # seconds a stopped web host stays down before its restart policy acts


class Drills:
    def __init__(self, stack, balancer, progress, cut_seconds, stop):
        self.stack, self.balancer, self.progress = stack, balancer, progress
        self.cut_seconds, self.stop = cut_seconds, stop
        self.finished = threading.Event()  # set when the staff are done
        self.log, self.failures = [], []
        self.cut_job = None  # the RQ description of the job the worker host was cut off in
        self._threads = [threading.Thread(target=self._plan, args=plan, daemon=True) for plan in (
            [(0.10, lambda: self.cut_worker(self._scheduling_worker()))],
            [(0.25, lambda: self.stop_web(0, signal.SIGTERM)), (0.50, lambda: self.stop_web(1, signal.SIGKILL))])]

    def start(self):
        for thread in self._threads:
            thread.start()

    def join(self):
        for thread in self._threads:
            thread.join()

    def note(self, text):
        self.log.append(f'{time.strftime("%X")} {text}')

    def _plan(self, *plan):
        try:
            for share, drill in plan:
                while self.progress() < share and not self.finished.is_set() and not self.stop.is_set():
                    time.sleep(0.1)
                if self.stop.is_set():
                    return
                if self.finished.is_set():
                    self.failures.append(f'the staff were done before the drill due at {share:.0%} of the '
                                         'cases: run more cases')
                    return
                drill()
        except Exception as error:  # reported with the checks: a drill that could not run fails the run
            self.failures.append(repr(error))

    def _under_load(self, what):
        if self.finished.is_set():
            self.failures.append(f'{what} came after the staff were done: run more cases')

    # ---- (a) a worker host cut off mid-job ----------------------------------------------------

    def _redis(self):
        from app.platform.queue import connect
        if not hasattr(self, '_connection'):
            self._connection = connect(self.stack.app.config)
        return self._connection

    def _current_job(self, pid):
        from rq import Worker
        for worker in Worker.all(connection=self._redis()):
            if worker.pid == pid:
                return worker.get_current_job_id()
        return None

    def _busy_with_a_case(self, pid):
        """The RQ id of the case's job (a service call or a timer) worker `pid` runs, or None."""
        job = self._current_job(pid)
        return job if job and '(case ' in self._describe(job) else None

    def cut_worker(self, index, tries=60):
        """Pull the cable of worker host `index` at a moment Redis says it runs a case's job; if
        the job ended before the cable was out (Redis heard of its end), plug it back and try
        again."""
        host, pid = self.stack.worker_hosts[index], self.stack.workers[index].pid
        for attempt in range(1, tries + 1):
            deadline = time.monotonic() + 10
            while not (job := self._busy_with_a_case(pid)) and time.monotonic() < deadline:
                if self.finished.is_set() or self.stop.is_set():
                    raise RuntimeError(f'{host.name} not caught mid-job before the staff were done')
                time.sleep(0.005)
            host.link(False)
            time.sleep(0.1)
            if job and self._current_job(pid) == job:  # Redis still believes it: the host is cut mid-job
                break
            host.link(True)
            time.sleep(0.3)
        else:
            raise RuntimeError(f'{host.name} never caught mid-job in {tries} tries')
        self._under_load(f'cutting {host.name}')
        self.cut_job = self._describe(job)
        self.note(f'{host.name}: cable pulled while it ran RQ job {job} ({self.cut_job}), try {attempt}; '
                  f'it held the RQ scheduler lock of {self._scheduler_queues(pid)} queue(s)')
        self.stop.wait(self.cut_seconds)
        host.link(True)
        self.note(f'{host.name}: cable plugged back after {self.cut_seconds:g} s; '
                  f'worker process {"alive" if self.stack.workers[index].poll() is None else "exited"}')

    def _scheduler_queues(self, pid) -> int:
        """How many queues' RQ scheduler lock the worker `pid` (or its scheduler child) holds:
        while it is cut off, the timers it would move to those queues wait for it, or for the
        product's sweep."""
        from rq.scheduler import SCHEDULER_KEY_TEMPLATE, RQScheduler

        from app.platform.queue import queues
        held = 0
        for queue in queues(self.stack.app.config).values():
            name = self._redis().get(RQScheduler.get_locking_key(queue.name))
            owner = self._redis().hget(SCHEDULER_KEY_TEMPLATE % name.decode(), 'pid') if name else None
            if owner and pid in (int(owner), _parent(int(owner))):
                held += 1
        return held

    def _scheduling_worker(self) -> int:
        """The worker host whose worker moves scheduled jobs (timers) to the queues: cutting
        that one off is the harder case for timers."""
        held = [self._scheduler_queues(process.pid) for process in self.stack.workers]
        return held.index(max(held))

    def _describe(self, rq_id):
        from rq.job import Job
        try:
            job = Job.fetch(rq_id, connection=self._redis())
            return job.description
        except Exception as error:  # the job's hash may be gone already
            return f'unknown: {error!r}'

    def _registration_in_flight(self, index, seconds=10) -> bool:
        """Wait (a while) for a registration sent to web host `index` and not answered yet, so
        the kill cuts one: the case where a resent request could register a case twice."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and not self.finished.is_set():
            if self.balancer.in_flight.get(('register', index)):
                return True
            time.sleep(0.002)
        return False

    # ---- (b), (c) a web host stopped -----------------------------------------------------------

    def stop_web(self, index, sig):
        host, process = self.stack.web_hosts[index], self.stack.web[index]
        started = time.monotonic()
        self._under_load(f'stopping {host.name}')
        if sig == signal.SIGKILL:  # the host dies: master and workers at once, requests cut
            cutting = self._registration_in_flight(index)
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            how = f'killed (SIGKILL){" with a registration in flight" if cutting else ""}'
        else:
            process.send_signal(sig)
            try:
                process.wait(10)
                how = f'stopped by SIGTERM in {time.monotonic() - started:.1f} s'
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
                how = 'not gone 10 s after SIGTERM: killed (SIGKILL)'
        self.note(f'{host.name}: {how}')
        self.stop.wait(RESTART_AFTER)
        self.stack.start_web(index)
        self.note(f'{host.name}: started again, answering after {time.monotonic() - started:.1f} s down')


def _parent(pid: int):
    try:
        with open(f'/proc/{pid}/stat') as handle:
            return int(handle.read().rsplit(')', 1)[1].split()[1])
    except OSError:
        return None
