"""`camunda:priority` and `camunda:candidateGroups` expressions, worked out when a user task
opens: stored on the task row (and its group rows), a failing one leaves the task open without
it and says why on the case history; lint refuses a priority that is not an integer and any
expression that does not compile, naming the element."""
from pathlib import Path
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from app.accounts.policy import can_work
from app.engine.lint import WARNING
from app.engine.models import Event, HumanTask, HumanTaskGroup
from app.engine.task_settings import as_priority
from tests.engine import test_lint_variables as dataflow
from tests.engine.test_lint import assert_well_placed, lint_files
from tests.support import flow

HERE = Path(__file__).resolve().parents[1] / 'diagrams' / 'business_timers'


def rows(case_id) -> dict:
    def query(session):
        found = {}
        for task in session.scalars(select(HumanTask).where(HumanTask.case_id == case_id)):
            groups = sorted(session.scalars(select(HumanTaskGroup.group).where(HumanTaskGroup.task_id == task.id)))
            found[task.element_id] = SimpleNamespace(priority=task.priority, groups=task.candidate_groups,
                                                     group_rows=groups, lane=task.lane, row=task)
        return found
    return flow.read(query)


def refusals(case_id) -> list:
    return flow.read(lambda s: [(e.element_id, e.data['attribute'], e.data['value'], e.data['reason'])
                                for e in s.scalars(select(Event).where(
                                    Event.case_id == case_id, Event.kind == 'task_setting_refused')
                                    .order_by(Event.id))])


def test_priorities_and_expression_groups_are_stored_when_the_tasks_open(app):
    flow.deploy('business_timers/task_settings.bpmn')
    case_id = flow.start('task_settings', {'urgency': 5, 'responsible_area': 'calidad',
                                           'extra_groups': ['area:compras', 'area:calidad']})
    found = rows(case_id)
    assert (found['ts_literal'].priority, found['ts_expression'].priority, found['ts_plain'].priority) == (7, 5, None)
    assert found['ts_expression'].groups == ['lider_proceso', 'area:calidad', 'area:compras']
    assert found['ts_expression'].group_rows == ['area:calidad', 'area:compras', 'lider_proceso']
    assert found['ts_literal'].groups == ['lider_proceso'] and found['ts_plain'].lane == 'lider_proceso'
    assert refusals(case_id) == []
    in_area = SimpleNamespace(username='carla', roles=['area:calidad'], active=True)
    assert can_work(in_area, found['ts_expression'].row)
    assert not can_work(in_area, found['ts_literal'].row)


def test_a_failing_priority_or_group_expression_opens_the_task_without_it_and_says_why(app):
    flow.deploy('business_timers/task_settings.bpmn')
    case_id = flow.start('task_settings', {'urgency': 'alta', 'extra_groups': 'area:compras'})
    found = rows(case_id)
    assert flow.case_state(case_id) == 'running'
    assert found['ts_expression'].priority is None
    assert found['ts_expression'].groups == ['lider_proceso', 'area:compras']
    refused = refusals(case_id)
    assert [(r[0], r[1], r[2]) for r in refused] == [
        ('ts_expression', 'camunda:candidateGroups', "${'area:' + responsible_area}"),
        ('ts_expression', 'camunda:priority', '${urgency}')]
    assert 'responsible_area' in refused[0][3]
    assert "la prioridad debe ser un número entero, no 'alta'" in refused[1][3]


@pytest.mark.parametrize('value, expected', [(3, 3), ('3', 3), (' -2 ', -2), (2.0, 2), ('+4', 4)])
def test_a_priority_is_an_integer_however_it_is_written(value, expected):
    assert as_priority(value) == expected


@pytest.mark.parametrize('value', [True, 2.5, 'alta', None, [1], 2**40, '2.5'])
def test_anything_else_is_refused_in_words(value):
    with pytest.raises(ValueError) as refused:
        as_priority(value)
    assert 'prioridad' in str(refused.value)


REFUSED = [
    ('tsr_word', "La prioridad (camunda:priority) 'alta' no vale"),
    ('tsr_decimal', "La prioridad (camunda:priority) '2.5' no vale"),
    ('tsr_broken', "La prioridad (camunda:priority) no se puede evaluar: 'urgency +'"),
    ('tsr_groups', "Los grupos candidatos (camunda:candidateGroups) no se pueden evaluar: \"'area:' +\""),
]


@pytest.mark.parametrize('element_id, fragment', REFUSED)
def test_lint_refuses_a_bad_priority_or_group_expression_naming_the_element(element_id, fragment):
    path = HERE / 'task_settings_refused.bpmn'
    found = [p for p in lint_files(path) if p.element_id == element_id]
    assert len(found) == 1 and fragment in found[0].message and found[0].severity == 'error', \
        [str(p) for p in found]
    assert_well_placed(found[0], path)


def test_lint_accepts_the_good_ones():
    assert lint_files(HERE / 'task_settings.bpmn') == []


def test_the_data_flow_lint_sees_what_priority_and_group_expressions_read():
    content = {'task_settings.bpmn': (HERE / 'task_settings.bpmn').read_bytes()}
    bare = dataflow.make_linter(start_data={'task_settings': set()}).lint(content)
    assert {(p.element_id, dataflow.variable_of(p)) for p in bare} == {
        ('ts_expression', 'urgency'), ('ts_expression', 'responsible_area'), ('ts_expression', 'extra_groups')}
    assert all(p.severity == WARNING for p in bare)
    given = dataflow.make_linter(start_data={'task_settings': {'urgency', 'responsible_area', 'extra_groups'}})
    assert given.lint(content) == []
