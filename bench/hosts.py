"""The product spread over several hosts, simulated on this machine with Linux network
namespaces (root only; see netns.py), to show it has no hidden single-host assumption.

    PYTHONPATH=$PWD .venv/bin/python bench/hosts.py [--cases 60] [--concurrency 8]
        [--timers 20] [--web-processes 2] [--threads 4] [--cut-seconds 8] [--sweep-grace 30]

Why: every other bench runs the whole stack on one loopback, where a shared file, a unix
socket, an in-process cache that must agree across machines or an address baked in
(127.0.0.1) would go unnoticed. Here each part is a host of its own on a private LAN
(10.77.0.0/24, a bridge in a namespace of its own; the machine's loopback and services are out
of reach): PostgreSQL (a private cluster, initdb in the host's /tmp), Redis, an SMTP catcher
(mailhost.py), two web hosts (gunicorn as stack.py starts it), two worker hosts (`pqrsf worker`)
and the load driver (this process, which also migrates and deploys). Every host has a /tmp and
an instance folder of its own, and every process is configured only by environment variables,
as in docker-compose.yml; the public base URL is a name no host serves.

Before the load it checks that each web host is ready (database, Redis, the workers of the
other hosts seen) and that a browser session begun on one web host works on the other and,
signed out there, is refused by the first (crosshost.py): no sticky sessions needed.

What it does: simulated staff (staff.py's run_case), half of them at home on each web host
behind a client-side balancer (failover.py), register cases through the HTTP API and work them
to the end (the workers send the acknowledgement, decision and survey emails through SMTP);
beside them, --timers probe cases (load.py's) wait on 2-4 s timers. During the load, three
drills (hostdrills.py): (a) a worker host's cable is pulled while it runs a case's job and
plugged back after --cut-seconds (the host whose worker holds RQ's scheduler lock, so the
timers due meanwhile wait for it or for the product's sweep); (b) web host 1 is stopped with
SIGTERM (SIGKILL if it does not go within 10 s) and (c) later web host 2 is killed with SIGKILL
while a registration is in flight to it; each web host is started again a few seconds later,
as a restart policy would.

The workers sweep with the product's default grace (30 s), longer than the cut. A cut longer
than the grace (e.g. --sweep-grace 5, the other benches' setting) shows what the design accepts
(handlers run at least once): the sweep hands the cut-off job to the other worker, and if the
first had already handed its email to SMTP, the message arrives twice, with the same Message-ID,
recorded once; the run then reports it.

What it proves (checked from the database and from what the SMTP host received): every case
registered reached its end and every timer probe too, no case was registered twice by a cut
request, no task completion or client answer was applied twice, every case has exactly its
three emails, recorded once and received once each. Prints cases/s, completed/errors, the
requests each web host answered, what the failovers cost and how late timers fired; exits 1 if
a check fails. Everything (processes, namespaces with their cables, temporary folders) is
removed at the end, on failure or Ctrl-C too; PQRSF_BENCH_KEEP=1 keeps the hosts' logs.
"""
import argparse
import os
import random
import re
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from crosshost import readiness, sessions_across
from drills import ledger
from fast_forward import fast_forward_processes
from failover import Aborted, Balancer, FailoverApi
from hostdrills import Drills
from hoststack import HostStack, start_services
from load import PROBE, check_emails, start_probes, timer_lateness, wait_for_probes
from netns import Network
from stack import STAFF_USER
from staff import pct, print_outcome, run_case

ADDRESSES = {'db': 2, 'redis': 3, 'mail': 4, 'web1': 11, 'web2': 12, 'worker1': 21, 'worker2': 22,
             'driver': 100}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--cases', type=int, default=60)
    parser.add_argument('--concurrency', type=int, default=8, help='simulated staff members')
    parser.add_argument('--web-processes', type=int, default=2, help='gunicorn processes per web host')
    parser.add_argument('--threads', type=int, default=4, help='threads per gunicorn process')
    parser.add_argument('--cut-seconds', type=float, default=8, help='how long the worker host is cut off')
    parser.add_argument('--sweep-grace', type=float, default=30,
                        help="PQRSF_SWEEP_GRACE_SECONDS (the product's default): a cut longer than this "
                             'lets a second worker run the cut-off job while the first may still be sending')
    parser.add_argument('--timers', type=int, default=20, help='timer probe cases (2-4 s timers) beside the cases')
    args = parser.parse_args()
    if os.geteuid() != 0:
        sys.exit('hosts.py needs root (network namespaces)')
    for number in (signal.SIGINT, signal.SIGTERM):  # SIGINT too: a shell's `&` job ignores it
        signal.signal(number, _interrupt)
    run_dir = Path(tempfile.mkdtemp(prefix='pqrsf-hosts-'))
    ok = False
    try:
        with Network() as lan:
            for name, number in ADDRESSES.items():
                lan.add_host(name, number)
            lan.enter(lan.hosts['driver'])  # from here on, this process is the driver host
            ok = run(lan, run_dir, args)
    except KeyboardInterrupt:
        print('interrupted: cleaning up')
    finally:
        if os.environ.get('PQRSF_BENCH_KEEP'):
            print(f'kept the logs in {run_dir} (PQRSF_BENCH_KEEP)')
        else:
            shutil.rmtree(run_dir, ignore_errors=True)
    sys.exit(0 if ok else 1)


_cleaning = threading.Event()


def _interrupt(*_):
    """The first Ctrl-C or SIGTERM stops the run; later ones (and any during the clean-up) are
    ignored, so that the clean-up itself is never cut short."""
    if not _cleaning.is_set():
        _cleaning.set()
        raise KeyboardInterrupt


def run(lan, run_dir, args) -> bool:
    services = start_services(lan, run_dir)
    stack = HostStack(lan, run_dir, web_processes=args.web_processes, threads=args.threads,
                      sweep_grace=args.sweep_grace)
    try:
        token = stack.prepare(diagrams=(fast_forward_processes(), PROBE))
        stack.start()
        print(f'hosts: {", ".join(map(repr, lan.hosts.values()))}')
        across = readiness(stack.base_urls) + sessions_across(*stack.base_urls)
        for what, passed in across:
            print(f'  {"ok" if passed else "FAILED"}: {what}')
        results = drive(stack, token, args)
        return report(stack, args, *results) and all(passed for _, passed in across)
    finally:
        _cleaning.set()
        stack.stop()
        services.stop()


def drive(stack, token, args):
    """Run `args.cases` cases with `args.concurrency` staff while the drills run."""
    balancer = Balancer(stack.base_urls)
    samples, done, errors, lock, stop = {}, [], [], threading.Lock(), threading.Event()
    progress = {'started': 0}

    def staff_member(number):
        own = {}
        api = FailoverApi(balancer, number % len(stack.base_urls), token, own, stop)
        rng = random.Random(number)
        while not stop.is_set():
            with lock:
                if progress['started'] >= args.cases:
                    break
                progress['started'] += 1
            try:
                outcome = run_case(api, STAFF_USER, rng)
                with lock:
                    done.append(outcome)
            except Aborted:
                break
            except Exception as error:  # keep driving; every failure is reported at the end
                with lock:
                    errors.append(repr(error))
        with lock:
            for label, values in own.items():
                samples.setdefault(label, []).extend(values)

    drills = Drills(stack, balancer, lambda: len(done) / args.cases, args.cut_seconds, stop)
    probes = threading.Thread(target=spread_probes, args=(stack, args.timers, stop), daemon=True)
    started = time.perf_counter()
    drills.start()
    probes.start()
    pool = ThreadPoolExecutor(args.concurrency)
    try:
        for future in [pool.submit(staff_member, n) for n in range(args.concurrency)]:
            future.result()
        elapsed = time.perf_counter() - started
        drills.finished.set()
        drills.join()
        probes.join()
        wait_for_probes(stack)
        lookup_works = all(FailoverApi(balancer, 0, token, {}, stop).find(reference) == radicado
                           for reference, radicado in list(balancer.registered.items())[:3])
    finally:
        stop.set()  # on Ctrl-C: every staff member gives up at its next request
        pool.shutdown(wait=True)
    return balancer, samples, done, errors, elapsed, drills, lookup_works


def spread_probes(stack, count, stop, seconds=20):
    """Start `count` timer probe cases (load.py's), one at a time over `seconds`, so that
    timers set by this host come due on the worker hosts through the drills."""
    for _ in range(count):
        if stop.is_set():
            return
        start_probes(stack, 1)
        stop.wait(seconds / count)


def report(stack, args, balancer, samples, done, errors, elapsed, drills, lookup_works) -> bool:
    print(f'{len(stack.web_hosts)} web hosts (gunicorn {args.web_processes} processes x {args.threads} threads), '
          f'{len(stack.worker_hosts)} worker hosts (sweep grace {args.sweep_grace:g} s), {args.concurrency} simulated staff')
    print_outcome(done, args.cases, errors, elapsed)
    hosts = ', '.join(f'{h.name} {n}' for h, n in zip(stack.web_hosts, balancer.served))
    print(f'requests answered: {hosts}; {", ".join(f"{k} {v}" for k, v in balancer.counts.items())}')
    for label in ('register', 'task_list', 'case', 'complete_task', 'client_answer', 'lookup'):
        trip = [s[0] * 1000 for s in samples.get(label, [])]
        if trip:
            print(f'  {label:14s} {len(trip):5d} requests, round trip p50 {pct(trip, .5):6.1f} ms, '
                  f'p95 {pct(trip, .95):7.1f} ms, max {max(trip):7.1f} ms')
    print('drills:')
    for line in drills.log:
        print('  ' + line)
    lateness = timer_lateness(stack)
    if lateness:
        print(f'timer lateness ({len(lateness)} timers, set by the driver host, fired by the worker hosts): '
              f'p50 {pct(lateness, .5):.2f} s, p95 {pct(lateness, .95):.2f} s, max {max(lateness):.2f} s')
    check_emails(stack, len(done))
    print(f'the search a cut registration is looked up with finds a registered case by its reference: '
          f'{"yes" if lookup_works else "NO"}')
    return check(stack, args, done, errors, drills) and lookup_works


def check(stack, args, done, errors, drills) -> bool:
    """The database's and the SMTP host's word on the run (see the module docstring)."""
    from sqlalchemy import select

    from app.cases.models import PqrsfCase
    from app.platform.extensions import db
    from app.platform.mail import message_id
    found, probes = ledger(stack.app, 'pqrsf'), ledger(stack.app, 'timer_probe')['states']
    with stack.app.app_context():
        texts = db.session.scalars(select(PqrsfCase.search_text)).all()
        mail_from = stack.app.config['MAIL_FROM']
        db.session.remove()
    references = Counter(m.group(0) for text in texts for m in re.finditer(r'ref\d+x\d+', text or ''))
    registered_twice = sorted(r for r, n in references.items() if n > 1)
    received = Counter(m['message_id'] for m in stack.mail.messages)
    expected = {message_id(key, mail_from): case_id for case_id, _, key in found['emails']}
    not_once = sorted({case_id for mid, case_id in expected.items() if received[mid] != 1})
    unknown = sum(n for mid, n in received.items() if mid not in expected)
    print(f"cases in the database: {found['states']}; completed by the staff {len(done)}; "
          f"registered twice (same reference): {len(registered_twice)} {registered_twice[:3]}")
    print(f'timer probe cases: {probes} (expected {args.timers} completed)')
    print(f"task completions other than expected: {len(found['wrong_tasks'])} {found['wrong_tasks'][:5]}; "
          f"client answers applied twice: {found['answers_twice']}; incidents opened: {found['incidents']}")
    print(f"emails recorded not exactly once per case and template: {len(found['wrong_emails'])}; "
          f"SMTP host received {sum(received.values())} messages ({len(received)} distinct), "
          f"{sum(n - 1 for n in received.values() if n > 1)} twice or more; "
          f'cases with an email not received exactly once: {len(not_once)}; messages no case recorded: {unknown}')
    ok = (not errors and not drills.failures and found['states'] == {'completed': len(done)}
          and probes == ({'completed': args.timers} if args.timers else {})
          and len(references) == len(done) and not registered_twice and not found['wrong_tasks']
          and not found['answers_twice'] and not found['wrong_emails'] and not not_once and not unknown)
    print(f'the job the worker host was cut off in: {drills.cut_job}; afterwards {job_fate(stack, drills.cut_job)}')
    for failure in drills.failures:
        print('drill failed:', failure)
    print('RESULT:', 'nothing lost, nothing applied twice, no email twice' if ok else 'PROBLEMS FOUND (see above)')
    return ok


def job_fate(stack, description) -> str:
    """State and failed attempts of the product job an RQ description names."""
    from app.engine.models import Job
    from app.platform.extensions import db
    found = re.search(r'job (\d+)', description or '')
    if not found:
        return 'unknown'
    with stack.app.app_context():
        job = db.session.get(Job, int(found.group(1)))
        fate = f'{job.state}, {job.attempts} failed attempt(s)' if job else 'no such job'
        db.session.remove()
    return fate


if __name__ == '__main__':
    main()
