"""Readiness and metrics for operators."""
from datetime import timedelta

from tests.support import flow
from tests.support.web import demo_users
from tests.web.test_api import basic


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
    app.config['METRICS_TOKEN'] = 'secreto'
    assert client.get('/metrics', headers={'Authorization': 'Bearer secreto'}).status_code == 200
    assert client.get('/metrics', headers={'Authorization': 'Bearer otro'}).status_code == 401
