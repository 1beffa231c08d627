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
