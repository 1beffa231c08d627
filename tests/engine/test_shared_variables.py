"""Case-wide variables (`shared_variables`): a value written in one branch reaches a boundary
timer armed earlier in another, which moves with it; the case keeps one value of each, and a
join or a called process never brings back an older one."""
from datetime import timedelta

from sqlalchemy import select

from app.engine.business_days import to_datetime
from app.engine.models import Case, Job
from tests.engine.test_lint import lint_files
from tests.support import flow

SHARED = flow.DIAGRAMS / 'shared'


def _timer_due(case_id):
    return flow.read(lambda s: s.scalars(select(Job.due_at).where(
        Job.case_id == case_id, Job.element_id == 'sd_late', Job.state == 'pending')).all())


def _variables(case_id):
    return flow.read(lambda s: s.get(Case, case_id).variables)


def _started(app):
    assert lint_files(SHARED / 'shared_deadline.bpmn', SHARED / 'shared_deadline_work.bpmn') == []
    flow.deploy('shared/shared_deadline_work.bpmn', 'shared/shared_deadline.bpmn')
    case_id = flow.start('shared_deadline')
    flow.work(app)
    return case_id


def test_a_deadline_moved_in_one_branch_moves_the_timer_armed_in_the_other(any_app):
    case_id = _started(any_app)
    first = _variables(case_id)['deadline']
    [armed] = _timer_due(case_id)
    assert abs(armed.replace(tzinfo=armed.tzinfo) - to_datetime(first)) < timedelta(seconds=1)

    flow.complete(case_id, 'sd_extend', {'extra_days': 3})
    variables = _variables(case_id)
    moved = to_datetime(variables['deadline'])
    assert variables['extended'] is True and moved > to_datetime(first)
    [rearmed] = _timer_due(case_id)
    assert abs(rearmed - moved) < timedelta(seconds=1)

    flow.advance(any_app, to_datetime(first) - flow.clock.now() + timedelta(hours=1))
    assert ('timer_fired', 'sd_late') not in flow.history(case_id)      # the old date passed quietly
    flow.advance(any_app, moved - flow.clock.now() + timedelta(minutes=1))
    assert ('timer_fired', 'sd_late') in flow.history(case_id)


def test_the_join_and_the_called_process_keep_the_newest_value(app):
    case_id = _started(app)
    flow.complete(case_id, 'sd_extend', {'extra_days': 3})
    moved = _variables(case_id)['deadline']
    step = flow.complete(case_id, 'sw_task', {})                      # the called process ends
    assert flow.open_tasks(case_id) == ['sd_after']
    assert _variables(case_id)['deadline'] == moved and step.data['deadline'] == moved


def test_shared_variables_must_be_names(tmp_path):
    text = (SHARED / 'shared_deadline.bpmn').read_text(encoding='utf-8').replace(
        'value="deadline, extended"', 'value="deadline, 2x"')
    path = tmp_path / 'shared_deadline.bpmn'
    path.write_text(text, encoding='utf-8')
    problems = lint_files(path, SHARED / 'shared_deadline_work.bpmn')
    assert any("no lo son: 2x" in str(p) for p in problems), problems
