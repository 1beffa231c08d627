"""Events written before facts were declared get them from the migration, with the mapping the
code used until then: old cases keep their timeline and their indicators."""
import json

import flask_migrate
from sqlalchemy import text

from app.platform.extensions import db

BEFORE = 'c5e2a8d4f1b7'  # the revision before the facts columns
NOW = "'2026-11-30 10:00:00+00:00'"


def test_the_migration_fills_in_the_facts_of_earlier_events(app):
    db.session.remove()
    flask_migrate.downgrade(revision=BEFORE)
    try:
        with db.engine.begin() as connection:
            connection.execute(text(
                'INSERT INTO process_version (id, process_id, version, content_hash, file_name, bpmn_xml, '
                f"deployed_at, deployed_by) VALUES (1, 'pqrsf', 1, 'x', 'pqrsf.bpmn', '<x/>', {NOW}, 't')"))
            connection.execute(text(
                'INSERT INTO "case" (id, process_id, version_id, called_versions, state, revision, workflow, '
                f"started_by, created_at, updated_at) VALUES (1, 'pqrsf', 1, '{{}}', 'running', 1, '', 't', {NOW}, {NOW})"))
            for n, (kind, element, process) in enumerate([
                    ('element_completed', 'pqrsf_received', 'pqrsf'),
                    ('service_queued', 'send_decision', 'pqrsf'),      # not what happened: no fact
                    ('service_completed', 'send_decision', 'pqrsf'),
                    ('call_started', 'rejection_escalation', 'pqrsf'),
                    ('service_completed', 'send_decision', 'other'),   # another process's element
                    ('service_completed', 'record_late_answer', 'pqrsf')], 1):
                connection.execute(text(
                    'INSERT INTO event (id, case_id, at, actor, kind, process_id, element_id) '
                    f"VALUES ({n}, 1, {NOW}, 't', '{kind}', '{process}', '{element}')"))
    finally:
        flask_migrate.upgrade()
    rows = db.session.execute(text('SELECT milestone, public_message FROM event ORDER BY id')).all()
    db.session.rollback()
    decoded = [(m, json.loads(p) if isinstance(p, str) else p) for m, p in rows]
    assert decoded == [
        (None, {'es': 'Recibimos su solicitud.', 'en': 'We received your request.'}),
        (None, None),
        ('answer_sent', {'es': 'Le enviamos nuestra respuesta.', 'en': 'We sent you our answer.'}),
        ('escalated', {'es': 'Su caso fue escalado a la gerencia.', 'en': 'Your case was escalated to management.'}),
        (None, None),
        ('nonconformity', None)]
