"""Runtime behaviours beyond the tour: long loops, multi-instance tasks, messages."""
import pytest
from sqlalchemy import select

from app.engine.errors import Conflict
from app.engine.models import Case, HumanTask
from tests.support import flow


def test_a_loop_of_1000_passes_through_a_user_task_completes(app):
    flow.deploy('loop.bpmn')
    case_id = flow.start('loop', {'i': 0, 'n': 1000})
    engine = flow.engine()
    for _ in range(1000):
        task_id = flow.read(lambda s: s.scalars(select(HumanTask.id).where(
            HumanTask.case_id == case_id, HumanTask.state == 'open')).one())
        engine.complete_task(task_id, {}, 'ana')
    assert flow.case_state(case_id) == 'completed'
    steps = flow.history(case_id)
    assert steps.count(('task_completed', 'step')) == 1000
    assert steps.count(('element_completed', 'bump')) == 1000
    size = flow.read(lambda s: len(s.get(Case, case_id).workflow))
    assert size < 40_000, f'the finished past should have been pruned, workflow is {size} bytes'


def test_multi_instance_user_task_makes_one_task_per_item(app):
    flow.deploy('answer_and_actions.bpmn')
    actions = [{'what': 'capacitar', 'who': 'luis'}, {'what': 'revisar rutas', 'who': 'eva'}]
    case_id = flow.start('answer_and_actions', {'actions': actions})
    rows = flow.read(lambda s: s.scalars(select(HumanTask).where(
        HumanTask.case_id == case_id, HumanTask.state == 'open')).all())
    assert [r.element_id for r in rows] == ['do_action', 'do_action']
    assert all(r.candidate_groups == ['responsable'] for r in rows)
    for row in rows:
        flow.engine().complete_task(row.id, {'done': True}, 'luis')
    assert flow.open_tasks(case_id) == []
    assert flow.history(case_id).count(('task_completed', 'do_action')) == 2


def test_multi_instance_children_merge_in_a_process_that_did_not_create_them(app):
    """Another web process (or a rebuilt spec cache) completes an instance: its freshly parsed
    spec must still merge the child into the multi-instance parent, or the case stalls."""
    from flask import current_app

    from app.engine.specs import SpecLibrary
    flow.deploy('answer_and_actions.bpmn')
    case_id = flow.start('answer_and_actions', {'actions': [{'what': 'a'}, {'what': 'b'}]})
    rows = flow.read(lambda s: s.scalars(select(HumanTask).where(
        HumanTask.case_id == case_id, HumanTask.state == 'open')).all())
    for row in rows:
        current_app.extensions['pqrsf']['specs'] = SpecLibrary()  # as a process that never saw them
        flow.engine().complete_task(row.id, {'done': True}, 'luis')
    # the parent moved on: the case now waits for the client's answer
    flow.engine().deliver_message(case_id, 'client_answer', {'decision': 'accept'}, 'cliente',
                                  result_var='answer')
    assert flow.case_state(case_id) == 'completed'


@pytest.mark.parametrize('decision, end', [('accept', 'a_end_accepted'), ('reject', 'a_end_rejected')])
def test_a_message_moves_the_waiting_case(app, decision, end):
    flow.deploy('answer_and_actions.bpmn')
    case_id = flow.start('answer_and_actions', {'actions': []})
    with pytest.raises(Conflict):
        flow.engine().deliver_message(case_id, 'other_message', {}, 'cliente')
    flow.engine().deliver_message(case_id, 'client_answer', {'decision': decision, 'comment': 'ok'},
                                  'cliente', result_var='answer')
    assert flow.case_state(case_id) == 'completed'
    steps = flow.history(case_id)
    assert ('message_received', 'wait_answer') in steps and ('element_completed', end) in steps
    with pytest.raises(Conflict):  # a second answer finds nothing waiting
        flow.engine().deliver_message(case_id, 'client_answer', {'decision': 'accept'}, 'cliente')
