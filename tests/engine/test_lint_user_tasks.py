"""Lint of user tasks as Camunda writes them: a task without form key is accepted (its
formData fields must fit a generic form), Camunda form keys are looked up by their last name,
and dueDate / followUpDate / candidateUsers must be something the engine can work out."""
from pathlib import Path

import pytest

from app.engine.lint import WARNING, Linter, errors
from app.engine.task_dates import as_moment, java_rewrite

CAMUNDA = Path(__file__).resolve().parents[2] / 'tests' / 'diagrams' / 'camunda_forms'
ACCEPTED = ['user_task_without_form.bpmn', 'generic_forms.bpmn', 'embedded_app_key.bpmn',
            'embedded_deployment_key.bpmn', 'camunda_forms_app_key.bpmn',
            'camunda_forms_deployment_key.bpmn', 'task_dates.bpmn', 'literal_dates.bpmn',
            'failing_due_date.bpmn']


def lint(name, forms=('cf_review',)):
    looked_up = []

    def form_problem(key):
        looked_up.append(key)
        return None if any(key.endswith((f'/{f}.form', f'/{f}.html', f':{f}.form', f':{f}.html'))
                           for f in forms) else f"busqué el formulario de '{key}'"
    path = CAMUNDA / name
    return Linter(topics=set(), form_problem=form_problem).lint({name: path.read_bytes()}), looked_up


@pytest.mark.parametrize('name', ACCEPTED)
def test_camunda_user_tasks_pass_lint(name):
    problems, _ = lint(name)
    assert problems == []


def test_every_diagram_of_the_folder_is_covered():
    covered = set(ACCEPTED) | {'missing_camunda_form.bpmn', 'java_due_date.bpmn', 'bad_dates.bpmn',
                               'bad_form_fields.bpmn', 'plain_task_with_form_key.bpmn'}
    assert covered == {p.name for p in CAMUNDA.glob('*.bpmn')}


def test_a_camunda_form_key_is_checked_as_written():
    problems, looked_up = lint('missing_camunda_form.bpmn')
    assert looked_up == ['camunda-forms:app:forms/no_such_form.form']
    assert [p.element_id for p in problems] == ['revisar']


def test_a_java_date_call_is_refused_with_its_rewrite():
    problems, _ = lint('java_due_date.bpmn')
    assert len(problems) == 1 and problems[0].element_id == 'revisar'
    assert 'API de fechas de Java' in problems[0].message
    assert '${add_business_days(now(), 2)}' in problems[0].message
    assert java_rewrite('${dateTime().plusHours(4)}') == '${datetime.now(timezone.utc) + timedelta(hours=4)}'
    assert java_rewrite('${add_business_days(now(), 2)}') is None


def test_dates_that_are_neither_iso_nor_expressions_are_refused():
    messages = [p.message for p in lint('bad_dates.bpmn')[0]]
    assert len(messages) == 2
    assert "camunda:dueDate 'mañana' no es una fecha ISO 8601" in messages[0]
    assert "camunda:followUpDate 'R3/P1D' es un ciclo" in messages[1]


def test_form_fields_that_fit_no_generic_form_are_refused_and_unknown_validators_warned():
    problems = lint('bad_form_fields.bpmn')[0]
    refused = [p.message for p in errors(problems)]
    assert len(refused) == 2
    assert "'photo' de camunda:formData es de tipo 'file'" in refused[0]
    assert "'level' de camunda:formData es de tipo enum pero no tiene valores" in refused[1]
    warned = [p for p in problems if p.severity == WARNING]
    assert len(warned) == 1 and "'validator'" in warned[0].message


def test_due_values_as_moments():
    from datetime import datetime, timedelta, timezone
    from zoneinfo import ZoneInfo
    opened, zone = datetime(2030, 1, 2, 15, 0, tzinfo=timezone.utc), ZoneInfo('America/Bogota')
    assert as_moment('P2DT3H', opened, zone) == opened + timedelta(days=2, hours=3)
    assert as_moment('2030-01-05', opened, zone) == datetime(2030, 1, 5, 23, 59, 59, tzinfo=zone)
    assert as_moment('2030-01-05T08:00:00Z', opened, zone) == datetime(2030, 1, 5, 8, tzinfo=timezone.utc)
    assert as_moment(None, opened, zone) is None
    for bad in ('soon', 'PXD', 42):
        with pytest.raises(ValueError):
            as_moment(bad, opened, zone)


def test_a_form_key_on_a_plain_task_is_a_warning_not_a_lookup():
    problems, looked_up = lint('plain_task_with_form_key.bpmn')
    assert looked_up == [] and errors(problems) == []
    assert [p.severity for p in problems] == [WARNING] and 'formulario genérico' in problems[0].message
