"""Every cause of a Servicio No Conforme (SER-PD-01 4.12) is recorded with its reason on any route
and opens its SER-PD-03 treatment: an answer past its term (internal target, legal term,
reconsideration), a decision not communicated, no follow-up in the promised rhythm, a case not
closed in time."""
from datetime import datetime

import pytest

from app.cases import service as pqrsf
from tests.support import flow
from tests.support.pqrsf import (classify, do, drive_to_decision, nonconformities, procedure_at, register,
                                 travel_to)

FILED = datetime(2027, 2, 1, 9, 0)  # Monday; February 2027 has no holiday
TREATMENT = {'correction': 'Se llamó al cliente y se le dio la respuesta.', 'nc_responsible': 'Líder de Operaciones',
             'nc_closing_note': 'Se ajustó el aviso automático.'}


@pytest.fixture
def procedure(any_app, mailbox):
    return procedure_at(any_app, FILED)


def _treat_all(procedure, case_id):
    while 'correct_nonconformity' in flow.open_tasks(case_id):
        do(procedure, case_id, 'correct_nonconformity', TREATMENT, 'lider1')


def _causes(case_id):
    return sorted((row.cause, row.treated_at is not None) for row in nonconformities(case_id))


def test_the_internal_target_and_the_legal_term_missed_are_two_nonconformities_each_treated(procedure):
    case_id, _ = register(procedure)
    classify(procedure, case_id)
    travel_to(procedure, datetime(2027, 2, 16, 0, 1))        # past the 10th business day (15 Feb)
    rows = nonconformities(case_id)
    assert [(r.cause, '10 días hábiles' in r.reason) for r in rows] == [('deadline_missed', True)]
    travel_to(procedure, datetime(2027, 2, 23, 0, 1))        # past the 15th (22 Feb)
    rows = nonconformities(case_id)
    assert len(rows) == 2 and 'término legal de 15 días hábiles' in rows[1].reason
    assert flow.open_tasks(case_id).count('correct_nonconformity') == 2
    _treat_all(procedure, case_id)
    assert _causes(case_id) == [('deadline_missed', True), ('deadline_missed', True)]
    treated = nonconformities(case_id)[0]
    assert (treated.correction, treated.responsible) == (TREATMENT['correction'], TREATMENT['nc_responsible'])


def test_a_decision_not_told_to_a_client_without_email_is_a_nonconformity(procedure):
    case_id, _ = register(procedure, client_email='', client_phone='3001234567')
    do(procedure, case_id, 'tell_client', {'contact_medium': 'telefono', 'contact_notes': 'Acuse leído.'})
    drive_to_decision(procedure, case_id)
    assert 'tell_client' in flow.open_tasks(case_id)           # the decision, to be phoned
    travel_to(procedure, datetime(2027, 2, 3, 0, 1))
    assert _causes(case_id) == [('not_communicated', False)]
    _treat_all(procedure, case_id)
    assert _causes(case_id) == [('not_communicated', True)]


def test_an_update_nobody_gave_is_no_follow_up(procedure):
    case_id, _ = register(procedure, client_email='', client_phone='3001234567')
    do(procedure, case_id, 'tell_client', {'contact_medium': 'telefono', 'contact_notes': 'Acuse leído.'})
    travel_to(procedure, datetime(2027, 2, 4, 9, 30))          # 3 business days: an update to phone
    assert flow.open_tasks(case_id).count('tell_client') == 1
    travel_to(procedure, datetime(2027, 2, 6, 0, 1))           # not done within one business day
    assert ('no_follow_up', False) in _causes(case_id)


def test_a_case_not_closed_in_two_business_days_is_a_nonconformity(procedure):
    case_id, _ = register(procedure)
    drive_to_decision(procedure, case_id)
    pqrsf.answer_decision(case_id, 'accept', '', 'lider1')
    flow.work(procedure)
    assert 'close_case' in flow.open_tasks(case_id)
    travel_to(procedure, datetime(2027, 2, 4, 0, 1))
    assert _causes(case_id) == [('not_closed', False)]


def test_a_reconsideration_past_its_term_is_a_nonconformity(procedure):
    case_id, _ = register(procedure)
    drive_to_decision(procedure, case_id)
    pqrsf.answer_decision(case_id, 'reject', 'No me sirve.', 'lider1')
    flow.work(procedure)
    do(procedure, case_id, 'level_1_review', {'escalation_action': 'escalate'}, 'gerente1')
    travel_to(procedure, datetime(2027, 2, 16, 0, 1))          # 10 business days after the rejection
    causes = _causes(case_id)
    assert ('deadline_missed', False) in causes
    assert any('escalamiento por rechazo' in r.reason for r in nonconformities(case_id))
