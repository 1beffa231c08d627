"""Readiness and metrics for operators."""
from datetime import timedelta

from tests.support import flow
from tests.support.web import demo_users
from tests.support.web import basic


def test_readiness_reports_database_redis_workers_and_timer_lag(app):
    flow.deploy('engine_tour.bpmn', 'engine_tour_sub.bpmn')
    flow.start('engine_tour', {'deadline_days': 3})
    body = app.test_client().get('/readyz').get_json()
    assert body['ready'] is True and body['database'] == 'ok' and body['redis'] == 'ok'
    assert body['timer_lag_seconds'] == 0 and isinstance(body['workers'], int)
    flow.advance(app, timedelta(hours=1, minutes=1), run=False)  # the hourly reminder is now overdue
    assert 55 < app.test_client().get('/readyz').get_json()['timer_lag_seconds'] < 70


def test_readiness_fails_when_redis_is_unreachable(app):
    app.config['REDIS_URL'] = 'redis://127.0.0.1:1/0'
    response = app.test_client().get('/readyz')
    assert response.status_code == 503 and response.get_json()['redis'].startswith('error')


def test_metrics_need_credentials_and_speak_prometheus(app):
    flow.deploy('engine_tour.bpmn', 'engine_tour_sub.bpmn')
    flow.start('engine_tour', {'deadline_days': 3})
    demo_users()
    client = app.test_client()
    assert client.get('/metrics').status_code == 401
    assert client.get('/metrics', headers=basic('lider')).status_code == 401
    text = client.get('/metrics', headers=basic('admin')).get_data(as_text=True)
    assert 'pqrsf_cases{state="running"} 1' in text and 'pqrsf_open_tasks 1' in text
    assert 'pqrsf_pending_jobs{kind="timer"} 2' in text and '# TYPE pqrsf_timer_lag_seconds gauge' in text
    assert 'pqrsf_job_latency_seconds_count{kind="service"} 0' in text
    app.config['METRICS_TOKEN'] = 'secreto'
    assert client.get('/metrics', headers={'Authorization': 'Bearer secreto'}).status_code == 200
    assert client.get('/metrics', headers={'Authorization': 'Bearer otro'}).status_code == 401


def test_metrics_summarise_job_latency(app):
    flow.deploy('durable_steps.bpmn')
    flow.start('durable_steps', {'slow_seconds': 0, 'failures': 0})
    demo_users()
    flow.work(app)  # the service call runs; the two-hour timer waits
    text = app.test_client().get('/metrics', headers=basic('admin')).get_data(as_text=True)
    assert '# TYPE pqrsf_job_latency_seconds summary' in text
    assert 'pqrsf_job_latency_seconds_count{kind="service"} 1' in text
    assert 'pqrsf_job_latency_seconds_count{kind="timer"} 0' in text
    flow.advance(app, timedelta(hours=2, seconds=1))
    text = app.test_client().get('/metrics', headers=basic('admin')).get_data(as_text=True)
    assert 'pqrsf_job_latency_seconds_count{kind="timer"} 1' in text


def test_each_request_is_one_structured_log_line_with_its_cost(app, caplog):
    import json
    import logging

    from app.platform.observability import JsonFormatter
    demo_users()
    with caplog.at_level(logging.INFO, logger='pqrsf.request'):
        response = app.test_client().get('/api/tasks', headers={**basic('lider'), 'X-Request-Id': 'abc123'})
    [record] = [r for r in caplog.records if r.name == 'pqrsf.request']
    line = json.loads(JsonFormatter().format(record))
    assert line['request_id'] == 'abc123' == response.headers['X-Request-Id']
    assert line['path'] == '/api/tasks' and line['status'] == 200 and line['sql_commits'] == 0
    assert line['sql_statements'] >= 2 and line['duration_ms'] > 0 and line['level'] == 'INFO'
