"""Size scenario: fill the database with 100,000 open PQRSF cases (plus closed ones for the
indicators) and measure the task list and the indicators at that size, on PostgreSQL, against
the same requests at a baseline size (1,000 open cases) measured first in the same run.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres python bench/fill.py \\
        [--open 100000] [--closed 20000] [--requests 200] [--baseline 1000]

Two real cases are run through the engine (one left waiting for classification, one taken to
its end with staff answers, the client's acceptance and a survey); then SQL copies them, rows
and all (case, PQRSF facts, open task and its groups, pending timers, history events, emails),
spreading type, channel, branch and dates over the last six months. Every copy of the open case
has its classification task open for the `lider_proceso` group, so the lead's task list holds
all 100,000. Prints the server time (`Server-Timing`) p50/p95/p99 of the API and web task lists
with several filters, and of the indicators page and CSV.
"""
import argparse
import random
import sys
import time

from fast_forward import fast_forward_processes
from scratch import database_kind, scratch_database
from staff import INTAKE, answers, pct

def spread(g: str) -> str:
    """Type, channel, branch and a time shift for copy number `g` (an SQL expression)."""
    return f"""
    (ARRAY['P','Q','R','S','F'])[1 + {g} % 5] AS case_type,
    (ARRAY['correo','web','telefono','presencial'])[1 + {g} % 4] AS channel,
    (ARRAY['BOG','MED','CLO','BAQ','CTG'])[1 + {g} % 5] AS branch,
    ({g} % 180) * interval '1 day' + ({g} % 600) * interval '1 minute' AS shift"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--open', type=int, default=100_000)
    parser.add_argument('--closed', type=int, default=20_000)
    parser.add_argument('--requests', type=int, default=200)
    parser.add_argument('--baseline', type=int, default=1_000,
                        help='open cases at the first measurement (0: measure at full size only)')
    args = parser.parse_args()
    with scratch_database('fill'):
        if database_kind() != 'postgresql':
            sys.exit('fill.py measures PostgreSQL: set DATABASE_URL to a PostgreSQL server')
        from app import create_app
        from app.platform.mailcatcher import MailCatcher
        with MailCatcher(port=0) as mail:
            app = create_app({'WTF_CSRF_ENABLED': False, 'SMTP_HOST': '127.0.0.1', 'SMTP_PORT': mail.port})
            with app.app_context():
                open_id, closed_id = prepare(app)
            stages = ([args.baseline] if 0 < args.baseline < args.open else []) + [args.open]
            filled, measured = 0, {}
            for tag, size in zip('AB', stages):
                with app.app_context():
                    started = time.perf_counter()
                    clone(open_id, size - filled, tag)
                    clone(closed_id, args.closed * (size - filled) // args.open, tag.lower())
                    print(f'filled to {size:,} open cases in {time.perf_counter() - started:.0f} s; '
                          f'{table_sizes()}')
                filled = size
                measured[size] = measure(app, args.requests)
            if len(stages) == 2:
                compare_sizes(measured, *stages)


def compare_sizes(measured: dict, small: int, large: int):
    """p95 at the full size against the same request at the baseline size, each on a line."""
    for label, p95 in measured[large].items():
        print(f'ratio p95 {label} at {large:,} / at {small:,}: {p95 / measured[small][label]:.2f}x '
              f'({p95:.1f} ms vs {measured[small][label]:.1f} ms)')

def prepare(app):
    """One case waiting for classification and one run to its end; returns their ids."""
    import flask_migrate

    from app import jobs
    from app.cases import service as pqrsf
    from app.accounts.demo import ensure_demo_users
    from app.engine.models import HumanTask
    from app.platform.extensions import db
    from app.platform.engines import get_engine
    from app.processes.deploy import deploy_paths
    from sqlalchemy import select
    flask_migrate.upgrade()
    deploy_paths([fast_forward_processes()], 'fill')  # the survey at once: the closed case ends
    ensure_demo_users()
    app.extensions['pqrsf']['dispatch'] = lambda queued: None
    jobs.use_app(app)
    rng = random.Random(3)
    waiting, _ = pqrsf.register(dict(INTAKE), 'colaborador')
    closed, _ = pqrsf.register(dict(INTAKE), 'colaborador')
    waiting_id, closed_id = waiting.id, closed.id
    jobs.drain()
    for _ in range(20):
        tasks = db.session.scalars(select(HumanTask).where(
            HumanTask.case_id == closed_id, HumanTask.state == 'open')).all()
        for task in tasks:
            get_engine().complete_task(task.id, answers(task.element_id, 'lider', rng), 'lider')
        if not tasks:
            try:
                pqrsf.answer_decision(closed_id, 'accept', '', 'lider')
            except Exception:  # not waiting for the answer yet: the decision email is still queued
                db.session.rollback()
        jobs.drain()
    from app.engine.models import Case
    from app.cases.models import SurveyAnswer
    assert db.session.get(Case, closed_id).state == 'completed', 'the closed template did not finish'
    db.session.add(SurveyAnswer(case_id=closed_id, rating=4, comment='', answered_at=db.session.get(
        Case, closed_id).completed_at))
    db.session.commit()
    return waiting_id, closed_id


def clone(template_id: int, count: int, tag: str):
    """Copy case `template_id` `count` times with SQL, spread over the last six months."""
    from sqlalchemy import text

    from app.platform.extensions import db
    sql = [f"""
        INSERT INTO "case" (process_id, reference, version_id, called_versions, state, revision, workflow,
                            last_event_hash, started_by, created_at, updated_at, completed_at)
        SELECT c.process_id, 'PQRSF-' || :tag || '-' || lpad(g::text, 7, '0'), c.version_id, c.called_versions, c.state,
               c.revision, c.workflow, c.last_event_hash, c.started_by, c.created_at - s.shift,
               c.updated_at - s.shift, c.completed_at - s.shift
        FROM "case" c, generate_series(1, :count) g, LATERAL (SELECT {spread('g')}) s
        WHERE c.id = :template ORDER BY g""", """
        CREATE TEMP TABLE clones AS
        SELECT c.id, c.reference, substr(c.reference, 9)::int AS g FROM "case" c
        WHERE c.reference LIKE 'PQRSF-' || :tag || '-%'""",
        f"""
        INSERT INTO pqrsf_case (case_id, radicado, case_type, channel, branch, received_at, answer_due_at,
                                follow_code_hash)
        SELECT k.id, k.reference, s.case_type, s.channel, s.branch, p.received_at - s.shift,
               p.answer_due_at - s.shift + (k.g % 40) * interval '1 day', p.follow_code_hash
        FROM clones k JOIN pqrsf_case p ON p.case_id = :template, LATERAL (SELECT {spread('k.g')}) s""",
        """
        INSERT INTO human_task (id, case_id, process_id, element_id, name, lane, candidate_groups, form_key,
                                state, assignee, due_at, created_at, completed_at, completed_by)
        SELECT md5(k.id || t.id)::uuid::text, k.id, t.process_id, t.element_id, t.name, t.lane,
               t.candidate_groups, t.form_key, t.state, t.assignee, p.answer_due_at, t.created_at,
               t.completed_at, t.completed_by
        FROM clones k JOIN human_task t ON t.case_id = :template JOIN pqrsf_case p ON p.case_id = k.id""",
        """
        INSERT INTO human_task_group (task_id, "group")
        SELECT md5(k.id || t.id)::uuid::text, g."group"
        FROM clones k JOIN human_task t ON t.case_id = :template JOIN human_task_group g ON g.task_id = t.id""",
        """
        INSERT INTO job (case_id, kind, task_id, element_id, topic, payload, state, due_at, attempts,
                         last_error, enqueued_at, created_at, updated_at)
        SELECT k.id, j.kind, md5(k.id || j.task_id)::uuid::text, j.element_id, j.topic, j.payload, j.state, j.due_at, j.attempts,
               j.last_error, j.enqueued_at, j.created_at, j.updated_at
        FROM clones k JOIN job j ON j.case_id = :template""",
        """
        INSERT INTO event (case_id, at, actor, kind, process_id, element_id, element_type, element_name,
                           task_id, parent_task_id, data, prev_hash, hash)
        SELECT k.id, e.at, e.actor, e.kind, e.process_id, e.element_id, e.element_type, e.element_name,
               e.task_id, e.parent_task_id, e.data, e.prev_hash, e.hash
        FROM clones k JOIN event e ON e.case_id = :template ORDER BY k.id, e.id""",
        """
        INSERT INTO sent_email (case_id, key, template, recipient, subject, body, sent_at)
        SELECT k.id, k.id || ':' || m.key, m.template, m.recipient, m.subject, m.body, m.sent_at
        FROM clones k JOIN sent_email m ON m.case_id = :template""",
        """
        INSERT INTO survey_answer (case_id, rating, comment, answered_at)
        SELECT k.id, 1 + k.g % 5, a.comment, a.answered_at FROM clones k JOIN survey_answer a ON a.case_id = :template""",
        'DROP TABLE clones']
    for statement in sql:
        db.session.execute(text(statement), {'count': count, 'template': template_id, 'tag': tag})
    db.session.commit()
    db.session.execute(text('ANALYZE'))
    db.session.commit()


def table_sizes() -> str:
    from sqlalchemy import text

    from app.platform.extensions import db
    counts = {name: db.session.scalar(text(f'SELECT count(*) FROM {name}'))
              for name in ('"case"', 'human_task', 'event', 'job', 'sent_email')}
    return ', '.join(f'{name.strip(chr(34))} {count:,}' for name, count in counts.items())


def measure(app, requests):
    from staff import _server_timing
    client = app.test_client()
    token = bearer(app, 'lider')
    from app.accounts.demo import DEMO_PASSWORD
    client.post('/ingresar', data={'username': 'lider', 'password': DEMO_PASSWORD})
    probes = [
        ('API /api/tasks (all open visible)', '/api/tasks', token),
        ('API /api/tasks?page=200', '/api/tasks?page=200', token),
        ('API /api/tasks?deadline=vencida', '/api/tasks?deadline=vencida', token),
        ('API /api/tasks?branch=MED&case_type=Q', '/api/tasks?branch=MED&case_type=Q', token),
        ('API /api/tasks?scope=mine', '/api/tasks?scope=mine', token),
        ('web /tareas/ (with counts)', '/tareas/', None),
        ('web /tareas/?deadline=por_vencer', '/tareas/?deadline=por_vencer', None),
    ]
    print(f'{"request":42s} {"server ms p50":>14s} {"p95":>8s} {"p99":>8s}  statements')
    p95 = {}
    for label, path, headers in probes:
        p95[label] = report(client, label, path, headers, requests, _server_timing)
    for label, path in (('web /indicadores', '/indicadores'), ('web /indicadores.csv', '/indicadores.csv')):
        p95[label] = report(client, label, path, None, max(5, requests // 20), _server_timing)
    return p95


def bearer(app, username):
    from sqlalchemy import select

    from app.accounts.login import issue_token
    from app.platform.extensions import db
    from app.accounts.models import User
    with app.app_context():
        token = issue_token(db.session.scalar(select(User).where(User.username == username)))
        db.session.remove()
    return {'Authorization': f'Bearer {token}'}


def report(client, label, path, headers, count, parse):
    timings, statements = [], None
    for _ in range(count):
        response = client.get(path, headers=headers or {})
        assert response.status_code == 200, (path, response.status_code)
        duration, statements, _, _ = parse(response.headers.get('Server-Timing', ''))
        timings.append(duration * 1000)
    print(f'{label:42s} {pct(timings, .5):14.1f} {pct(timings, .95):8.1f} {pct(timings, .99):8.1f}  {statements}')
    return pct(timings, .95)


if __name__ == '__main__':
    main()
