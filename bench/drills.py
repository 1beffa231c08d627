"""Fault drills under load: full cases through two web processes (every task completion sent
twice at once, one to each, as a double-click would), two workers, PostgreSQL and a Redis of
the drill's own, while the drill kills a worker with SIGKILL mid-run, restarts Redis empty and
restarts PostgreSQL. Dead workers are restarted, as Docker's restart policy would.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres python bench/drills.py [--cases 40]

Restarting PostgreSQL uses `pg_ctlcluster` on this machine's cluster (run it on a machine of
your own). After recovery it checks that every case reached its end, that no task, answer or
email was applied twice, and prints what each fault cost.
"""
import argparse
import os
import random
import signal
import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from scratch import database_kind, scratch_database
from stack import Stack, free_port, wait_until
from staff import Api, run_case

EXPECTED_TASKS = {'classify': 1, 'register_opportunity': 1, 'analyse_causes': 1, 'do_action': 2,
                  'verify_effectiveness': 1, 'close_case': 1}
EMAILS = ('acknowledgement', 'decision', 'survey')


class Redis:
    def __init__(self, instance):
        self.port, self.instance, self.process = free_port(), instance, None

    def start(self):
        self.process = subprocess.Popen(['redis-server', '--port', str(self.port), '--bind', '127.0.0.1',
                                         '--save', '', '--appendonly', 'no', '--dir', str(self.instance)],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_until(lambda: subprocess.run(['redis-cli', '-p', str(self.port), 'ping'], capture_output=True)
                   .stdout.strip() == b'PONG', 20, 'redis')

    def restart_empty(self):
        self.process.kill()
        self.process.wait()
        self.start()


class DoubleSubmitApi(Api):
    """Sends every task completion to both web processes at the same moment; retries requests
    that met a fault (connection refused, 5xx) like a patient client."""

    def __init__(self, base_url, other_url, token, samples, pairs):
        super().__init__(base_url, token, samples)
        self.other = Api(other_url, token, samples)
        self.pairs = pairs

    def call(self, label, method, path, body=None):
        for _ in range(60):
            try:
                if label == 'complete_task':
                    result = self._twice(label, method, path, body)
                else:
                    result = super().call(label, method, path, body)
                if result[0] < 500:
                    return result
            except OSError:
                self.connection = None
            time.sleep(0.5)
        raise RuntimeError(f'{method} {path} kept failing')

    def _twice(self, label, method, path, body):
        results = {}
        other = threading.Thread(target=lambda: results.__setitem__('b', self.other.call(label, method, path, body)))
        other.start()
        results['a'] = super().call(label, method, path, body)
        other.join()
        statuses = sorted(r[0] for r in results.values())
        self.pairs.append(statuses)
        applied = [r for r in results.values() if r[0] == 200]
        return applied[0] if applied else results['a']  # the copy that applied says what comes next


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--cases', type=int, default=40)
    parser.add_argument('--concurrency', type=int, default=6)
    args = parser.parse_args()
    with scratch_database('drills') as instance:
        if database_kind() != 'postgresql':
            raise SystemExit('drills.py needs PostgreSQL: set DATABASE_URL')
        redis = Redis(instance)
        redis.start()
        os.environ['REDIS_URL'] = f'redis://127.0.0.1:{redis.port}/0'
        stack = Stack(instance, web_processes=2, workers=2,
                      extra_env={'REDIS_URL': os.environ['REDIS_URL']})
        token = stack.prepare()
        stack.start()
        second_port = free_port()
        stack.start_web(second_port)
        try:
            drill(stack, redis, token, second_port, args)
        finally:
            stack.stop()
            redis.process.kill()


def drill(stack, redis, token, second_port, args):
    done, stuck, log, pairs, stop = [], [], [], [], threading.Event()

    def supervise():  # the restart policy: a dead worker is started again
        while not stop.is_set():
            for number, process in enumerate(stack.workers):
                if process.poll() is not None:
                    log.append(f'{time.strftime("%X")} worker {process.pid} exited ({process.returncode}); restarted')
                    stack.workers[number] = stack.start_worker_process()
            time.sleep(1)

    def faults():
        time.sleep(4)
        victim = stack.workers[0]
        os.killpg(victim.pid, signal.SIGKILL)  # the worker and its scheduler, as when its container dies
        log.append(f'{time.strftime("%X")} SIGKILL worker {victim.pid}')
        time.sleep(5)
        redis.restart_empty()
        log.append(f'{time.strftime("%X")} Redis restarted empty')
        time.sleep(5)
        cluster = sorted(os.listdir('/etc/postgresql'))[0]
        subprocess.run(['pg_ctlcluster', '--skip-systemctl-redirect', cluster, 'main', 'restart'], check=True)
        log.append(f'{time.strftime("%X")} PostgreSQL restarted')

    def staff_member(number):
        urls = [stack.base_url, f'http://127.0.0.1:{second_port}']
        api = DoubleSubmitApi(urls[number % 2], urls[1 - number % 2], token, {}, pairs)
        rng = random.Random(number)
        while len(done) + len(stuck) < args.cases:
            try:
                done.append(run_case(api, 'carga', rng, timeout=90))
            except TimeoutError as error:  # reported with the checks, not a crash
                stuck.append(str(error))

    started = time.monotonic()
    threads = [threading.Thread(target=supervise, daemon=True), threading.Thread(target=faults, daemon=True)]
    for thread in threads:
        thread.start()
    with ThreadPoolExecutor(args.concurrency) as pool:
        list(pool.map(staff_member, range(args.concurrency)))
    stop.set()
    print(f'{len(done)} cases run in {time.monotonic() - started:.0f} s through the faults; '
          f'{len(stuck)} did not finish: {stuck}')
    for line in log:
        print('  ' + line)
    check(stack, done, pairs, stuck)


def ledger(app, process_id=None) -> dict:
    """What the database says of a run: case states (of `process_id`'s cases, or all), task
    completions and client answers not applied exactly once, cases whose emails are not exactly
    one of each, the emails recorded (case id, template, key of each `sent_email` row) and
    incidents opened."""
    from sqlalchemy import func, select

    from app.engine.models import Case, Event, Incident
    from app.platform.extensions import db
    from app.cases.models import SentEmail
    with app.app_context():
        by_state = select(Case.state, func.count()).group_by(Case.state)
        if process_id:
            by_state = by_state.where(Case.process_id == process_id)
        states = dict(db.session.execute(by_state).all())
        tasks = db.session.execute(select(Event.case_id, Event.element_id, func.count()).where(
            Event.kind == 'task_completed').group_by(Event.case_id, Event.element_id)).all()
        answers = db.session.execute(select(Event.case_id, func.count()).where(
            Event.kind == 'message_received').group_by(Event.case_id)).all()
        emails = db.session.execute(select(SentEmail.case_id, SentEmail.template, SentEmail.key)).all()
        incidents = db.session.scalar(select(func.count()).select_from(Incident))
        db.session.remove()
    per_case = {}
    for case_id, template, _ in emails:
        per_case.setdefault(case_id, {}).setdefault(template, 0)
        per_case[case_id][template] += 1
    return {'states': states, 'incidents': incidents, 'emails': [tuple(row) for row in emails],
            'wrong_tasks': [(c, e, n) for c, e, n in tasks if n != EXPECTED_TASKS.get(e, 1)],
            'answers_twice': sum(1 for _, n in answers if n != 1),
            'wrong_emails': {c: t for c, t in per_case.items() if t != {name: 1 for name in EMAILS}}}


def check(stack, done, pairs, stuck=()):
    found = ledger(stack.app)
    recorded = len(found['emails'])
    both_applied = sum(1 for statuses in pairs if statuses == [200, 200])
    delivered = len(stack.mail.messages)
    print(f"cases: {found['states']} (expected {len(done)} completed)")
    print(f'double submits: {len(pairs)}, both applied: {both_applied}, '
          f'outcomes: {sorted(set(map(tuple, pairs)))}')
    print(f"task completions other than expected: {len(found['wrong_tasks'])} {found['wrong_tasks'][:5]}")
    print(f"client answers applied twice: {found['answers_twice']}")
    print(f"emails recorded not exactly once per case and template: {len(found['wrong_emails'])}; "
          f'recorded {recorded}, delivered by SMTP {delivered}')
    print(f"incidents opened: {found['incidents']}")
    ok = (not stuck and found['states'] == {'completed': len(done)} and not both_applied
          and not found['wrong_tasks'] and not found['wrong_emails'] and delivered == recorded)
    print('RESULT:', 'nothing lost, nothing applied twice' if ok else 'PROBLEMS FOUND (see above)')
    return ok


if __name__ == '__main__':
    main()
