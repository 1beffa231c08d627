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
from app.engine.facts import MILESTONES
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


def _catch(element_id, message):
    return (f'<bpmn:intermediateCatchEvent id="{element_id}"><bpmn:extensionElements><camunda:properties>'
            '<camunda:property name="client_message" value="information" /></camunda:properties>'
            f'</bpmn:extensionElements><bpmn:messageEventDefinition messageRef="{message}" />'
            '</bpmn:intermediateCatchEvent>')


def test_several_events_may_wait_for_one_client_message_but_not_with_two_messages():
    """An event-based gateway offered twice (before and after the client's one extra month) has
    an information event in each; a second BPMN message would make the client's form ambiguous."""
    text = ('<?xml version="1.0" encoding="UTF-8"?><bpmn:definitions '
            'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
            'xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="d" targetNamespace="t">'
            '<bpmn:message id="m1" name="info" /><bpmn:message id="m2" name="other" />'
            '<bpmn:process id="p" isExecutable="true">'
            + _catch('first', 'm1') + _catch('again', 'm1') + _catch('other', 'm2') +
            '</bpmn:process></bpmn:definitions>')
    linter = Linter(topics=set(), form_problem=lambda key: None)
    ambiguous = [(p.element_id, p.message) for p in linter.lint({'p.bpmn': text.encode()})
                 if 'ambiguo' in p.message]
    assert ambiguous == [('other', "'client_message' = 'information' ya está declarado en 'first' con otro "
                                   'mensaje: el mensaje del cliente sería ambiguo.')]


def test_the_shipped_diagrams_declare_what_the_product_reads():
    path = flow.ROOT / 'processes'
    documents = {p.name: p.read_bytes() for p in sorted(path.iterdir()) if p.suffix in ('.bpmn', '.dmn')}
    linter = Linter(topics=None, form_problem=lambda key: None)
    assert [p for p in linter.lint(documents) if p.severity == 'error'] == []
    text = ''.join(documents[name].decode() for name in documents if name.endswith('.bpmn'))
    for fact in ('name="intake" value="true"', 'name="due_date_variable" value="answer_due"',
                 'name="client_message" value="answer"', 'name="client_message" value="information"',
                 'name="client_message" value="more_time"', 'name="shared_variables"',
                 'name="case.legal_due_at" value="legal_due"', 'name="business_days" value="true"',
                 *(f'name="milestone" value="{m}"' for m in MILESTONES), 'name="public_message_en"'):
        assert fact in text, fact
