"""A run-time error at start or in a step names the element (id and name) and what was missing,
in the StepFailed the caller shows and in the incident an operator reads."""
import pytest
from sqlalchemy import select

from app.engine.errors import StepFailed
from app.engine.models import Incident
from tests.support import flow


def test_a_start_that_fails_names_the_script_task_and_the_missing_name(app):
    flow.deploy('camunda/undefined_names.bpmn')
    with pytest.raises(StepFailed) as failure:
        flow.start('undefined_names', {})
    error = failure.value
    assert (error.code, error.params['element_id']) == ('start_failed_at', 'prepare')
    assert '(en prepare): «Preparar»: ' in error.message
    assert "el nombre 'base' no está definido" in error.message
    assert 'NameError' not in error.message and 'WorkflowTaskException' not in error.message


def test_a_step_that_fails_names_the_element_in_the_error_and_the_incident(app):
    flow.deploy('camunda/undefined_names.bpmn')
    case_id = flow.start('undefined_names', {'base': 2})
    with pytest.raises(StepFailed) as failure:
        flow.complete(case_id, 'names_review', {})
    error = failure.value
    assert (error.code, error.params['element_id']) == ('step_failed', 'compute_due')
    assert "«Calcular plazo» (compute_due)" in error.message
    assert "el nombre 'received' no está definido" in error.message
    incident = flow.read(lambda s: s.scalars(select(Incident).where(Incident.case_id == case_id)).one())
    assert incident.element_id == 'compute_due'
    assert incident.message.startswith('en «Calcular plazo» (compute_due): ')
    assert "'received'" in incident.message and 'WorkflowTaskException' not in incident.message
    assert flow.open_tasks(case_id) == ['names_review']  # the case waits where it was



def test_a_script_reading_a_key_as_an_attribute_is_told_how_to_read_it(app):
    flow.deploy('camunda/attribute_read.bpmn')
    with pytest.raises(StepFailed) as failure:
        flow.start('attribute_read', {'order': {'amount': 3}})
    assert '(en prepare): «Preparar»: ' in failure.value.message
    assert "un valor de tipo dict no tiene '.amount': los datos se leen con ['amount']" in failure.value.message
