"""Bad input answers 4xx, never 5xx: a JSON error naming the field in the API (and for the
`.json` addresses), an error page naming it on the web, and nothing changes."""
import base64
from datetime import timedelta

from sqlalchemy import func, select

from app.engine.models import Case, Incident
from app.cases.links import make_token
from app.processes.deploy import deploy_paths
from tests.support import flow
from tests.support.pqrsf import CLIENT, register
from tests.support.web import csrf_token, login
from tests.support.files import DOCTYPE_LINE, DTD_FILES as FILES
from tests.support.web import basic


def _cases():
    return flow.read(lambda s: s.scalar(select(func.count()).select_from(Case)))


def _json_error(response, code):
    assert response.status_code == code, response.get_data(as_text=True)[:300]
    body = response.get_json()
    assert body['code'] == code and body['message'] and body['status']
    return body


def test_the_json_error_handler_answers_every_error(app, api):
    assert _json_error(api.delete('/api/tasks', headers=basic('lider')), 405)['message']
    assert 'Allow' in api.delete('/api/tasks', headers=basic('lider')).headers
    assert _json_error(api.get('/api/no-such-thing', headers=basic('lider')), 404)
    unauthorized = api.get('/api/tasks')
    assert _json_error(unauthorized, 401) and unauthorized.headers['WWW-Authenticate'].startswith('Basic')
    page = app.test_client().put('/radicar')  # a page's 405 is a page, not JSON
    assert page.status_code == 405 and page.mimetype == 'text/html'


def test_a_json_body_that_is_not_an_object_is_refused_by_each_operation(app, api):
    case_id, radicado = register(app)
    [task] = api.get('/api/tasks', headers=basic('lider')).get_json()['tasks']
    for body in ([], 'x', 3, None, [{'case_type': 'Q'}]):
        for path, user in (('/api/cases', 'colaborador'), (f'/api/cases/{radicado}/answer', 'lider'),
                           (f"/api/tasks/{task['id']}/complete", 'lider'),
                           (f"/api/tasks/{task['id']}/reassign", 'lider')):
            response = api.post(path, json=body, headers=basic(user))
            assert _json_error(response, 422)['errors']['json'], (path, body)
    assert _cases() == 1 and flow.open_tasks(case_id) == ['classify']


def test_bodies_that_are_not_json_in_utf8_are_refused(app, api):
    for raw in (b'\xff\xfe{"a": 1}', b'{"case_type": ', b'\xc3', b'[' * 100_000 + b']' * 100_000,
                b'{"case_type": 1' + b'0' * 5000 + b'}'):  # past recursion; past Python's int digits
        response = api.post('/api/cases', data=raw, content_type='application/json', headers=basic('colaborador'))
        assert _json_error(response, 400)['errors'] == {'json': ['El cuerpo no es JSON válido en UTF-8.']}
    assert _cases() == 0


def test_a_body_that_is_not_sent_as_json_is_refused_with_415(app, api):
    for content_type, data in (('text/plain', b'{}'), ('application/x-www-form-urlencoded', b'case_type=Q'),
                               ('application/xml', b'<a/>')):
        response = api.post('/api/cases', data=data, content_type=content_type, headers=basic('colaborador'))
        assert 'application/json' in _json_error(response, 415)['message'], content_type
    assert _cases() == 0


def test_text_a_database_cannot_store_is_refused_naming_the_field(app, api):
    nul = api.post('/api/cases', json={**CLIENT, 'description': 'a\x00b'}, headers=basic('colaborador'))
    assert 'json.description' in _json_error(nul, 400)['message']
    surrogate = api.post('/api/cases', data=b'{"client_name": "\\ud800 x"}', content_type='application/json',
                         headers=basic('colaborador'))
    assert 'json.client_name' in _json_error(surrogate, 400)['message']
    assert 'path' in _json_error(api.get('/api/tasks/a%00b', headers=basic('lider')), 400)['message']
    assert 'query.branch' in _json_error(api.get('/api/tasks?branch=%00', headers=basic('lider')), 400)['message']
    nul_user = {'Authorization': 'Basic ' + base64.b64encode(b'lider\x00:x').decode()}
    assert 'Authorization' in _json_error(api.get('/api/tasks', headers=nul_user), 400)['message']
    assert _cases() == 0


TASK_LIST_ARGUMENTS = [('page=abc', 'page'), ('page=0', 'page'), ('page=-3', 'page'),
                       ('page=99999999999999999999', 'page'), ('page=1.5', 'page'), ('scope=todo', 'scope'),
                       ('deadline=ayer', 'deadline'), ('case_type=X', 'case_type')]


def test_task_list_arguments_are_checked_in_the_api_and_on_the_page(app, api):
    web = login(app.test_client(), 'lider')
    for query, field in TASK_LIST_ARGUMENTS:
        body = _json_error(api.get(f'/api/tasks?{query}', headers=basic('lider')), 422)
        assert list(body['errors']['query']) == [field], query
        page = web.get(f'/tareas/?{query}')
        assert page.status_code == 400 and f'«{field}»' in page.get_data(as_text=True), query


def test_the_last_page_and_blank_filters_still_work(app, api):
    assert api.get('/api/tasks?page=10000', headers=basic('lider')).get_json()['tasks'] == []
    assert login(app.test_client(), 'lider').get('/tareas/?case_type=&deadline=&page=').status_code == 200


def test_as_of_is_checked_in_the_api_and_the_path_view(app, api):
    case_id, radicado = register(app)
    web = login(app.test_client(), 'lider')
    for as_of in ('abc', '-1', '99999999999999999999', '²'):
        body = _json_error(api.get(f'/api/cases/{radicado}/path', query_string={'as_of': as_of},
                                   headers=basic('lider')), 422)
        assert list(body['errors']['query']) == ['as_of'], as_of
        answer = web.get(f'/casos/{radicado}/recorrido.json', query_string={'as_of': as_of})
        assert 'as_of' in _json_error(answer, 400)['message'], as_of


def test_diagrams_with_a_doctype_are_refused_by_the_web_validate_and_deploy(app):
    from tests.support.web import demo_users
    demo_users()
    client = login(app.test_client(), 'dueno')
    headers = {'X-CSRFToken': csrf_token(client, '/procesos/')}
    for path in FILES:
        document = {'file_name': path.name, 'xml': path.read_text(encoding='utf-8')}
        [problem] = client.post('/procesos/validar', json=document, headers=headers).get_json()['problems']
        assert problem['line'] == DOCTYPE_LINE and 'DOCTYPE' in problem['message'], path.name
        refused = client.post('/procesos/desplegar', json=document, headers=headers)
        assert refused.status_code == 422 and 'DOCTYPE' in refused.get_json()['problems'][0]['message']


def test_signed_links_of_a_case_that_no_longer_exists_answer_404(app):
    client = app.test_client()
    token = csrf_token(client, '/radicar')
    for purpose, path, form in (('answer', '/respuesta/{}?decision=accept', {'comment': 'x'}),
                                ('information', '/informacion/{}', {'text': 'los datos'}),
                                ('survey', '/encuesta/{}', {'rating': '5'})):
        url = path.format(make_token(987654, purpose))  # a case id no case has
        assert client.get(url).status_code == 404, url
        gone = client.post(url, data={**form, 'csrf_token': token})
        assert gone.status_code == 404 and 'ya no existe' in gone.get_data(as_text=True), url
    assert _cases() == 0


def _failing_step(app, tmp_path):
    """A case whose next step fails on the diagram's own condition (it reads `score`, which the
    form does not have), with the task in the demo lider's group."""
    text = (flow.DIAGRAMS / 'durable_steps.bpmn').read_text(encoding='utf-8')
    diagram = tmp_path / 'durable_steps.bpmn'
    diagram.write_text(text.replace('camunda:candidateGroups="lider"', 'camunda:candidateGroups="lider_proceso"'))
    deploy_paths([diagram], 'test')
    case_id = flow.start('durable_steps', {'slow_seconds': 0, 'failures': 0})
    flow.work(app)
    flow.advance(app, timedelta(hours=2, seconds=1))
    return case_id, flow.open_task(case_id, 'check')


def test_a_completion_the_diagram_would_fail_is_refused_naming_what_is_missing(app, api, tmp_path):
    """The completion is rehearsed first (Engine.check_completion): the gateway's condition reads
    `score`, which neither the form nor the case has, so the answer is 422 in words, not a
    failed step: nothing saved, no incident."""
    case_id, task = _failing_step(app, tmp_path)
    response = api.post(f'/api/tasks/{task.id}/complete', json={'approved': True}, headers=basic('lider'))
    body = _json_error(response, 422)
    assert '«score»' in body['errors']['json']['_form'][0]
    assert flow.open_tasks(case_id) == ['check']  # nothing saved: the task is still there
    assert flow.read(lambda s: s.scalar(select(func.count()).select_from(Incident).where(Incident.case_id == case_id))) == 0
    document = api.get('/api/openapi.json').get_json()  # a step can still fail (a race): 503 stays documented
    assert '503' in document['paths']['/api/tasks/{task_id}/complete']['post']['responses']


def test_pages_refuse_out_of_range_ids_and_malformed_editor_bodies(app, api):
    case_id, radicado = register(app)
    from tests.support.web import demo_users
    demo_users()
    client = login(app.test_client(), 'dueno')
    big = '99999999999999999999'
    for path in (f'/casos/{radicado}/adjuntos/{big}', f'/procesos/pqrsf/v/{big}', f'/procesos/pqrsf/v/{big}.bpmn',
                 '/procesos/pqrsf/v/2147483648', f'/casos/{radicado}/diagrama/2147483648.bpmn'):
        assert client.get(path).status_code == 404, path
    headers = {'X-CSRFToken': csrf_token(client, '/procesos/')}
    for body in ([1], 'x', {'xml': '<a/>', 'file_name': 3}):
        for path in ('/procesos/validar', '/procesos/desplegar'):
            assert client.post(path, json=body, headers=headers).status_code == 422, (path, body)
    migrated = client.post('/procesos/pqrsf/v/1/migrar', data={'case_id': ['²', big]}, headers=headers)
    assert migrated.status_code == 302  # nothing asked for that exists: nothing moved


def test_a_form_whose_rules_have_the_wrong_type_is_refused_when_saved(app):
    from tests.support.web import demo_users
    demo_users()
    client = login(app.test_client(), 'dueno')
    token = csrf_token(client, '/procesos/')
    for rules in ('"x"', '{"minLength": "abc"}', '{"min": "abc"}', '{"min": 1e400}', '{"pattern": 5}',
                  '{"maxLength": -1}', '{"validationType": ["email"]}'):
        definition = '{"components": [{"type": "textfield", "key": "a", "validate": %s}]}' % rules
        saved = client.post('/procesos/formularios/prueba_tipos', data={'definition': definition, 'action': 'save',
                                                                'csrf_token': token})
        assert saved.status_code == 422 and 'componente 1 (a)' in saved.get_data(as_text=True), rules


def test_a_filing_whose_first_step_fails_answers_503_in_words_from_every_door(app, api):
    from app.cases.models import PqrsfCase
    flow.store_pqrsf_whose_start_fails()
    public = app.test_client()
    form = {k: ('on' if v is True else v) for k, v in CLIENT.items() if k != 'channel' and v is not False}
    page = public.post('/radicar', data={**form, 'csrf_token': csrf_token(public, '/radicar')})
    assert page.status_code == 503 and 'no se guardó nada' in page.get_data(as_text=True)
    assert '__class__' not in page.get_data(as_text=True)  # a client is not shown the diagram
    staff = login(app.test_client(), 'colaborador')
    form['channel'] = 'correo'
    page = staff.post('/casos/nuevo', data={**form, 'csrf_token': csrf_token(staff, '/casos/nuevo')})
    assert page.status_code == 503 and 'prepare_case' in page.get_data(as_text=True)
    body = _json_error(api.post('/api/cases', json={**CLIENT}, headers=basic('colaborador')), 503)
    assert "'.__class__'" in body['message']
    assert flow.read(lambda s: s.scalar(select(func.count()).select_from(PqrsfCase))) == 0
    document = api.get('/api/openapi.json').get_json()
    assert '503' in document['paths']['/api/cases']['post']['responses']
