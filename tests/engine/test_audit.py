"""Tamper evidence: the history of each case is hash-chained; any edit is found and named."""
import os
import subprocess
import sys

from sqlalchemy import select, text

from app.engine.audit import verify
from app.engine.models import Event
from tests.support import flow


def _tour_case(app):
    flow.deploy('engine_tour.bpmn', 'engine_tour_sub.bpmn')
    case_id = flow.start('engine_tour', {'deadline_days': 3})
    flow.complete(case_id, 'review', {'approved': True, 'comment': 'ok'})
    flow.work(app)
    return case_id


def _cli_verify():
    env = dict(os.environ, PYTHONPATH=str(flow.ROOT))
    return subprocess.run([sys.executable, '-m', 'app.cli', 'audit', 'verify'], cwd=flow.ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def test_untouched_history_verifies(app):
    case_id = _tour_case(app)
    rows = flow.read(lambda s: s.scalars(select(Event).where(Event.case_id == case_id).order_by(Event.id)).all())
    assert rows[0].prev_hash is None and all(r.hash for r in rows)
    assert all(later.prev_hash == earlier.hash for earlier, later in zip(rows, rows[1:]))
    assert flow.read(lambda s: verify(s)) == []
    result = _cli_verify()
    assert result.returncode == 0 and 'ninguna cadena rota' in result.stdout


def test_an_edited_event_breaks_the_chain_and_is_named(app):
    case_id = _tour_case(app)
    other = flow.start('engine_tour', {'deadline_days': 3})
    target = flow.read(lambda s: s.scalars(select(Event.id).where(
        Event.case_id == case_id, Event.kind == 'task_completed')).one())
    flow.db.session.execute(text("UPDATE event SET actor = 'alguien_mas' WHERE id = :id"), {'id': target})
    flow.db.session.commit()
    breaks = flow.read(lambda s: verify(s))
    assert [(b.case_id, b.event_id) for b in breaks] == [(case_id, target)]
    assert 'se modificó' in breaks[0].reason
    result = _cli_verify()
    assert result.returncode == 1
    assert f'caso {case_id}, evento {target}' in result.stderr and f'caso {other}' not in result.stderr


def test_a_deleted_event_breaks_the_chain(app):
    case_id = _tour_case(app)
    ids = flow.read(lambda s: s.scalars(select(Event.id).where(Event.case_id == case_id).order_by(Event.id)).all())
    flow.db.session.execute(text('DELETE FROM event WHERE id = :id'), {'id': ids[3]})
    flow.db.session.commit()
    breaks = flow.read(lambda s: verify(s, case_id))
    assert [(b.case_id, b.event_id) for b in breaks] == [(case_id, ids[4])]


def test_deleting_the_newest_events_is_found_through_the_head_on_the_case(app):
    from app.engine.models import Case
    case_id = _tour_case(app)
    ids = flow.read(lambda s: s.scalars(select(Event.id).where(Event.case_id == case_id).order_by(Event.id)).all())
    head = flow.read(lambda s: s.get(Case, case_id).last_event_hash)
    assert head == flow.read(lambda s: s.get(Event, ids[-1]).hash)
    flow.db.session.execute(text('DELETE FROM event WHERE id >= :id AND case_id = :case'),
                            {'id': ids[-2], 'case': case_id})
    flow.db.session.commit()
    breaks = flow.read(lambda s: verify(s, case_id))
    assert [(b.case_id, b.event_id) for b in breaks] == [(case_id, ids[-3])]
    assert 'faltan eventos' in breaks[0].reason


def test_the_case_page_reports_a_broken_history(app):
    from app.accounts.demo import ensure_demo_users
    from app.engine.models import Case
    from tests.support.web import login
    case_id = _tour_case(app)
    flow.db.session.execute(text("UPDATE \"case\" SET reference = 'PQRSF-2026-999999' WHERE id = :id"), {'id': case_id})
    flow.db.session.commit()
    from app.cases.models import PqrsfCase
    from datetime import datetime, timezone
    now = datetime.now(timezone.utc)
    flow.db.session.add(PqrsfCase(case_id=case_id, radicado='PQRSF-2026-999999', case_type='Q', channel='correo',
                                  branch='BOG', received_at=now, answer_due_at=now, follow_code_hash='x'))
    flow.db.session.commit()
    ensure_demo_users()
    client = login(app.test_client(), 'auditor')
    assert 'Historia íntegra' in client.get('/casos/PQRSF-2026-999999').get_data(as_text=True)
    target = flow.read(lambda s: s.scalars(select(Event.id).where(Event.case_id == case_id)).first())
    flow.db.session.execute(text("UPDATE event SET kind = 'otra_cosa' WHERE id = :id"), {'id': target})
    flow.db.session.commit()
    page = client.get('/casos/PQRSF-2026-999999').get_data(as_text=True)
    assert f'el evento {target} no coincide' in page
    assert flow.read(lambda s: s.get(Case, case_id)) is not None
