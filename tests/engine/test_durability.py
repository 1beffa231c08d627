"""Nothing lost, nothing applied twice: killed workers, a flushed Redis, retries, incidents,
concurrent completions and a step that fails half-way."""
import os
import signal
import threading
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.engine.errors import Conflict, StepFailed
from app.engine.models import Case, HumanTask, Incident, Job
from app.platform.extensions import db
from tests.support import flow
from tests.support.handlers import calls


def _start(app, slow_seconds=0, failures=0):
    flow.deploy('durable_steps.bpmn')
    return flow.start('durable_steps', {'slow_seconds': slow_seconds, 'failures': failures})


def test_killed_worker_mid_service_task_is_recovered_by_the_sweep(any_app):
    redis = flow.connect(any_app.config)
    case_id = _start(any_app, slow_seconds=30)
    with flow.worker_process() as first:
        flow.wait_for(lambda: calls(redis, 'test.slow'), message='the handler to start')
        os.kill(first.pid, signal.SIGKILL)
        first.wait()
    assert flow.jobs_of(case_id) == [('service', 'slow_call', 'pending')]
    with flow.worker_process(PQRSF_SWEEP_GRACE_SECONDS=1, PQRSF_SWEEP_INTERVAL_SECONDS=0.5):
        # the handler sleeps its 30 s again: wait past that, with room for a loaded machine
        flow.wait_for(lambda: ('timer_set', 'wait_two_hours') in flow.history(case_id),
                      timeout=90, message='the recovered service task to complete')
    assert len(calls(redis, 'test.slow')) == 2  # at least once: run again after the kill
    assert flow.history(case_id).count(('service_completed', 'slow_call')) == 1  # applied once


def test_timer_survives_a_flushed_redis(any_app):
    redis = flow.connect(any_app.config)
    case_id = _start(any_app)
    flow.work(any_app)
    assert ('timer_set', 'wait_two_hours') in flow.history(case_id)
    redis.flushdb()  # the scheduled wake-up is gone; the timer row is not
    flow.advance(any_app, timedelta(hours=2, minutes=1), run=False)  # past the sweep's grace
    flow.work(any_app)
    assert ('timer_fired', 'wait_two_hours') not in flow.history(case_id)
    with flow.worker_process(PQRSF_SWEEP_INTERVAL_SECONDS=0.5):
        flow.wait_for(lambda: flow.open_tasks(case_id) == ['check'], message='the sweep to fire it')
    assert flow.history(case_id).count(('timer_fired', 'wait_two_hours')) == 1


def test_failing_handler_retries_with_backoff_then_opens_an_incident_that_can_be_retried(app):
    redis = flow.connect(app.config)
    case_id = _start(app, failures=4)
    flow.work(app)
    flow.advance(app, timedelta(hours=2, seconds=1))
    assert flow.jobs_of(case_id)[-1] == ('service', 'flaky_call', 'pending')
    retry_at, failed_at = flow.read(lambda s: s.execute(select(Job.due_at, Job.updated_at).where(
        Job.case_id == case_id, Job.kind == 'service', Job.element_id == 'flaky_call')).one())
    assert retry_at - failed_at == timedelta(seconds=60)  # the base back-off from conftest
    for _ in range(2):  # attempts 2 and 3: the sweep finds the due retry
        flow.advance(app, timedelta(minutes=5), run=False)
        flow.jobs.sweep(0)
        flow.work(app)
    assert flow.jobs_of(case_id)[-1] == ('service', 'flaky_call', 'incident')
    incident = flow.read(lambda s: s.scalars(select(Incident).where(Incident.case_id == case_id)).one())
    assert incident.element_id == 'flaky_call' and 'servicio externo caído (intento 3)' in incident.message
    assert flow.open_tasks(case_id) == []  # the case waits where it was
    steps = flow.history(case_id)
    assert steps.count(('job_failed', 'flaky_call')) == 2 and ('incident_opened', 'flaky_call') in steps

    flow.engine().retry_incident(incident.id, 'operador')  # attempt 4 fails again: back to retries
    flow.work(app)
    assert flow.jobs_of(case_id)[-1] == ('service', 'flaky_call', 'pending')
    flow.advance(app, timedelta(minutes=2), run=False)
    flow.jobs.sweep(0)
    flow.work(app)
    assert flow.open_tasks(case_id) == ['check']
    assert [c['attempt'] for c in calls(redis, 'test.flaky')] == [1, 2, 3, 1, 2]


def test_failing_condition_leaves_the_case_where_it_was_and_shows_an_incident(app):
    case_id = _start(app)
    flow.work(app)
    flow.advance(app, timedelta(hours=2, seconds=1))
    before = flow.read(lambda s: (s.get(Case, case_id).revision, s.get(Case, case_id).workflow))
    with pytest.raises(StepFailed) as failure:
        flow.complete(case_id, 'check', {'approved': True})  # the condition reads `score`: missing
    assert (failure.value.code, failure.value.params['element_id']) == ('step_failed', 'check_gate')
    after = flow.read(lambda s: (s.get(Case, case_id).revision, s.get(Case, case_id).workflow))
    assert after == before
    assert flow.open_tasks(case_id) == ['check']
    incident = flow.read(lambda s: s.scalars(select(Incident).where(Incident.case_id == case_id)).one())
    assert incident.element_id == 'check_gate' and 'score' in incident.message
    flow.complete(case_id, 'check', {'approved': True, 'score': 5})
    assert flow.case_state(case_id) == 'completed'
    assert ('element_completed', 'd_end_ok') in flow.history(case_id)


def test_repeated_completion_is_refused(app):
    case_id = _start(app)
    flow.work(app)
    flow.advance(app, timedelta(hours=2, seconds=1))
    task = flow.open_task(case_id, 'check')
    flow.engine().complete_task(task.id, {'approved': True, 'score': 4}, 'ana')
    with pytest.raises(Conflict):
        flow.engine().complete_task(task.id, {'approved': False, 'score': 1}, 'ana')
    assert flow.history(case_id).count(('task_completed', 'check')) == 1


@pytest.mark.parametrize('attempt', range(3))
def test_two_concurrent_completions_exactly_one_wins(pg_app, attempt):
    case_id = _start(pg_app)
    flow.work(pg_app)
    flow.advance(pg_app, timedelta(hours=2, seconds=1))
    task_id = flow.open_task(case_id, 'check').id
    barrier = threading.Barrier(2)
    outcomes = []

    def complete(score):
        with pg_app.app_context():
            engine = flow.engine()
            barrier.wait()
            try:
                engine.complete_task(task_id, {'approved': True, 'score': score}, f'user{score}')
                outcomes.append(('won', score))
            except Conflict as error:
                outcomes.append(('conflict', error.message))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=complete, args=(score,)) for score in (4, 5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    kinds = sorted(kind for kind, _ in outcomes)
    assert kinds == ['conflict', 'won'], outcomes
    winner = next(score for kind, score in outcomes if kind == 'won')
    assert flow.history(case_id).count(('task_completed', 'check')) == 1
    row = flow.read(lambda s: s.get(HumanTask, task_id))
    assert row.state == 'completed' and row.completed_by == f'user{winner}'
