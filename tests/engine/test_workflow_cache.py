"""Workflows kept in memory between steps: reused only while nothing else moved the case."""
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from app.engine import serializer
from app.engine.models import HumanTask
from app.engine.workflow_cache import WorkflowCache
from tests.support import flow


def _open_task_id(case_id):
    return flow.read(lambda s: s.scalars(select(HumanTask.id).where(
        HumanTask.case_id == case_id, HumanTask.state == 'open')).one())


@pytest.fixture
def loads_calls(monkeypatch):
    """How many times a workflow was restored from its JSON."""
    calls = []
    original = serializer.loads

    def counting(*args, **kwargs):
        calls.append(1)
        return original(*args, **kwargs)
    monkeypatch.setattr(serializer, 'loads', counting)
    return calls


@pytest.mark.parametrize('size', [200, 0])
def test_steps_in_the_process_that_saved_the_case_skip_restoring_it(app, loads_calls, size):
    app.extensions['pqrsf']['workflows'] = WorkflowCache(size)
    flow.deploy('loop.bpmn')
    case_id = flow.start('loop', {'i': 0, 'n': 5})
    for _ in range(5):
        flow.engine().complete_task(_open_task_id(case_id), {}, 'ana')
    assert flow.case_state(case_id) == 'completed'
    assert flow.history(case_id).count(('task_completed', 'step')) == 5
    assert len(loads_calls) == (0 if size else 5)
    assert len(app.extensions['pqrsf']['workflows']) == 0  # a finished case is not kept


def test_a_case_moved_by_another_process_is_restored_from_the_database(app, loads_calls):
    """Two processes take turns on one case: each must see what the other committed."""
    flow.deploy('loop.bpmn')
    case_id = flow.start('loop', {'i': 0, 'n': 4})
    here = flow.engine()
    there = flow.engine()
    there.workflows = WorkflowCache()  # another process: a cache of its own
    for engine in (here, there, here, there):
        engine.complete_task(_open_task_id(case_id), {}, 'ana')
    assert flow.case_state(case_id) == 'completed'
    assert flow.history(case_id).count(('task_completed', 'step')) == 4
    # the first turn follows this process's own start; each later one, the other process's step
    assert len(loads_calls) == 3


def test_a_failed_step_does_not_leave_its_half_run_workflow_behind(app):
    flow.deploy('loop.bpmn')
    case_id = flow.start('loop', {'i': 0, 'n': 2})
    with pytest.raises(Exception):  # `bump` adds 1 to a text: the step fails and rolls back
        flow.engine().complete_task(_open_task_id(case_id), {'i': 'uno'}, 'ana')
    assert len(app.extensions['pqrsf']['workflows']) == 0
    for _ in range(2):  # the task is still open, with the data of before
        flow.engine().complete_task(_open_task_id(case_id), {}, 'ana')
    assert flow.case_state(case_id) == 'completed'
    assert flow.history(case_id).count(('task_completed', 'step')) == 2


def test_the_cache_keeps_the_most_recently_saved_cases_and_hands_each_out_once():
    spec = object()
    cache = WorkflowCache(size=2)
    for case_id in (1, 2, 3):
        cache.put(case_id, 1, SimpleNamespace(spec=spec, case=case_id))
    assert cache.take(1, 1, spec) is None  # evicted: the oldest of three
    assert cache.take(2, 2, spec) is None  # saved at revision 1, the case is now at 2
    assert cache.take(2, 1, spec) is None  # the stale entry went with the first look
    assert cache.take(3, 1, object()) is None  # built on other spec objects
    cache.put(3, 1, SimpleNamespace(spec=spec, case=3))
    assert cache.take(3, 1, spec).case == 3
    assert cache.take(3, 1, spec) is None  # a step owns the workflow until it commits
