"""The engine tour diagram end to end: user task, async service task, gateway, interrupting
and non-interrupting (cycle) boundary timers, intermediate timer and call activity, through
real RQ workers on real Redis, on SQLite and on PostgreSQL."""
from datetime import timedelta

from sqlalchemy import select

from app.engine.models import Event, HumanTask, Job
from tests.support import flow
from tests.support.handlers import calls


def _deploy_tour():
    flow.deploy('engine_tour.bpmn', 'engine_tour_sub.bpmn')


def test_tour_runs_through_a_separate_worker_process(any_app):
    _deploy_tour()
    redis = flow.connect(any_app.config)
    with flow.worker_process():
        case_id = flow.start('engine_tour', {'deadline_days': 3})
        assert flow.open_tasks(case_id) == ['review']

        flow.advance(any_app, timedelta(hours=1, seconds=1), run=False)
        flow.jobs.sweep(0, kinds=('timer',))
        flow.wait_for(lambda: ('service_completed', 'send_reminder') in flow.history(case_id),
                      message='the first reminder')
        flow.advance(any_app, timedelta(hours=1, seconds=1), run=False)
        flow.jobs.sweep(0, kinds=('timer',))
        flow.wait_for(lambda: flow.history(case_id).count(('service_completed', 'send_reminder')) == 2,
                      message='the second reminder')

        flow.complete(case_id, 'review', {'approved': True, 'comment': 'conforme'})
        flow.wait_for(lambda: ('timer_set', 'cooldown') in flow.history(case_id),
                      message='the register service task, then the intermediate timer')
        flow.advance(any_app, timedelta(hours=2, seconds=1), run=False)
        flow.jobs.sweep(0, kinds=('timer',))
        flow.wait_for(lambda: flow.open_tasks(case_id) == ['sub_task'], message='the call activity')
        flow.complete(case_id, 'sub_task', {'notes': 'listo'})

    assert flow.case_state(case_id) == 'completed'
    steps = flow.history(case_id)
    assert steps[0] == ('case_started', None) and steps[-1] == ('case_completed', None)
    main_path = [s for s in steps if s[0] in (
        'task_completed', 'service_completed', 'timer_fired', 'call_started', 'call_completed')]
    assert main_path == [
        ('timer_fired', 'remind'), ('service_completed', 'send_reminder'),
        ('timer_fired', 'remind'), ('service_completed', 'send_reminder'),
        ('task_completed', 'review'), ('service_completed', 'register'),
        ('timer_fired', 'cooldown'), ('call_started', 'call_sub'),
        ('task_completed', 'sub_task'), ('call_completed', 'call_sub')]
    assert ('element_cancelled', 'review_timeout') in steps
    recorded = calls(redis, 'test.record')
    assert [c['inputs']['message'] for c in recorded] == ['recordatorio', 'recordatorio',
                                                          'aprobado: conforme']
    assert {j[2] for j in flow.jobs_of(case_id)} <= {'done', 'cancelled'}


def test_rejected_review_takes_the_default_flow(app):
    _deploy_tour()
    case_id = flow.start('engine_tour', {'deadline_days': 3})
    flow.complete(case_id, 'review', {'approved': False, 'comment': 'no'})
    flow.work(app)
    assert flow.case_state(case_id) == 'completed'
    steps = flow.history(case_id)
    assert ('element_completed', 'rejected') in steps
    assert ('service_queued', 'register') not in steps


def test_interrupting_timer_cancels_the_task_after_business_days(app):
    _deploy_tour()
    case_id = flow.start('engine_tour', {'deadline_days': 3})
    due = flow.read(lambda s: s.scalars(select(Job.due_at).where(
        Job.case_id == case_id, Job.element_id == 'review_timeout')).one())
    calendar = flow.engine().script_engine.calendar
    started = flow.read(lambda s: s.scalars(select(Event.at).where(Event.case_id == case_id)).first())
    assert due == calendar.end_of_business_day(calendar.add_business_days(started, 3))

    flow.advance(app, due - started - timedelta(minutes=1))
    assert flow.case_state(case_id) == 'running'
    flow.advance(app, timedelta(minutes=2))
    assert flow.case_state(case_id) == 'completed'
    steps = flow.history(case_id)
    assert ('timer_fired', 'review_timeout') in steps and ('element_completed', 'timed_out') in steps
    review = flow.read(lambda s: s.scalars(select(HumanTask).where(HumanTask.case_id == case_id)).one())
    assert review.state == 'cancelled'
    assert steps.count(('timer_fired', 'remind')) == 2  # the hourly cycle ran its two rounds first
    assert all(state != 'pending' for _, _, state in flow.jobs_of(case_id))
