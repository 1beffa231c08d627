"""Where a completion's CPU goes: full PQRSF cases driven in this process through the HTTP API
(Flask's test client: authentication, JSON, the step, its projection, its commit), with every
`complete_task` request profiled by cProfile. The jobs each step queues run inline between
requests, unprofiled, so the profile is the web side of a completion only.

    DATABASE_URL=postgresql://... python bench/profile_step.py [--plain 10] [--cases 20] [--top 40] [--sort tottime]

Prints the median CPU time of a completion (thread time), the in-memory step of the same
diagrams (bench/in_memory.py) and their ratio, then the profile's top functions. Use it to
judge one lever at a time; bench/load.py gives the figures under load.
"""
import argparse
import cProfile
import os
import pstats
import random
import statistics
import time

from fast_forward import fast_forward_processes
from scratch import ROOT, scratch_database
from stack import STAFF_ROLES
from staff import INTAKE, answers


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--cases', type=int, default=20)
    parser.add_argument('--top', type=int, default=40)
    parser.add_argument('--sort', default='tottime', help='pstats sort key: tottime, cumulative')
    parser.add_argument('--plain', type=int, default=10,
                        help='cases run first without the profiler, for the CPU figure')
    parser.add_argument('--statements', action='store_true',
                        help='print the SQL statements of the last profiled case\'s completions')
    parser.add_argument('--jobs', action='store_true',
                        help="profile the jobs (the workers' side) instead of the completions")
    parser.add_argument('--save', help='also write the profile to this file (for pstats callers)')
    args = parser.parse_args()
    from app.platform.mailcatcher import MailCatcher
    mail = MailCatcher(port=0)
    mail.start()
    os.environ.update(SMTP_HOST='127.0.0.1', SMTP_PORT=str(mail.port), PQRSF_ENV='production',
                      SECRET_KEY='bench-secret', PQRSF_QUEUE=f'profile-{os.getpid()}')
    try:
        with scratch_database('profile'):
            run(args)
    finally:
        mail.stop()


def run(args):
    import flask_migrate

    from app import create_app
    from app.accounts.login import create_user, issue_token
    from app.platform.extensions import db
    from app.processes.deploy import deploy_paths
    app = create_app()
    with app.app_context():
        flask_migrate.upgrade(directory=str(ROOT / 'migrations'))
        deploy_paths([fast_forward_processes()], 'bench')
        token = issue_token(create_user('carga', 'personal-simulado-2026', STAFF_ROLES, 'Personal'))
        db.session.remove()
    client = app.test_client()
    headers = {'Authorization': f'Bearer {token}'}
    statements = Statements(app) if args.statements else None
    profile = cProfile.Profile(time.thread_time)  # CPU, not waiting
    plain, profiled = [], []
    rng = random.Random(3)
    for number in range(args.plain + args.cases):
        warm = number < 2  # the first cases fill the caches: neither measured nor profiled
        if number < args.plain:
            drive_case(client, headers, rng, None, [] if warm else plain)
        else:
            if statements is not None:
                statements.clear()
            drive_case(client, headers, rng, profile, profiled, statements, args.jobs)
    import in_memory
    baseline = in_memory.run_cases(50)['task_median']
    median = statistics.median(plain)
    print(f'CPU per completion (thread time, {len(plain)} without the profiler): median {median * 1000:.2f} ms')
    print(f'in-memory step (SpiffWorkflow alone): {baseline * 1000:.2f} ms; ratio {median / baseline:.1f}x')
    for line in statements or ():
        print(line)
    if args.save:
        profile.dump_stats(args.save)
    pstats.Stats(profile).strip_dirs().sort_stats(args.sort).print_stats(args.top)


def _profiled(function, profile):
    def run():
        if profile is None:
            return function()
        profile.enable()
        try:
            return function()
        finally:
            profile.disable()
    return run


class Statements(list):
    """The SQL statements (first 160 characters) made while `watching` is set."""

    def __init__(self, app):
        super().__init__()
        from sqlalchemy import event

        from app.platform.extensions import db
        self.watching = False
        with app.app_context():
            event.listen(db.engine, 'before_cursor_execute', self._record)

    def _record(self, conn, cursor, statement, *args):
        if self.watching:
            self.append(' '.join(statement.split())[:160])


def drive_case(client, headers, rng, profile, cpu, statements=None, jobs=False):
    """One case, intake to closing; completions timed (and profiled when `profile` is given),
    or with `jobs` the jobs the worker side runs."""
    from app.jobs import drain
    if jobs:
        profile, job_profile = None, profile
        drain = _profiled(drain, job_profile)
    response = client.post('/api/cases', json=INTAKE, headers=headers)
    assert response.status_code == 201, response.get_json()
    radicado = response.get_json()['radicado']
    answered = False
    for _ in range(100):
        drain()
        case = client.get(f'/api/cases/{radicado}', headers=headers).get_json()
        if case['state'] == 'completed':
            return
        if not case['open_tasks']:
            assert not answered, f'case {radicado} is stuck'
            response = client.post(f'/api/cases/{radicado}/answer', headers=headers,
                                   json={'decision': 'accept', 'comment': 'Gracias'})
            answered = response.status_code == 200
            continue
        for task in case['open_tasks']:
            body = answers(task['element_id'], 'carga', rng)
            started = time.thread_time()
            if profile:
                profile.enable()
            if statements is not None:
                statements.watching = True
                statements.append(f"--- {task['element_id']}")
            response = client.post(f"/api/tasks/{task['id']}/complete", json=body, headers=headers)
            if statements is not None:
                statements.watching = False
            if profile:
                profile.disable()
                cpu.append(time.thread_time() - started)
                continue
            cpu.append(time.thread_time() - started)
            assert response.status_code in (200, 409), response.get_json()
    raise RuntimeError(f'case {radicado} did not finish')


if __name__ == '__main__':
    main()
