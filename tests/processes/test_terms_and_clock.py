"""SER-PD-01 and Ley 1755: the term of each request type (a DMN table), the extension of art. 14,
the clock that stops while the client owes information (art. 17), desistimiento, and the survey
five business days after closing. Through the real engine, RQ workers, SMTP catcher and clock.

Dates are counted by hand here (not with the product's calendar): from Tuesday 2 March 2027 the
business days skip Monday 22 March (San José, moved) and Holy Thursday and Friday, 25-26 March."""
from datetime import date, datetime

import pytest

from app.cases import service as pqrsf
from tests.support import flow
from tests.support.pqrsf import (ask_information, classify, do, drive_to_decision, emails, local_day,
                                 procedure_at, register, send_information, token_in, travel_to,
                                 variables)

FILED = datetime(2027, 3, 2, 9, 0)  # Tuesday


def milestones(case_id):
    from sqlalchemy import select
    from app.engine.models import Event
    return flow.read(lambda s: [m for m in s.scalars(select(Event.milestone).where(
        Event.case_id == case_id, Event.milestone.is_not(None)).order_by(Event.id))])


@pytest.fixture
def procedure(any_app, mailbox):
    return procedure_at(any_app, FILED)


@pytest.mark.parametrize('case_type, sub_type, legal, target', [
    ('P', 'general', date(2027, 3, 24), date(2027, 3, 16)),     # 15 / 10 business days
    ('P', 'documentos', date(2027, 3, 16), date(2027, 3, 16)),  # 10 / 10
    ('P', 'consulta', date(2027, 4, 16), date(2027, 3, 16)),    # 30 / 10
    ('Q', 'general', date(2027, 3, 24), date(2027, 3, 16)),     # Ley 1480 art. 58: 15
    ('R', 'general', date(2027, 3, 24), date(2027, 3, 16)),
])
def test_each_type_has_its_legal_term_and_the_internal_target(procedure, case_type, sub_type, legal, target):
    case_id, _ = register(procedure, case_type=case_type)
    classify(procedure, case_id, case_type=case_type, sub_type=sub_type)
    values = variables(case_id)
    assert (values['legal_days'], values['target_days']) == (
        {'general': 15, 'documentos': 10, 'consulta': 30}[sub_type] if case_type == 'P' else 15, 10)
    assert (local_day(values['legal_due']), local_day(values['answer_due'])) == (legal, target)


def test_a_critical_case_shortens_the_internal_target_never_the_legal_term(procedure):
    case_id, _ = register(procedure)
    classify(procedure, case_id, severity='critica')
    values = variables(case_id)
    assert values['priority'] == 4
    assert local_day(values['answer_due']) == date(2027, 3, 9)    # 10 - 5 = 5 business days
    assert local_day(values['legal_due']) == date(2027, 3, 24)


def test_the_clock_stops_while_the_client_owes_information_and_resumes_with_the_days_left(procedure, mailbox):
    case_id, radicado = register(procedure)
    travel_to(procedure, datetime(2027, 3, 3, 10, 0))
    ask_information(procedure, case_id)
    values = variables(case_id)
    assert values['clock_stopped_at'] and len(emails(case_id, 'information_request')) == 1
    from tests.support.web import demo_users, login
    demo_users()
    page = login(procedure.test_client(), 'lider').get(f'/casos/{radicado}').get_data(as_text=True)
    assert 'en espera de la información del cliente desde el 03/03/2027' in page and '24/03/2027' in page
    assert 'detenido' in emails(case_id, 'information_request')[0].body
    travel_to(procedure, datetime(2027, 3, 23, 10, 0))  # past the 5-day escalation and the target
    assert ('timer_fired', 'overdue_5_days') not in flow.history(case_id)
    assert ('timer_fired', 'target_missed') not in flow.history(case_id)
    assert emails(case_id, 'progress_update') == []  # the client is the one who owes an answer
    send_information(procedure, case_id)
    values = variables(case_id)
    # held: 13 business days (4 Mar .. 23 Mar without Monday 22); 14 were left of 15 -> 14 Apr
    assert values['clock_stopped_at'] is None and values['paused_days'] == 13
    assert local_day(values['legal_due']) == date(2027, 4, 14)
    assert flow.open_tasks(case_id) == ['classify']
    classify(procedure, case_id)
    assert local_day(variables(case_id)['legal_due']) == date(2027, 4, 14)
    assert [m for m in milestones(case_id) if m.startswith('clock_')] == ['clock_stopped', 'clock_resumed']


def test_information_may_only_be_asked_within_10_business_days_of_filing(procedure):
    case_id, _ = register(procedure)
    travel_to(procedure, datetime(2027, 3, 17, 10, 0))  # 11th business day
    task = flow.open_task(case_id, 'classify')
    problems = flow.engine().check_completion(task.id, {
        'case_type': 'Q', 'severity': 'media', 'impact': 'individual', 'motive': 'disculpa',
        'investigation_level': 'basico', 'responsible_area': 'operaciones', 'needs_information': True,
        'information_request': 'La factura.'})
    assert len(problems) == 1 and 'Ley 1755 art. 17' in problems[0].refusal
    assert 'classify' in flow.open_tasks(case_id)            # nothing moved (level 1 escalated on day 5)


def test_without_the_information_within_the_month_the_case_closes_as_desistimiento(procedure, mailbox):
    case_id, _ = register(procedure)
    ask_information(procedure, case_id)
    travel_to(procedure, datetime(2027, 4, 1, 23, 0))   # one month: until 2 April
    assert flow.case_state(case_id) == 'running'
    travel_to(procedure, datetime(2027, 4, 2, 9, 30))
    assert flow.case_state(case_id) == 'completed'
    notice = emails(case_id, 'desistimiento')
    assert len(notice) == 1 and 'artículo 17' in notice[0].body and 'factura' in notice[0].body
    assert 'desisted' in milestones(case_id)
    assert emails(case_id, 'survey') == []


def _information_page(procedure, case_id):
    """The client's information page (from the request's email) and a browser on it."""
    from tests.support.web import csrf_token
    url = '/informacion/' + token_in(emails(case_id, 'information_request')[0].body, 'information')
    client = procedure.test_client()
    return client, url, csrf_token(client, url)


def test_the_client_may_ask_once_for_one_more_month_from_the_information_page(procedure, mailbox):
    case_id, _ = register(procedure)
    ask_information(procedure, case_id)
    client, url, token = _information_page(procedure, case_id)
    assert 'Pedir un mes más' in client.get(url).get_data(as_text=True)
    asked = client.post(url + '/mes-adicional', data={'csrf_token': token})
    assert asked.status_code == 200 and 'un mes más' in asked.get_data(as_text=True)
    flow.work(procedure)
    assert variables(case_id)['more_time_used'] is True
    assert 'Pedir un mes más' not in client.get(url).get_data(as_text=True)   # once only
    assert client.post(url + '/mes-adicional', data={'csrf_token': token}).status_code == 409
    travel_to(procedure, datetime(2027, 4, 2, 10, 0))
    assert flow.case_state(case_id) == 'running'          # now until 2 May
    sent = client.post(url, data={'csrf_token': token, 'text': 'La factura es la 4711.'})
    assert sent.status_code == 200
    flow.work(procedure)
    assert flow.open_tasks(case_id) == ['classify']


def test_without_the_information_in_the_extra_month_the_case_closes_as_desistimiento(procedure, mailbox):
    case_id, _ = register(procedure)
    ask_information(procedure, case_id)
    pqrsf.send_client_message(case_id, pqrsf.MORE_TIME, {}, 'cliente')
    flow.work(procedure)
    travel_to(procedure, datetime(2027, 5, 1, 23, 0))     # 2 April + one month: until 2 May
    assert flow.case_state(case_id) == 'running'
    travel_to(procedure, datetime(2027, 5, 2, 9, 30))
    assert flow.case_state(case_id) == 'completed' and 'desisted' in milestones(case_id)
    assert len(emails(case_id, 'desistimiento')) == 1


def _to_extension_offer(procedure):
    case_id, _ = register(procedure)
    classify(procedure, case_id)
    travel_to(procedure, datetime(2027, 3, 19, 23, 59))   # 13th business day ends: 2 before the term
    travel_to(procedure, datetime(2027, 3, 20, 0, 1))
    assert 'decide_extension' in flow.open_tasks(case_id)
    return case_id


def test_an_extension_past_twice_the_term_is_refused_on_the_form(procedure):
    case_id = _to_extension_offer(procedure)
    task = flow.open_task(case_id, 'decide_extension')
    problems = flow.engine().check_completion(task.id, {
        'extend': True, 'extension_reason': 'Esperamos el informe del transportador.', 'extended_due': '2027-05-20'})
    assert len(problems) == 1 and 'el doble del término legal' in problems[0].refusal
    assert '16/04/2027' in problems[0].refusal                # 30 business days from filing


def test_an_extension_moves_every_later_rule_and_tells_the_client(procedure, mailbox):
    case_id = _to_extension_offer(procedure)
    do(procedure, case_id, 'decide_extension', {
        'extend': True, 'extension_reason': 'Esperamos el informe del transportador.', 'extended_due': '2027-04-09'})
    values = variables(case_id)
    assert values['extended'] is True and local_day(values['legal_due']) == date(2027, 4, 9)
    notice = emails(case_id, 'extension_notice')
    assert len(notice) == 1 and '09/04/2027' in notice[0].body and 'informe del transportador' in notice[0].body
    from tests.support.web import demo_users, login
    demo_users()
    tasks = login(procedure.test_client(), 'lider').get('/tareas/').get_data(as_text=True)
    assert 'Plazo legal: 09/04/2027 · término prorrogado' in tasks   # beside each task's own due date
    travel_to(procedure, datetime(2027, 3, 25, 9, 0))        # the old term (24 March) passed
    assert ('timer_fired', 'legal_term_missed') not in flow.history(case_id)
    travel_to(procedure, datetime(2027, 4, 10, 9, 0))
    assert ('timer_fired', 'legal_term_missed') in flow.history(case_id)


def test_the_survey_goes_out_five_business_days_after_closing(procedure, mailbox):
    case_id, _ = register(procedure)
    drive_to_decision(procedure, case_id)
    pqrsf.answer_decision(case_id, 'accept', '', 'lider1')
    flow.work(procedure)
    travel_to(procedure, datetime(2027, 3, 18, 10, 0))       # Thursday
    do(procedure, case_id, 'close_case', {'actions_effective': True, 'closing_notes': 'Conforme.'})
    assert emails(case_id, 'survey') == []
    travel_to(procedure, datetime(2027, 3, 30, 9, 0))        # 19, 23, 24, 29 (22, 25, 26 are holidays)
    assert emails(case_id, 'survey') == []
    travel_to(procedure, datetime(2027, 3, 30, 10, 5))       # the 5th business day after, same hour
    assert len(emails(case_id, 'survey')) == 1   # (the case waits on the not-closed treatment)
