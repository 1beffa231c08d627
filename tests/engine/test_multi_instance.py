"""Standard multi-instance as BPMN and Camunda Modeler write it, each form run to its end by the
Engine: a list (`loopDataInputRef` / `inputDataItem`), a count (`loopCardinality`), and a
completion condition that ends the loop early; and the forms lint refuses or warns about."""
from pathlib import Path
from uuid import UUID

from sqlalchemy import select

from app.engine.models import Case, HumanTask
from tests.engine.test_lint import lint_files
from tests.support import flow

CAMUNDA = Path(__file__).resolve().parents[1] / 'diagrams' / 'camunda'


def open_rows(case_id):
    return flow.read(lambda s: s.scalars(select(HumanTask).where(
        HumanTask.case_id == case_id, HumanTask.state == 'open').order_by(HumanTask.id)).all())


def task_data(case_id, row):
    """The data SpiffWorkflow gave the task's instance (the stored workflow, read as the engine does)."""
    workflow = flow.read(lambda s: flow.engine()._restore(s.get(Case, case_id)))
    return workflow.get_task_from_id(UUID(str(row.id))).data


def test_one_task_per_item_of_the_loop_data_input_each_with_its_item(app):
    flow.deploy('camunda/mi_data_input.bpmn')
    case_id = flow.start('mi_data_input', {'reviewers': ['ana', 'luis', 'eva']})
    rows = open_rows(case_id)
    assert [r.element_id for r in rows] == ['mi_data_input_review'] * 3
    assert sorted(task_data(case_id, r)['reviewer'] for r in rows) == ['ana', 'eva', 'luis']
    for row in rows:
        flow.engine().complete_task(row.id, {'approved': True}, 'ana')
    assert flow.case_state(case_id) == 'completed'
    assert flow.history(case_id).count(('task_completed', 'mi_data_input_review')) == 3


def test_a_loop_cardinality_makes_that_many_tasks_one_after_another(app):
    flow.deploy('camunda/mi_cardinality.bpmn')
    case_id = flow.start('mi_cardinality', {'copies': 3})
    for _ in range(3):
        rows = open_rows(case_id)
        assert [r.element_id for r in rows] == ['mi_cardinality_review']  # sequential: one at a time
        flow.engine().complete_task(rows[0].id, {}, 'ana')
    assert flow.case_state(case_id) == 'completed'
    assert flow.history(case_id).count(('task_completed', 'mi_cardinality_review')) == 3


def test_a_completion_condition_ends_the_loop_and_closes_the_other_tasks(app):
    flow.deploy('camunda/mi_completion.bpmn')
    case_id = flow.start('mi_completion', {'reviewers': ['ana', 'luis', 'eva']})
    rows = open_rows(case_id)
    assert len(rows) == 3
    flow.engine().complete_task(rows[0].id, {'approved': False}, 'ana')
    assert len(open_rows(case_id)) == 2 and flow.case_state(case_id) == 'running'
    flow.engine().complete_task(rows[1].id, {'approved': True}, 'luis')   # `${approved == true}`
    assert open_rows(case_id) == []
    assert flow.case_state(case_id) == 'completed'


def test_a_list_and_a_count_at_once_is_refused():
    path = CAMUNDA / 'mi_both.bpmn'
    problems = lint_files(path)
    assert [(p.element_id, p.severity) for p in problems] == [('mi_both_review', 'error')]
    assert 'tiene loopDataInputRef y loopCardinality: use solo uno' in problems[0].message


def test_an_item_named_unlike_its_id_is_a_warning_naming_the_variable_it_gets():
    problems = lint_files(CAMUNDA / 'mi_item_name.bpmn')
    assert [(p.element_id, p.severity) for p in problems] == [('mi_item_name_review', 'warning')]
    assert "en la variable 'DataInput_1' (el id de inputDataItem), no en 'reviewer'" in problems[0].message
