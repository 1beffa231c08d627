"""The sandbox that evaluates diagram text: what runs, what is refused, and its limits."""
import threading
from datetime import datetime, timezone

import pytest
from sqlalchemy import select

from app.engine.errors import StepFailed
from app.engine.models import Case, Incident
from app.engine.sandbox import Limits, Sandbox, SandboxError, problems
from app.cases.models import PqrsfCase
from tests.support import flow
from tests.support.pqrsf import CLIENT, deploy_processes

CALENDAR = {'country': 'CO', 'subdivision': None, 'time_zone': 'America/Bogota', 'weekend': [5, 6],
            'extra_days': ['2026-12-02']}
NOW = datetime(2026, 12, 1, 15, 0, tzinfo=timezone.utc)  # Tuesday 10:00 in Bogotá


@pytest.fixture(scope='module')
def sandbox():
    box = Sandbox(Limits(cpu_seconds=1, memory_mb=128))
    yield box
    box.close()


def test_what_a_process_needs_runs(sandbox):
    script = '\n'.join([
        'total = sum(a["amount"] for a in actions if a["amount"] > 1)',
        'names = sorted([a["name"] for a in actions], key=lambda n: -len(n))',
        'label = f"{len(actions)} acciones, total {total}"',
        'due = business_deadline(received_at, 1)',
        'today = date.today().isoformat()',
        'later = (datetime.now() + timedelta(days=1)).isoformat()',
        'flags = {k: v for k, v in zip(["a", "b"], [True, False])}',
        'del actions',
    ])
    data = {'actions': [{'name': 'uno', 'amount': 1}, {'name': 'tres', 'amount': 3}],
            'received_at': '2026-12-01T10:00:00-05:00'}
    result = sandbox.execute(script, data, NOW, CALENDAR)
    assert result == {
        'received_at': '2026-12-01T10:00:00-05:00', 'total': 3, 'names': ['tres', 'uno'],
        'label': '2 acciones, total 3',
        'due': '2026-12-04T04:59:59+00:00',  # 2 Dec is an extra non-working day: Thursday 3rd
        'today': '2026-12-01', 'later': '2026-12-02T15:00:00', 'flags': {'a': True, 'b': False}}
    assert sandbox.evaluate("now()", {}, NOW, CALENDAR) == '2026-12-01T15:00:00+00:00'
    assert sandbox.evaluate("x['y'] if x else None", {'x': {'y': (1, 2)}}, NOW, CALENDAR) == (1, 2)


@pytest.mark.parametrize('source, construct', [
    ('().__class__', "'.__class__'"),
    ('x.__dict__', "'.__dict__'"),
    ('_private', "'_private'"),
    ('getattr(x, "y")', "'getattr'"),
    ('type(x)', "'type'"),
    ("'{0.__class__}'.format(x)", "'.format'"),
    ("'{x}'.format_map(d)", "'.format_map'"),
    ('(i for i in x).gi_frame', "'.gi_frame'"),
    ('f.f_globals', "'.f_globals'"),
    ('int.mro()', "'.mro'"),
    ("b'x'", 'bytes'),
    ('(yield)', "'yield'"),
    ('[x async for x in y]', None),
])
def test_expressions_refused_name_their_construct(source, construct):
    found = problems(source, 'eval')
    assert found, source
    if construct:
        assert any(construct in message for message in found), found


@pytest.mark.parametrize('source, construct', [
    ('import os', "'import'"), ('from os import path', "'from … import'"),
    ('global x', "'global'"), ('def f():\n    pass', "'def'"), ('class A:\n    pass', "'class'"),
    ('now.cache = 1', "'.cache = …'"), ('del datetime.now', "'.now = …'"),
    ('raise ValueError', "'raise'"), ('assert x', "'assert'"), ('with x:\n    pass', "'with'"),
    ('try:\n    pass\nexcept Exception:\n    pass', "'try'"),
])
def test_statements_refused_name_their_construct(source, construct):
    assert any(construct in message for message in problems(source, 'exec'))


def test_the_child_refuses_too_what_lint_would(sandbox):
    """Text stored before a rule existed is refused where it runs, not only at deploy."""
    with pytest.raises(SandboxError) as refused:
        sandbox.execute('x = ().__class__.__bases__', {}, NOW, CALENDAR)
    assert refused.value.kind == 'refused' and "'.__class__'" in refused.value.message


def test_builtins_outside_the_list_do_not_exist(sandbox):
    for name in ('print', 'isinstance', 'hasattr', 'iter', 'format', 'id', 'bytearray'):
        with pytest.raises(SandboxError) as failed:
            sandbox.evaluate(f'{name}(1)', {}, NOW, CALENDAR)
        assert failed.value.kind == 'error' and 'NameError' in failed.value.message


@pytest.mark.parametrize('source, limit', [
    ('while True:\n    pass', 'tiempo de CPU'),
    ('x = 10 ** 10 ** 8', 'tiempo de CPU'),  # one C operation: only a kernel timer stops it
    ('x = sum(range(10 ** 12))', 'tiempo de CPU'),
    ("x = 'a' * (10 ** 9)", 'memoria'),
    ('x = [0] * (10 ** 9)', 'memoria'),
    ('x = list(range(10 ** 8))', 'memoria'),
])
def test_cpu_time_and_memory_are_bounded(sandbox, source, limit):
    with pytest.raises(SandboxError) as stopped:
        sandbox.execute(source, {}, NOW, CALENDAR)
    assert stopped.value.kind == 'limit' and limit in stopped.value.message
    assert sandbox.evaluate('1 + 1', {}, NOW, CALENDAR) == 2  # a fresh child takes over


def test_errors_say_what_and_which_line(sandbox):
    with pytest.raises(SandboxError) as failed:
        sandbox.execute('a = 1\nb = a / 0', {}, NOW, CALENDAR)
    assert failed.value.line == 2 and 'ZeroDivisionError' in failed.value.message
    with pytest.raises(SandboxError) as unstorable:
        sandbox.execute('f = range(3)', {}, NOW, CALENDAR)
    assert 'range' in unstorable.value.message
    with pytest.raises(SandboxError) as shadowed:
        sandbox.execute('x = 1', {'now': 'a field called now'}, NOW, CALENDAR)
    assert 'now' in shadowed.value.message


def test_a_runaway_script_is_an_incident_while_a_public_filing_completes(pg_app):
    """The runaway holds its case's row lock for at most the CPU limit; other cases move."""
    deploy_processes()
    flow.deploy('runaway.bpmn')
    runaway = flow.start('runaway')
    failures = []

    def spin():
        with pg_app.app_context():
            try:
                flow.complete(runaway, 'r_review')
            except StepFailed as error:
                failures.append(error)

    thread = threading.Thread(target=spin)
    thread.start()
    from app.cases import service as pqrsf
    filed, _ = pqrsf.register(dict(CLIENT), 'colaborador1')
    filing_done_while_spinning = thread.is_alive()
    thread.join(timeout=60)
    assert not thread.is_alive() and len(failures) == 1
    incidents = flow.read(lambda s: s.scalars(select(Incident).where(Incident.case_id == runaway)).all())
    assert [(i.element_id, 'tiempo de CPU' in i.message) for i in incidents] == [('spin', True)]
    assert flow.open_tasks(runaway) == ['r_review']  # the case stayed where it was
    assert flow.read(lambda s: s.get(PqrsfCase, filed.id).radicado)
    assert flow.case_state(filed.id) == 'running'
    assert filing_done_while_spinning or incidents[0].created_at >= filed.created_at
    # its lock was released: another writer takes the row at once
    from app.platform.extensions import db
    db.session.execute(select(Case).where(Case.id == runaway).with_for_update(nowait=True)).scalar_one()
    db.session.rollback()


def test_email_templates_render_in_jinjas_sandbox(app, tmp_path):
    """Email templates are process owners' text too: no attribute walks out of the context."""
    from handlers.emails import render
    (tmp_path / 'evil.txt').write_text('Subject: x\n{{ name.__class__.__mro__ }}', encoding='utf-8')
    (tmp_path / 'fine.txt').write_text('Subject: Hola {{ name }}\n{{ name.upper() }}', encoding='utf-8')
    app.config['EMAIL_TEMPLATES_DIR'] = str(tmp_path)
    with pytest.raises(ValueError, match="'evil' falló"):
        render('evil', {'name': 'ana'})
    assert render('fine', {'name': 'ana'}) == ('Hola ana', 'ANA')


def test_warm_children_are_started_before_any_evaluation():
    box = Sandbox(Limits(cpu_seconds=1))
    try:
        box.warm(3).join(timeout=60)
        pids = {child.process.pid for child in box._idle}
        assert len(pids) == 3 and all(child.alive() for child in box._idle)
        assert box.evaluate('40 + 2', {}, NOW, CALENDAR) == 42
        assert {child.process.pid for child in box._idle} == pids  # a warm one served it
    finally:
        box.close()
