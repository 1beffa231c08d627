"""Servicio No Conforme through the real engine and RQ workers: `nonconformity.record` keeps the
cause and reason and hands back the row id, the SER-PD-03 form collects the treatment and
`nonconformity.treat` writes it; retries change nothing; bad inputs fail with words."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.engine.clock import clock
from app.engine.models import Event, Incident
from app.cases.models import NonConformity
from app.platform.extensions import db
from app.platform.handlers import input_problems
from handlers.nonconformity import record, treat
from tests.support import flow

TREATMENT = {'correction': 'Se llamó al cliente y se le envió la decisión por correo certificado.',
             'nc_responsible': 'Coordinadora de Servicio al Cliente',
             'nc_closing_note': 'El cliente confirmó que recibió la decisión.'}


@pytest.fixture
def deployed(any_app):
    flow.deploy('nonconformity_treatment.bpmn')
    return any_app


def _rows(case_id):
    return flow.read(lambda s: s.scalars(select(NonConformity).where(NonConformity.case_id == case_id)).all())


def _context(case_id, key, element_id='nc_record'):
    return {'case_id': case_id, 'idempotency_key': key, 'element_id': element_id, 'attempt': 2}


def test_recorded_with_its_cause_then_treated_by_whoever_filled_the_form(deployed):
    case_id = flow.start('nc_treatment', {'nc_cause': 'not_communicated'})
    flow.work(deployed)
    [row] = _rows(case_id)
    assert (row.cause, row.reason, row.element_id) == ('not_communicated', 'La decisión no se comunicó al cliente.', 'nc_record')
    assert row.treated_at is None and row.correction is None
    assert flow.open_tasks(case_id) == ['nc_treat_task']
    task = flow.open_task(case_id, 'nc_treat_task')
    assert task.form_key == 'ser_pd_03_tratamiento'
    clock.advance(db.session, timedelta(hours=3))
    db.session.commit()
    treated_when = clock.now()
    flow.complete(case_id, 'nc_treat_task', TREATMENT, actor='lider1')
    flow.work(deployed)
    assert flow.case_state(case_id) == 'completed'
    [row] = _rows(case_id)
    assert (row.correction, row.responsible, row.closing_note) == (
        TREATMENT['correction'], TREATMENT['nc_responsible'], TREATMENT['nc_closing_note'])
    assert row.treated_by == 'lider1'
    assert abs(row.treated_at - treated_when) < timedelta(minutes=5)  # the engine clock, moved ahead
    assert row.treated_at - row.detected_at >= timedelta(hours=3)
    # the ids handed between the steps: the record's output is what the treatment read
    events = flow.read(lambda s: s.scalars(select(Event).where(
        Event.case_id == case_id, Event.kind == 'service_completed').order_by(Event.id)).all())
    assert [e.milestone for e in events] == ['nonconformity', None]


def test_a_retried_record_returns_the_same_row_and_a_repeated_treatment_changes_nothing(deployed):
    case_id = flow.start('nc_treatment', {'nc_cause': 'deadline_missed'})
    flow.work(deployed)
    [row] = _rows(case_id)
    key = f'{case_id}:{row.key.split(":", 1)[1]}'
    again = record({'cause': 'deadline_missed', 'reason': 'La decisión no se comunicó al cliente.'}, _context(case_id, key))
    assert again == {'nonconformity_id': row.id} and len(_rows(case_id)) == 1
    inputs = {'nonconformity_id': row.id, 'correction': 'Respuesta enviada.', 'responsible': 'Ana',
              'closing_note': 'Cerrado con el cliente.'}
    assert treat(inputs, _context(case_id, 'k1', 'nc_treat')) == {'nonconformity_treated': True}
    first = _rows(case_id)[0]
    assert first.treated_by == 'sistema'  # no task was completed on this case yet
    clock.advance(db.session, timedelta(days=1))
    db.session.commit()
    treat(dict(inputs, nonconformity_id=str(row.id)), _context(case_id, 'k1', 'nc_treat'))  # a retry
    second = _rows(case_id)[0]
    assert (second.treated_at, second.correction) == (first.treated_at, 'Respuesta enviada.')


@pytest.mark.parametrize('inputs, words', [
    ({'cause': 'se_demoro', 'reason': 'Respuesta tarde.'}, 'cause: debe ser una de: deadline_missed, not_communicated, no_follow_up, not_closed'),
    ({'reason': 'Respuesta tarde.'}, 'cause: Missing data for required field.'),
    ({'cause': 'not_closed', 'reason': 'x'}, 'reason: Length must be between 5 and 2000.'),
])
def test_a_bad_record_input_is_refused_in_words(deployed, inputs, words):
    case_id = flow.start('nc_treatment', {'nc_cause': 'not_closed'})
    with pytest.raises(ValueError, match='Datos del servicio no conforme inválidos') as refused:
        record(inputs, _context(case_id, 'bad'))
    assert words in str(refused.value)


def test_a_bad_cause_in_the_diagram_ends_in_an_incident_that_names_it(deployed):
    case_id = flow.start('nc_treatment', {'nc_cause': 'olvido'})
    flow.work(deployed)
    for _ in range(2):  # the retries, then the incident
        flow.advance(deployed, timedelta(minutes=30), run=False)
        flow.jobs.sweep(0)
        flow.work(deployed)
    incidents = flow.read(lambda s: s.scalars(select(Incident).where(Incident.case_id == case_id)).all())
    assert incidents and "cause: debe ser una de" in incidents[0].message
    assert _rows(case_id) == []
    assert input_problems('nonconformity.record', {'cause': 'olvido'}) == [
        "nonconformity.record: la causa 'olvido' no existe; use una de: deadline_missed, not_communicated, "
        'no_follow_up, not_closed.']
    assert input_problems('nonconformity.record', {'cause': 'no_follow_up', 'reason': 'Sin avisos.'}) == []


@pytest.mark.parametrize('change, words', [
    ({'correction': 'ok'}, 'correction: Length must be between 3 and 3000.'),
    ({'responsible': ''}, 'responsible: Length must be between 2 and 200.'),
    ({'closing_note': None}, 'closing_note: Field may not be null.'),
    ({'nonconformity_id': 'uno'}, 'nonconformity_id: Not a valid integer.'),
])
def test_a_bad_treatment_is_refused_in_words(deployed, change, words):
    case_id = flow.start('nc_treatment', {'nc_cause': 'not_closed'})
    flow.work(deployed)
    [row] = _rows(case_id)
    inputs = {'nonconformity_id': row.id, 'correction': 'Respuesta enviada.', 'responsible': 'Ana',
              'closing_note': 'Cerrado con el cliente.'} | change
    with pytest.raises(ValueError, match='Datos del tratamiento del servicio no conforme inválidos') as refused:
        treat(inputs, _context(case_id, 'k', 'nc_treat'))
    assert words in str(refused.value)
    assert _rows(case_id)[0].treated_at is None


def test_treating_another_cases_nonconformity_is_refused(deployed):
    first = flow.start('nc_treatment', {'nc_cause': 'not_closed'})
    other = flow.start('nc_treatment', {'nc_cause': 'not_closed'})
    flow.work(deployed)
    [row] = _rows(first)
    inputs = {'nonconformity_id': row.id, 'correction': 'Respuesta enviada.', 'responsible': 'Ana',
              'closing_note': 'Cerrado con el cliente.'}
    with pytest.raises(ValueError, match=f'El servicio no conforme {row.id} no existe en este caso'):
        treat(inputs, _context(other, 'k', 'nc_treat'))
    with pytest.raises(ValueError, match='El servicio no conforme 999999 no existe'):
        treat(inputs | {'nonconformity_id': 999999}, _context(first, 'k', 'nc_treat'))
