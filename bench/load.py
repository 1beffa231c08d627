"""Load driver: full PQRSF cases through the HTTP API against gunicorn + 2 RQ workers +
PostgreSQL + Redis on this machine, with the same diagrams run in memory as the baseline.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres REDIS_URL=redis://127.0.0.1:6379/0 \\
        python bench/load.py [--cases 400] [--concurrency 12] [--timers 200] [--cpus 0]

Each simulated staff member registers a case (SER-FT-01), then, like staff do, looks at the
task list, opens the case and completes its tasks (classify, GI-FT-03, GI-FT-04 with two actions,
both actions, effectiveness, closing), going straight on with the next tasks each completion
offers, and records the client's acceptance; the workers send the acknowledgement, decision
and survey emails through SMTP. Beside the cases, `--timers` probe
cases each wait on a 2-4 s timer, to measure how late timers fire under this load.

`--rate R` makes cases arrive at R per second (open loop) rather than each staff member starting
the next as soon as one ends: at half the saturating rate it says how late timers fire when the
stack is not at its limit.

`--cpus 0` runs all of it, PostgreSQL and Redis included, on the cores listed (root only):
comparing 1 core with 2 says whether throughput is bound by CPU and grows with cores.

Prints cases/s, p50/p95/p99 of each request (client round trip and server time from the
`Server-Timing` header, with the serving thread's CPU time, SQL statements and commits), timer
lateness, the CPU time of each part of the stack per case (and the cases/s the cores allow at
that cost), the in-memory baseline and the ratios, and checks that every case ended with
exactly its three emails.
"""
import argparse
import random
import statistics
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from fast_forward import fast_forward_processes
from cpu_use import DRIVER, CpuUse, cores, describe, pinned
from scratch import BENCH, database_kind, scratch_database
from stack import Stack
from staff import pct, print_outcome

PROBE = BENCH / 'processes' / 'timer_probe.bpmn'


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--cases', type=int, default=400)
    parser.add_argument('--concurrency', type=int, default=12, help='simulated staff members')
    parser.add_argument('--timers', type=int, default=200, help='timer probe cases')
    parser.add_argument('--workers', type=int, default=2)
    parser.add_argument('--web-processes', type=int, default=3)
    parser.add_argument('--threads', type=int, default=4, help='threads per web process')
    parser.add_argument('--max-poll', type=float, default=1.0,
                        help='longest pause (s) of idle staff between looks; 0.1 = a fixed 10 Hz poll')
    parser.add_argument('--rate', type=float, default=0,
                        help='start cases at this many per second (open loop) instead of as fast as '
                             'staff can; e.g. half the saturating rate, for timer lateness')
    parser.add_argument('--cpus', type=lambda text: {int(c) for c in text.split(',')},
                        help='run everything (PostgreSQL and Redis too) on these cores only, e.g. 0')
    args = parser.parse_args()
    with pinned(args.cpus), scratch_database('load') as instance:
        if database_kind() != 'postgresql':
            sys.exit('load.py measures the production shape: set DATABASE_URL to a PostgreSQL server')
        stack = Stack(instance, web_processes=args.web_processes, workers=args.workers, threads=args.threads)
        token = stack.prepare(diagrams=(fast_forward_processes(), PROBE))
        stack.start()
        try:
            report(args, stack, *drive(stack, token, args))
        finally:
            stack.stop()


def drive(stack, token, args):
    from staff import Api, run_case
    samples, results, errors = {}, [], []
    lock = threading.Lock()
    probes = threading.Thread(target=start_probes, args=(stack, args.timers), daemon=True)

    def staff_member(number):
        api = Api(stack.base_url, token, {})
        rng = random.Random(number)
        while True:
            with lock:
                if len(results) + len(errors) + active[0] >= args.cases:
                    break
                active[0] += 1
                issued[0] += 1
                due = started + (issued[0] - 1) / args.rate if args.rate else 0
            time.sleep(max(0.0, due - time.perf_counter()))  # open loop: the case's arrival time
            try:
                outcome = run_case(api, 'carga', rng, max_poll=args.max_poll)
                with lock:
                    results.append(outcome)
            except Exception as error:  # keep driving; report every failure at the end
                with lock:
                    errors.append(repr(error))
            finally:
                with lock:
                    active[0] -= 1
        with lock:
            for label, values in api.samples.items():
                samples.setdefault(label, []).extend(values)

    active, issued = [0], [0]
    cpu = CpuUse(stack).start()
    started = time.perf_counter()
    probes.start()
    with ThreadPoolExecutor(args.concurrency) as pool:
        list(pool.map(staff_member, range(args.concurrency)))
    elapsed = time.perf_counter() - started
    probes.join()
    wait_for_probes(stack)
    return samples, results, errors, elapsed, cpu.stop()


def start_probes(stack, count):
    """Start `count` timer probe cases, spread over the first part of the run."""
    from app.platform.extensions import db
    from app.platform.engines import get_engine
    with stack.app.app_context():
        for number in range(count):
            get_engine().start_case('timer_probe', {'wait': f'PT{2 + number % 3}S'}, 'carga')
            db.session.remove()
            time.sleep(0.05)


def wait_for_probes(stack, seconds=60):
    from sqlalchemy import func, select

    from app.engine.models import Case
    from app.platform.extensions import db
    deadline = time.monotonic() + seconds
    with stack.app.app_context():
        while time.monotonic() < deadline:
            running = db.session.scalar(select(func.count()).select_from(Case).where(
                Case.process_id == 'timer_probe', Case.state == 'running'))
            db.session.rollback()
            if not running:
                return
            time.sleep(0.5)


def timer_lateness(stack):
    """Seconds between each probe timer's due time and the step that fired it."""
    from sqlalchemy import select

    from app.engine.models import Event, Job
    from app.platform.extensions import db
    with stack.app.app_context():
        rows = db.session.execute(select(Job.due_at, Event.at).join(
            Event, (Event.case_id == Job.case_id) & (Event.task_id == Job.task_id)
            & (Event.kind == 'timer_fired')).where(Job.kind == 'timer')).all()
        db.session.remove()
    return [(fired - due).total_seconds() for due, fired in rows]


def emails_per_case(stack):
    from sqlalchemy import func, select

    from app.cases.models import SentEmail
    from app.platform.extensions import db
    with stack.app.app_context():
        rows = db.session.execute(select(SentEmail.case_id, SentEmail.template, func.count())
                                  .group_by(SentEmail.case_id, SentEmail.template)).all()
        db.session.remove()
    return rows


def check_emails(stack, completed):
    counts = {}
    for case_id, template, count in emails_per_case(stack):
        counts.setdefault(template, []).append(count)
    twice = sum(1 for values in counts.values() for count in values if count > 1)
    sent = sum(sum(values) for values in counts.values())
    print(f'emails: {", ".join(f"{t} {len(v)}" for t, v in sorted(counts.items()))}; '
          f'sent twice: {twice}; recorded {sent}, received by SMTP {len(stack.mail.messages)}'
          f' (completed cases {completed})')


def report(args, stack, samples, results, errors, elapsed, cpu):
    import in_memory
    stack_note = f'gunicorn {args.web_processes} processes x {args.threads} threads, {args.workers} workers, {cores()} cores'
    pace = f'cases arrive at {args.rate:g}/s' if args.rate else 'each starts a new case as soon as one ends'
    print(f'database: {database_kind()}; {stack_note}; {args.concurrency} simulated staff ({pace}), '
          f'idle pause 0.1-{args.max_poll:g} s')
    print_outcome(results, args.cases, errors, elapsed)
    print(f'{"request":15s} {"count":>6s} | {"round trip ms p50/p95/p99":>27s} | '
          f'{"server ms p50/p95/p99":>23s} | CPU ms p50 | statements, commits (median)')
    for label in ('register', 'task_list', 'case', 'complete_task', 'client_answer'):
        rows = [s for s in samples.get(label, []) if s[4] < 400]
        if not rows:
            continue
        trip = [s[0] * 1000 for s in rows]
        server = [s[1] * 1000 for s in rows if s[1] is not None]
        statements = statistics.median([s[2] for s in rows if s[2] is not None])
        commits = statistics.median([s[3] for s in rows if s[3] is not None])
        cpu_used = [s[5] * 1000 for s in rows if s[5] is not None]
        print(f'{label:15s} {len(rows):6d} | {pct(trip, .5):7.1f} {pct(trip, .95):7.1f} {pct(trip, .99):7.1f}    '
              f'| {pct(server, .5):6.1f} {pct(server, .95):6.1f} {pct(server, .99):6.1f}  | {pct(cpu_used, .5):10.1f} '
              f'| {statements:.0f}, {commits:.0f}')
    lateness = timer_lateness(stack)
    if lateness:
        print(f'timer lateness ({len(lateness)} timers): p50 {pct(lateness, .5):.2f} s, '
              f'p95 {pct(lateness, .95):.2f} s, p99 {pct(lateness, .99):.2f} s, max {max(lateness):.2f} s')
    check_emails(stack, len(results))
    print(describe(cpu, len(results)))
    baseline = in_memory.run_cases(100)
    print(f'in memory (SpiffWorkflow alone, one thread): {baseline["cases_per_second"]:.1f} cases/s, '
          f'{baseline["cpu_per_case"] * 1000:.1f} ms CPU per case, user task '
          f'{baseline["task_cpu_median"] * 1000:.2f} ms CPU median')
    print_ratios(samples, results, cpu, baseline)


def print_ratios(samples, results, cpu, baseline):
    """The two figures the engine is judged by, each on its own line: the stack's CPU per full
    case (web, workers, PostgreSQL, Redis: not the load driver) and a completion's CPU (the
    serving thread's) against the same diagrams run by SpiffWorkflow alone, in this run."""
    stack_cpu = sum(seconds for part, seconds in cpu.items() if part != DRIVER)
    completion = [s[5] for s in samples.get('complete_task', []) if s[5] is not None and s[4] == 200]
    if results and cpu:
        per_case = stack_cpu / len(results)
        print(f'ratio CPU per case: {per_case / baseline["cpu_per_case"]:.1f}x in-memory '
              f'({per_case * 1000:.0f} ms vs {baseline["cpu_per_case"] * 1000:.1f} ms)')
    if completion:
        median = statistics.median(completion)
        print(f'ratio completion CPU: {median / baseline["task_cpu_median"]:.1f}x in-memory '
              f'({median * 1000:.1f} ms vs {baseline["task_cpu_median"] * 1000:.2f} ms)')

if __name__ == '__main__':
    main()
