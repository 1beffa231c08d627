"""The PQRSF procedure, improvement opportunity and escalation route, end to end through the
real engine, RQ workers, a real SMTP server and the engine clock."""
from datetime import datetime, timedelta

import pytest

from app.cases import service as pqrsf
from app.engine.clock import clock
from app.engine.errors import Conflict
from app.engine.models import Case
from app.cases.models import SurveyAnswer
from tests.support import flow
from tests.support.pqrsf import (TWO_ACTIONS, action_owners, classify, deploy_processes, do, drive_to_decision,
                                 emails, nonconformities, open_opportunity, plan, register,
                                 run_actions, token_in, travel_to, verify)


@pytest.fixture
def procedure(app, mailbox):
    deploy_processes()
    action_owners()
    return app


def _steps(case_id, kinds=('task_completed', 'service_completed', 'message_received',
                           'timer_fired', 'call_started', 'call_completed', 'case_completed')):
    return [(kind, element) for kind, element in flow.history(case_id) if kind in kinds]


def test_felicitacion_asks_hr_to_recognise_the_collaborator_then_closes(procedure, mailbox):
    case_id, radicado = register(procedure, case_type='F', collaborator_named='Julián Rojas',
                                 description='Julián nos ayudó a recuperar la carga un domingo.')
    assert radicado.startswith(f'PQRSF-{clock.now().year}-')
    classify(procedure, case_id, case_type='F')
    hr_mail = emails(case_id, 'hr_recognition')
    assert len(hr_mail) == 1 and hr_mail[0].recipient == 'gestion.humana@empresa.example'
    assert 'Julián Rojas' in hr_mail[0].body and 'recuperar la carga un domingo' in hr_mail[0].body
    assert flow.open_tasks(case_id) == ['record_recognition']
    do(procedure, case_id, 'record_recognition', {'recognition_done': True,
                                                   'personnel_file_note': 'Felicitación anotada.'}, 'rrhh1')
    do(procedure, case_id, 'close_case', {'actions_effective': True, 'closing_notes': 'Felicitación tramitada.'})
    assert flow.case_state(case_id) == 'completed'
    assert [e.template for e in emails(case_id)] == ['acknowledgement', 'hr_recognition']  # no survey


def test_queja_accepted_by_the_client_runs_the_whole_procedure(procedure, mailbox):
    case_id, radicado = register(procedure)
    ack = emails(case_id, 'acknowledgement')
    created = flow.read(lambda s: s.get(Case, case_id).created_at)
    assert len(ack) == 1 and ack[0].sent_at - created < timedelta(minutes=1)
    assert ack[0].recipient == 'marta@example.com' and radicado in ack[0].subject
    assert any(radicado in m['Subject'] for m in mailbox.messages)  # really went through SMTP

    classify(procedure, case_id)
    open_opportunity(procedure, case_id, 'accion_correctiva')
    plan(procedure, case_id)
    actions = run_actions(procedure, case_id)
    assert sorted(row.assignee for row in actions) == ['eva', 'luis']  # one task per action
    verify(procedure, case_id, True, 'Le reconocemos el 20 % del flete.')
    decision = emails(case_id, 'decision')
    assert len(decision) == 1 and 'Le reconocemos el 20 % del flete.' in decision[0].body

    pqrsf.answer_from_link(token=token_in(decision[0].body, 'answer'),
                           data={'decision': 'accept', 'comment': 'Gracias'})
    flow.work(procedure)
    with pytest.raises(Conflict):  # the link cannot answer twice
        pqrsf.answer_from_link(token=token_in(decision[0].body, 'answer'), data={'decision': 'reject'})
    do(procedure, case_id, 'close_case', {'actions_effective': True, 'closing_notes': 'Cliente conforme.'})
    assert emails(case_id, 'survey') == []                 # seed 004 §5.4: five business days later
    flow.advance(procedure, timedelta(days=8))
    survey = emails(case_id, 'survey')
    assert flow.case_state(case_id) == 'completed' and len(survey) == 1
    from app.cases.vocabulary import SURVEY_CRITERIA
    pqrsf.survey_from_link(token=token_in(survey[0].body, 'survey'),
                           data={**{f'rating_{c}': '5' for c in SURVEY_CRITERIA}, 'comment': 'Muy bien'})
    assert flow.read(lambda s: s.get(SurveyAnswer, case_id).rating) == 5

    assert [step for step in _steps(case_id) if step[1] not in ('send_message', 'communication_started')] == [
        ('call_started', 'send_acknowledgement'), ('call_completed', 'send_acknowledgement'),
        ('call_started', 'attention'),
        ('task_completed', 'classify'),
        ('call_started', 'improvement'),
        ('task_completed', 'register_opportunity'),
        ('task_completed', 'analyse_causes'),
        ('call_started', 'follow_up_actions'), ('call_started', 'follow_up_actions'),
        ('task_completed', 'do_action'), ('call_completed', 'follow_up_actions'),
        ('task_completed', 'do_action'), ('call_completed', 'follow_up_actions'),
        ('task_completed', 'verify_effectiveness'),
        ('call_completed', 'improvement'),
        ('call_completed', 'attention'),
        ('call_started', 'send_decision'), ('call_completed', 'send_decision'),
        ('message_received', 'answer_received'),
        ('task_completed', 'close_case'),
        ('timer_fired', 'survey_wait'),
        ('service_completed', 'send_survey'),
        ('case_completed', None)]


def test_client_rejects_then_level_1_escalates_and_level_2_decides(procedure, mailbox):
    case_id, _ = register(procedure)
    drive_to_decision(procedure, case_id)
    pqrsf.answer_decision(case_id, 'reject', 'No es suficiente', 'lider1')  # recorded by staff
    flow.work(procedure)
    assert len(emails(case_id, 'escalation_level_1')) == 1
    assert flow.open_tasks(case_id) == ['level_1_review']
    do(procedure, case_id, 'level_1_review', {'escalation_action': 'escalate'}, 'gerente1')
    assert len(emails(case_id, 'escalation_level_2')) == 1
    do(procedure, case_id, 'level_2_decision', {'escalation_action': 'resolve',
                                                 'decision': 'Se reembolsa el 100 % del flete.'}, 'director1')
    final = emails(case_id, 'final_decision')
    assert len(final) == 1 and 'Se reembolsa el 100 % del flete.' in final[0].body
    do(procedure, case_id, 'close_case', {'actions_effective': True, 'closing_notes': 'Decisión final.'})
    steps = _steps(case_id)
    assert steps.index(('message_received', 'answer_received')) < steps.index(('call_started', 'rejection_escalation')) \
        < steps.index(('task_completed', 'level_1_review')) < steps.index(('task_completed', 'level_2_decision')) \
        < steps.index(('call_completed', 'send_final_decision')) < steps.index(('task_completed', 'close_case'))


def test_no_answer_in_5_business_days_closes_the_case_across_a_moved_holiday(procedure, mailbox):
    # Reyes Magos 2027 (Wed 6 Jan) is observed on Monday 11 January: not a business day.
    travel_to(procedure, datetime(2027, 1, 4, 9, 0))
    case_id, _ = register(procedure)
    classify(procedure, case_id)
    open_opportunity(procedure, case_id, 'mejora')
    plan(procedure, case_id)
    run_actions(procedure, case_id)
    travel_to(procedure, datetime(2027, 1, 8, 10, 0))  # Friday
    verify(procedure, case_id, True, 'Reprogramamos sus despachos.')
    assert flow.open_tasks(case_id) == [] and len(emails(case_id, 'decision')) == 1
    # 5 business days after Fri 8 Jan, skipping Mon 11: Tue 12 ... Mon 18 (end of day)
    travel_to(procedure, datetime(2027, 1, 18, 23, 30))
    assert flow.case_state(case_id) == 'running'
    travel_to(procedure, datetime(2027, 1, 19, 0, 0, 30))
    assert ('element_completed', 'auto_close') in flow.history(case_id)
    travel_to(procedure, datetime(2027, 1, 26, 0, 1))    # and the survey five business days later
    assert len(emails(case_id, 'survey')) == 1 and flow.case_state(case_id) == 'completed'


def test_unresolved_case_escalates_beside_the_plan_records_a_nonconformity_and_updates_the_client(procedure, mailbox):
    travel_to(procedure, datetime(2027, 2, 1, 9, 0))  # Monday; no holidays in February
    case_id, _ = register(procedure)
    classify(procedure, case_id)
    open_opportunity(procedure, case_id, 'mejora')
    travel_to(procedure, datetime(2027, 2, 8, 23, 0))  # end of the 5th business day: not yet
    assert flow.open_tasks(case_id) == ['analyse_causes']
    assert len(emails(case_id, 'progress_update')) == 1  # every 3 business days: 4 February
    travel_to(procedure, datetime(2027, 2, 9, 0, 1))
    assert ('timer_fired', 'overdue_5_days') in flow.history(case_id)
    assert sorted(flow.open_tasks(case_id)) == ['analyse_causes', 'level_1_review']  # beside the plan
    assert len(emails(case_id, 'escalation_level_1')) == 1
    travel_to(procedure, datetime(2027, 2, 11, 23, 0))  # level 1 has until the end of Thu 11
    assert 'level_1_review' in flow.open_tasks(case_id)
    travel_to(procedure, datetime(2027, 2, 12, 0, 5))  # it did nothing in 2 business days
    assert sorted(flow.open_tasks(case_id)) == ['analyse_causes', 'level_2_decision']
    assert len(emails(case_id, 'escalation_level_2')) == 1
    assert nonconformities(case_id) == []
    travel_to(procedure, datetime(2027, 2, 16, 0, 1))  # past the 10th business day (15 Feb)
    recorded = nonconformities(case_id)
    assert len(recorded) == 1 and '10 días hábiles' in recorded[0].reason
    assert len(emails(case_id, 'progress_update')) == 3  # and 9, 12 February
    do(procedure, case_id, 'level_2_decision', {'escalation_action': 'resolve',
                                                 'decision': 'Le reconocemos el flete completo.'}, 'director1')
    assert len(emails(case_id, 'decision')) == 1
    assert sorted(flow.open_tasks(case_id)) == ['correct_nonconformity']  # the analysis ended by the decision
    travel_to(procedure, datetime(2027, 2, 20, 12, 0))
    assert len(emails(case_id, 'progress_update')) == 3  # resolved: no more updates
    assert len(nonconformities(case_id)) == 1


def test_ineffective_actions_go_back_to_analysis(procedure, mailbox):
    case_id, _ = register(procedure)
    classify(procedure, case_id)
    open_opportunity(procedure, case_id, 'mejora')
    plan(procedure, case_id)
    run_actions(procedure, case_id)
    verify(procedure, case_id, False)
    assert flow.open_tasks(case_id) == ['analyse_causes']
    plan(procedure, case_id, TWO_ACTIONS[:1])
    assert len(run_actions(procedure, case_id)) == 1
    verify(procedure, case_id, True, 'Cambiamos de transportador.')
    steps = _steps(case_id)
    assert steps.count(('task_completed', 'analyse_causes')) == 2
    assert steps.count(('task_completed', 'verify_effectiveness')) == 2
    assert len(emails(case_id, 'decision')) == 1


def test_a_deadline_edited_in_the_diagram_changes_the_behaviour(procedure, mailbox, tmp_path):
    from app.processes.deploy import deploy_paths
    travel_to(procedure, datetime(2027, 3, 1, 9, 0))  # Monday
    five_days = register(procedure)[0]
    text = (flow.ROOT / 'processes' / 'pqrsf.bpmn').read_text(encoding='utf-8')
    start = text.index('id="answer_timeout"')  # the client-answer deadline: 5 -> 3 business days
    at = text.index('${business_deadline(now(), 5)}', start)
    edited = text[:at] + '${business_deadline(now(), 3)}' + text[at + len('${business_deadline(now(), 5)}'):]
    (tmp_path / 'pqrsf.bpmn').write_text(edited, encoding='utf-8')
    deployed = deploy_paths([tmp_path / 'pqrsf.bpmn'], 'dueño')
    assert [(d.process_id, d.version) for d in deployed] == [('pqrsf', 2)]
    three_days = register(procedure)[0]
    for case_id in (five_days, three_days):
        drive_to_decision(procedure, case_id)
    travel_to(procedure, datetime(2027, 3, 4, 23, 30))  # 3 business days after Monday 1 March
    assert not any(('element_completed', 'auto_close') in flow.history(c) for c in (five_days, three_days))
    closed = lambda case_id: ('element_completed', 'auto_close') in flow.history(case_id)  # noqa: E731
    travel_to(procedure, datetime(2027, 3, 5, 0, 1))
    assert (closed(five_days), closed(three_days)) == (False, True)
    travel_to(procedure, datetime(2027, 3, 9, 0, 1))  # 5 business days: Tue 2 ... Mon 8
    assert closed(five_days)


def test_radicados_are_unique_and_sequential(procedure):
    numbers = [register(procedure)[1] for _ in range(3)]
    year = clock.now().year
    assert numbers == [f'PQRSF-{year}-{n:06d}' for n in (1, 2, 3)]
