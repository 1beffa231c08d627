"""The REST API: its OpenAPI document, authentication, errors, and a case run to its end
through the API alone (plus the clock for the client's silence)."""
import re
from datetime import timedelta

from openapi_spec_validator import validate
from sqlalchemy import select

from app.accounts.login import issue_token
from app.accounts.models import User
from tests.support import flow
from tests.support.pqrsf import CLIENT, TWO_ACTIONS
from tests.support.web import basic

def test_openapi_document_validates_and_covers_every_api_route(app, api):
    document = api.get('/api/openapi.json').get_json()
    validate(document)
    documented = {path for path in document['paths']}
    routes = {re.sub(r'<(?:[a-z]+:)?(\w+)>', r'{\1}', rule.rule) for rule in app.url_map.iter_rules()
              if rule.rule.startswith('/api/') and rule.endpoint != 'api-docs.openapi_json'}
    assert routes == documented, routes ^ documented


def test_credentials_are_required_and_checked(api):
    assert api.get('/api/tasks').status_code == 401
    response = api.get('/api/tasks', headers=basic('lider', 'wrong-password'))
    assert response.status_code == 401 and response.get_json()['code'] == 401
    assert api.get('/api/tasks', headers={'Authorization': 'Bearer not-a-token'}).status_code == 401


def _tasks(api, user, **query):
    response = api.get('/api/tasks', headers=basic(user), query_string=query)
    assert response.status_code == 200, response.get_json()
    return response.get_json()['tasks']


def _complete(api, headers, task_id, data, expect=200):
    response = api.post(f'/api/tasks/{task_id}/complete', json=data, headers=headers)
    assert response.status_code == expect, response.get_json()
    return response.get_json()


def test_a_case_runs_to_its_end_through_the_api(app, api):
    created = api.post('/api/cases', json={**CLIENT, 'data_consent': True}, headers=basic('colaborador'))
    assert created.status_code == 201, created.get_json()
    radicado = created.get_json()['radicado']
    receipt = api.get(created.get_json()['receipt_url'].removeprefix('http://localhost'))  # the client's PDF
    assert receipt.status_code == 200 and receipt.data.startswith(b'%PDF') and created.get_json()['answer_due_at']
    invalid = api.post('/api/cases', json={**CLIENT, 'client_email': 'x'}, headers=basic('colaborador'))
    assert invalid.status_code == 422 and 'client_email' in invalid.get_json()['errors']['json']
    flow.work(app)

    lider = basic('lider')
    [classify] = [t for t in _tasks(api, "lider", scope="groups") if t["radicado"] == radicado]
    assert classify['element_id'] == 'classify' and classify['deadline_state'] == 'por_vencer'  # due in 2 business days
    detail = api.get(f"/api/tasks/{classify['id']}", headers=lider).get_json()
    assert {c['key'] for c in detail['form']['components']} >= {'case_type', 'severity'}
    claimed = api.post(f"/api/tasks/{classify['id']}/claim", headers=lider)
    assert claimed.status_code == 200 and claimed.get_json()['assignee'] == 'lider'
    errors = _complete(api, lider, classify['id'], {'case_type': 'Q'}, expect=422)['errors']['json']
    assert set(errors) == {'severity', 'impact', 'motive', 'investigation_level', 'responsible_area'}
    classified = _complete(api, lider, classify['id'], {
        'case_type': 'Q', 'severity': 'alta', 'impact': 'individual', 'motive': 'cambio',
        'investigation_level': 'profundo', 'responsible_area': 'operaciones'})
    _complete(api, lider, classify['id'], {'case_type': 'Q'}, expect=409)  # repeated completion

    # each completion says what the caller can do next in the case: the lider goes straight on
    [register_om] = classified['next_tasks']
    assert (register_om['element_id'], register_om['radicado']) == ('register_opportunity', radicado)
    registered = _complete(api, lider, register_om['id'], {
        'affected_process': 'Transporte', 'om_kind': 'mejora', 'om_description': 'Retrasos sin aviso.'})
    assert [t['element_id'] for t in registered['next_tasks']] == ['analyse_causes']
    actions = [{**a, 'owner': 'responsable', 'owner_email': 'responsable@empresa.example'} for a in TWO_ACTIONS]
    planned = _complete(api, lider, registered['next_tasks'][0]['id'], {
        'analysis_method': 'ishikawa', 'root_causes': 'Sin alertas de retraso.', 'actions': actions})
    assert planned == {'case_state': 'running', 'next_tasks': []}  # the actions are the owner's, not the lider's
    flow.work(app)
    user = flow.read(lambda s: s.scalar(select(User).where(User.username == 'responsable')))
    token = {'Authorization': f'Bearer {issue_token(flow.db.session.merge(user))}'}
    mine = api.get('/api/tasks', headers=token, query_string={'scope': 'mine'}).get_json()['tasks']
    assert [t['element_id'] for t in mine] == ['do_action', 'do_action']
    first = _complete(api, token, mine[0]['id'], {'action_done': True, 'action_evidence': 'Aplicada.'})
    assert [t['id'] for t in first['next_tasks']] == [mine[1]['id']]  # the other action, opened earlier
    _complete(api, token, mine[1]['id'], {'action_done': True, 'action_evidence': 'Aplicada.'})
    flow.work(app)

    def only(user, element):
        [task] = [t for t in _tasks(api, user) if t['element_id'] == element and t['radicado'] == radicado]
        return task['id']
    _complete(api, lider, only('lider', 'verify_effectiveness'),
              {'effective': True, 'effectiveness_notes': 'Bien.', 'decision': 'Le devolvemos el flete.'})
    flow.work(app)
    flow.advance(app, timedelta(days=9))  # the client never answers: closed after 5 business days
    flow.advance(app, timedelta(days=8))  # and the survey goes out five business days after
    case = api.get(f'/api/cases/{radicado}', headers=lider).get_json()
    assert case['state'] == 'completed' and case['open_tasks'] == []
    kinds = [e['kind'] for e in api.get(f'/api/cases/{radicado}/events', headers=lider).get_json()]
    assert kinds[0] == 'case_started' and kinds[-1] == 'case_completed' and 'task_claimed' in kinds


def test_task_of_another_role_is_forbidden_in_the_api(app, api):
    api.post('/api/cases', json={**CLIENT, 'data_consent': True}, headers=basic('colaborador'))
    flow.work(app)
    [task] = _tasks(api, 'lider')
    for user in ('rrhh', 'gerente', 'director', 'responsable', 'auditor', 'dueno', 'admin', 'colaborador'):
        headers = basic(user)
        assert api.get(f"/api/tasks/{task['id']}", headers=headers).status_code == 403, user
        assert api.post(f"/api/tasks/{task['id']}/claim", headers=headers).status_code == 403, user
        response = api.post(f"/api/tasks/{task['id']}/complete", json={'case_type': 'Q'}, headers=headers)
        assert response.status_code == 403 and response.get_json()['message'], user
    assert api.post('/api/cases', json=CLIENT, headers=basic('auditor')).status_code == 403


def test_staff_record_the_clients_answer_through_the_api(app, api):
    from tests.support.pqrsf import drive_to_decision, register
    case_id, radicado = register(app)
    path = f'/api/cases/{radicado}/answer'
    early = api.post(path, json={'decision': 'accept'}, headers=basic('lider'))
    assert early.status_code == 409 and 'client_answer' in early.get_json()['message']
    drive_to_decision(app, case_id)
    assert api.post(path, json={'decision': 'accept'}, headers=basic('auditor')).status_code == 403
    invalid = api.post(path, json={'decision': 'quizás'}, headers=basic('lider'))
    assert invalid.status_code == 422 and 'decision' in invalid.get_json()['errors']['json']
    assert api.post('/api/cases/PQRSF-1999-000001/answer', json={'decision': 'accept'},
                    headers=basic('lider')).status_code == 404
    answered = api.post(path, json={'decision': 'accept', 'comment': 'Por teléfono'}, headers=basic('colaborador'))
    # closing is the lider's task, so the colaborador who took the call has nothing next
    assert answered.status_code == 200 and answered.get_json() == {'case_state': 'running', 'next_tasks': []}
    assert flow.open_tasks(case_id) == ['close_case']
    assert api.post(path, json={'decision': 'reject'}, headers=basic('lider')).status_code == 409
    # every response says what it cost the server: time, SQL statements, commits
    timing = answered.headers['Server-Timing']
    assert 'commits=1' in timing and 'app;dur=' in timing
    app_ms, cpu_ms = (float(re.search(rf'{name};dur=([\d.]+)', timing).group(1)) for name in ('app', 'cpu'))
    assert 0 < cpu_ms <= app_ms + 1  # the CPU part of the time inside the app (thread clock ticks coarser)
