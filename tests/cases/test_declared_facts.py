"""Process facts declared on elements as Camunda extension properties: a task's due date from the
variable its element (or its process) names, the client message a catch event waits for, the
milestone and the public message stamped on the event, and lint of unknown values."""
from datetime import datetime, timezone
from pathlib import Path

import pytest
from sqlalchemy import select

from app.cases import service as pqrsf
from app.cases.summary import public_timeline
from app.engine.errors import Conflict
from app.engine.lint import Linter
from app.engine.models import Event, HumanTask
from tests.support import flow

FACTS = Path(__file__).resolve().parents[1] / 'diagrams' / 'facts'


def open_row(case_id, element_id):
    return flow.read(lambda s: s.scalars(select(HumanTask).where(
        HumanTask.case_id == case_id, HumanTask.element_id == element_id)).one())


def test_due_dates_messages_milestones_and_public_messages_come_from_the_properties(app):
    flow.deploy('facts/declared_facts.bpmn')
    case_id = flow.start('declared_facts')
    # its own `due_date_variable` first, else the process's
    assert open_row(case_id, 'df_own_due').due_at == datetime(2030, 1, 10, 17, tzinfo=timezone.utc)
    flow.complete(case_id, 'df_own_due', {'approved': True})
    assert open_row(case_id, 'df_process_due').due_at == datetime(2030, 1, 31, 17, tzinfo=timezone.utc)
    flow.complete(case_id, 'df_process_due', {'approved': True})
    with pytest.raises(Conflict):  # no element declares `client_message` = information
        pqrsf.send_client_message(case_id, pqrsf.INFORMATION, {'text': 'x'}, 'cliente')
    flow.work(app)
    pqrsf.send_client_message(case_id, pqrsf.ANSWER, {'decision': 'accept'}, 'cliente')
    assert flow.case_state(case_id) == 'completed'

    rows = flow.read(lambda s: s.execute(select(Event.kind, Event.element_id, Event.milestone).where(
        Event.case_id == case_id, Event.milestone.is_not(None))).all())
    assert rows == [('service_completed', 'df_answer', 'answer_sent')]  # not when it was queued
    assert [text for _, text in public_timeline(case_id, 'es')] == [
        'Recibido.', 'Le respondimos.', 'Recibimos su réplica.']
    assert [text for _, text in public_timeline(case_id, 'en')] == [  # Spanish where no English
        'Received.', 'Le respondimos.', 'Recibimos su réplica.']


def test_a_catch_event_gets_the_message_named_in_the_diagram(app):
    """The client's data land in a variable named as the BPMN message the event declares."""
    flow.deploy('facts/declared_facts.bpmn')
    case_id = flow.start('declared_facts')
    for element_id in ('df_own_due', 'df_process_due'):
        flow.complete(case_id, element_id, {'approved': True})
    flow.work(app)
    result = pqrsf.send_client_message(case_id, pqrsf.ANSWER, {'decision': 'reject'}, 'cliente')
    assert result.state == 'completed'
    received = flow.read(lambda s: s.scalars(select(Event).where(
        Event.case_id == case_id, Event.kind == 'message_received')).one())
    assert received.element_id == 'df_wait'
    with pytest.raises(Conflict):  # it waits no more
        pqrsf.send_client_message(case_id, pqrsf.ANSWER, {'decision': 'reject'}, 'cliente')


def test_lint_refuses_unknown_values_naming_the_element_and_the_allowed_ones():
    path = FACTS / 'unknown_facts.bpmn'
    linter = Linter(topics=set(), form_problem=lambda key: None)
    problems = {(p.element_id, p.message) for p in linter.lint({path.name: path.read_bytes()})
                if p.severity == 'error'}
    assert problems == {
        ('unknown_facts', "La propiedad 'intake' vale 'si', que no se reconoce; valores permitidos: "
                          'true, false.'),
        ('uf_review', "La propiedad 'milestone' vale 'foo', que no se reconoce; valores permitidos: "
                      'answer_sent, escalated, nonconformity, clock_stopped, clock_resumed, extended, desisted.'),
        ('uf_review', "La propiedad 'client_message' va en un evento que espera un mensaje; este "
                      'elemento no espera ninguno.'),
        ('uf_review', "La propiedad 'due_date_variable' debe ser el nombre de una variable del caso, "
                      "no 'fecha límite'."),
    }


def test_the_shipped_diagrams_declare_what_the_product_reads():
    path = flow.ROOT / 'processes'
    documents = {p.name: p.read_bytes() for p in path.glob('*.bpmn')}
    linter = Linter(topics=None, form_problem=lambda key: None)
    assert [p for p in linter.lint(documents) if p.severity == 'error'] == []
    text = documents['pqrsf.bpmn'].decode()
    for fact in ('name="intake" value="true"', 'name="due_date_variable" value="answer_due"',
                 'name="client_message" value="answer"', 'name="client_message" value="information"',
                 'name="milestone" value="answer_sent"', 'name="milestone" value="escalated"',
                 'name="milestone" value="nonconformity"', 'name="public_message_en"'):
        assert fact in text, fact
