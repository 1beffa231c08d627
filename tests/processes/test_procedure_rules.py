"""The rules of the procedure that are not about terms: escalation beside the plan (it never
throws the analysis away), imparcialidad, clients without email, progress updates in every stage
where the client waits, stage due dates (seed 003), priority and routing by area."""
from datetime import date, datetime

import pytest
from sqlalchemy import select

from app.engine.models import HumanTask
from tests.support import flow
from tests.support.pqrsf import (classify, do, emails, local_day, open_opportunity, plan, procedure_at,
                                 register, run_actions, travel_to, verify)

FILED = datetime(2027, 2, 1, 9, 0)  # Monday; February 2027 has no holiday


@pytest.fixture
def procedure(any_app, mailbox):
    return procedure_at(any_app, FILED)


def _task(case_id, element_id):
    return flow.read(lambda s: s.scalars(select(HumanTask).where(
        HumanTask.case_id == case_id, HumanTask.element_id == element_id).order_by(HumanTask.created_at.desc())).first())


def _overdue(procedure):
    case_id, _ = register(procedure)
    classify(procedure, case_id)
    open_opportunity(procedure, case_id, 'mejora')
    travel_to(procedure, datetime(2027, 2, 9, 0, 1))  # 5 business days passed (1 Feb + 5 = 8 Feb)
    assert ('timer_fired', 'overdue_5_days') in flow.history(case_id)
    return case_id


def test_escalation_runs_beside_the_plan_and_the_plan_goes_on(procedure, mailbox):
    case_id = _overdue(procedure)
    assert sorted(flow.open_tasks(case_id)) == ['analyse_causes', 'level_1_review']   # nothing cancelled
    assert len(emails(case_id, 'escalation_level_1')) == 1
    do(procedure, case_id, 'level_1_review', {'escalation_action': 'follow_plan',
                                               'escalation_notes': 'Que termine el análisis esta semana.'}, 'gerente1')
    assert flow.open_tasks(case_id) == ['analyse_causes']
    plan(procedure, case_id)
    run_actions(procedure, case_id)
    verify(procedure, case_id, True, 'Le reconocemos el 20 % del flete.')
    assert len(emails(case_id, 'decision')) == 1 and flow.open_tasks(case_id) == []


def test_the_escalation_level_may_close_the_case_with_its_decision(procedure, mailbox):
    case_id = _overdue(procedure)
    do(procedure, case_id, 'level_1_review', {'escalation_action': 'resolve',
                                               'decision': 'Le devolvemos el flete completo.'}, 'gerente1')
    decision = emails(case_id, 'decision')
    assert len(decision) == 1 and 'Le devolvemos el flete completo.' in decision[0].body
    assert flow.open_tasks(case_id) == []        # the analysis stopped by the level's decision


def test_a_decision_reached_first_stops_the_running_escalation(procedure, mailbox):
    case_id = _overdue(procedure)
    plan(procedure, case_id)
    run_actions(procedure, case_id)
    verify(procedure, case_id, True, 'Le reconocemos el 20 % del flete.')
    assert flow.open_tasks(case_id) == [] and len(emails(case_id, 'decision')) == 1


def test_progress_updates_every_3_business_days_in_every_stage_never_quoting_a_past_date(procedure, mailbox):
    case_id, _ = register(procedure)
    travel_to(procedure, datetime(2027, 2, 4, 9, 30))     # 3 business days: still classifying
    assert len(emails(case_id, 'progress_update')) == 1
    classify(procedure, case_id)
    open_opportunity(procedure, case_id, 'mejora')
    travel_to(procedure, datetime(2027, 2, 9, 9, 30))     # 6 business days: analysis and level 1
    assert 'level_1_review' in flow.open_tasks(case_id)
    assert len(emails(case_id, 'progress_update')) == 2
    travel_to(procedure, datetime(2027, 2, 17, 9, 30))    # updates on 4, 9, 12, 17 Feb; target was 15 Feb
    updates = emails(case_id, 'progress_update')
    assert len(updates) == 4
    assert all('Superamos la fecha' not in u.body for u in updates)   # a date ahead is always quoted
    assert '22/02/2027' in updates[3].body                # target passed: the legal term is quoted


def test_each_stage_has_its_own_due_date(procedure):
    case_id, _ = register(procedure)
    assert local_day(_task(case_id, 'classify').due_at.isoformat()) == date(2027, 2, 3)   # seed 003: 1-2 days
    travel_to(procedure, datetime(2027, 2, 2, 10, 0))
    classify(procedure, case_id)
    assert local_day(_task(case_id, 'register_opportunity').due_at.isoformat()) == date(2027, 2, 3)  # 1 day
    open_opportunity(procedure, case_id, 'mejora')
    assert local_day(_task(case_id, 'analyse_causes').due_at.isoformat()) == date(2027, 2, 9)        # 5 days


def test_priority_from_magnitude_and_impact_orders_the_tasks(procedure):
    calm, _ = register(procedure)
    urgent, _ = register(procedure)
    classify(procedure, calm, severity='baja')
    classify(procedure, urgent, severity='alta', impact='varios_clientes')
    assert (_task(calm, 'register_opportunity').priority, _task(urgent, 'register_opportunity').priority) == (1, 4)


def test_tasks_after_classification_go_to_the_responsible_area(procedure):
    case_id, _ = register(procedure)
    assert _task(case_id, 'classify').candidate_groups == ['lider_proceso']
    classify(procedure, case_id, responsible_area='facturacion')
    assert _task(case_id, 'register_opportunity').candidate_groups == ['area:facturacion']


def test_a_named_collaborator_is_told_and_gives_a_version_the_analysis_shows(procedure, mailbox):
    case_id, _ = register(procedure, collaborator_named='Julián Rojas')
    classify(procedure, case_id, collaborator_email='julian.rojas@empresa.example')
    notice = emails(case_id, 'collaborator_notice')
    assert len(notice) == 1 and notice[0].recipient == 'julian.rojas@empresa.example'
    assert 'dos días de retraso' in notice[0].body
    assert sorted(flow.open_tasks(case_id)) == ['give_version', 'register_opportunity']
    open_opportunity(procedure, case_id)
    do(procedure, case_id, 'give_version', {'collaborator_version': 'El camión se varó; avisé a mi jefe.'}, 'lider1')
    analysis = flow.open_task(case_id, 'analyse_causes')
    assert flow.engine().task_data(analysis.id)['collaborator_version'] == 'El camión se varó; avisé a mi jefe.'


def test_a_collaborator_who_does_not_answer_in_3_business_days_is_recorded(procedure, mailbox):
    case_id, _ = register(procedure, collaborator_named='Julián Rojas')
    classify(procedure, case_id, collaborator_email='julian.rojas@empresa.example')
    travel_to(procedure, datetime(2027, 2, 5, 0, 1))
    assert 'give_version' not in flow.open_tasks(case_id)
    open_opportunity(procedure, case_id)
    analysis = flow.open_task(case_id, 'analyse_causes')
    assert 'no dio su versión' in flow.engine().task_data(analysis.id)['collaborator_version']


def test_a_client_without_email_is_told_by_a_staff_member(procedure, mailbox):
    case_id, _ = register(procedure, client_email='', client_phone='3001234567')
    assert emails(case_id) == []
    assert flow.open_tasks(case_id) == ['tell_client']
    task = flow.open_task(case_id, 'tell_client')
    text = flow.engine().task_data(task.id)['message_text']
    assert 'PQRSF-' in text and 'código' in text
    do(procedure, case_id, 'tell_client', {'contact_medium': 'telefono', 'contact_notes': 'Le leí el acuse.'}, 'lider1')
    completed = [e for e in flow.history(case_id) if e == ('task_completed', 'tell_client')]
    assert len(completed) == 1 and flow.open_tasks(case_id) == ['classify']
