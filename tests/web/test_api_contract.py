"""The OpenAPI document as a contract: request bodies generated from the form files, every
error declared per operation, and the assignment actions the web has (release, reassign)."""
import json
import shutil

from app import create_app
from app.task_forms.openapi import object_schema
from app.task_forms.schema import INPUT_TYPES, parse_submission
from app.cases.intake import FORM_KEY
from tests.support import flow
from tests.support.pqrsf import register
from tests.support.web import basic

FORMS = flow.ROOT / 'forms'


def _document(client):
    return client.get('/api/openapi.json').get_json()


def test_intake_and_answer_bodies_are_the_form_files_fields(api):
    document = _document(api)
    schemas = document['components']['schemas']
    definition = json.loads((FORMS / f'{FORM_KEY}.json').read_text(encoding='utf-8'))
    intake = schemas['Registro']
    keys = [c['key'] for c in definition['components'] if c['type'] in INPUT_TYPES]
    assert list(intake['properties']) == keys
    assert set(intake['required']) == {c['key'] for c in definition['components']  # a hidden field may be left out
                                       if (c.get('validate') or {}).get('required') and not c.get('conditional')}
    assert intake['properties']['case_type']['enum'] == ['P', 'Q', 'R', 'S', 'F']
    assert intake['properties']['client_id_document']['pattern'] == '^[0-9A-Za-z.\\-]{4,20}$'
    assert intake['properties']['data_consent'] == {**intake['properties']['data_consent'],
                                                    'type': 'boolean', 'enum': [True]}
    assert schemas['RespuestaCliente']['properties']['decision']['enum'] == ['accept', 'reject']
    body = document['paths']['/api/cases']['post']['requestBody']
    assert body['content']['application/json']['schema'] == {'$ref': '#/components/schemas/Registro'}
    complete = document['paths']['/api/tasks/{task_id}/complete']['post']['requestBody']
    assert 'GET /api/tasks/{task_id}' in complete['description'] and '`form`' in complete['description']


def test_the_document_follows_the_form_file_it_was_started_with(app, tmp_path, monkeypatch):
    forms = tmp_path / 'forms'
    shutil.copytree(FORMS, forms)
    definition = json.loads((forms / f'{FORM_KEY}.json').read_text(encoding='utf-8'))
    definition['components'].append({'type': 'number', 'key': 'containers', 'label': 'Contenedores',
                                     'validate': {'required': True, 'min': 1, 'max': 40}})
    (forms / f'{FORM_KEY}.json').write_text(json.dumps(definition), encoding='utf-8')
    monkeypatch.setenv('PQRSF_FORMS_DIRS', str(forms))
    other = create_app()
    schema = _document(other.test_client())['components']['schemas']['Registro']
    assert schema['properties']['containers'] == {'type': 'number', 'minimum': 1, 'maximum': 40,
                                                  'title': 'Contenedores'}
    assert 'containers' in schema['required']


def test_a_value_the_schema_allows_for_each_input_type_is_accepted_by_the_form():
    components = [
        {'type': 'textfield', 'key': 'name', 'validate': {'required': True, 'minLength': 2, 'pattern': '^[a-z]+$'}},
        {'type': 'textarea', 'key': 'notes', 'validate': {'maxLength': 10}},
        {'type': 'textfield', 'key': 'mail', 'validate': {'validationType': 'email'}},
        {'type': 'number', 'key': 'n', 'validate': {'min': 0, 'max': 5}},
        {'type': 'checkbox', 'key': 'ok', 'validate': {'required': True}},
        {'type': 'radio', 'key': 'flag', 'values': [{'label': 'Sí', 'value': True}, {'label': 'No', 'value': False}]},
        {'type': 'select', 'key': 'kind', 'values': [{'label': 'A', 'value': 'a'}]},
        {'type': 'datetime', 'key': 'day', 'subtype': 'date'},
        {'type': 'dynamiclist', 'path': 'rows', 'validate': {'minItems': 1},
         'components': [{'type': 'textfield', 'key': 'what', 'validate': {'required': True}}]},
        {'type': 'text', 'text': 'display only'},
    ]
    schema = object_schema(components)
    assert {c['type'] for c in components} - {'text'} == INPUT_TYPES
    assert list(schema['properties']) == ['name', 'notes', 'mail', 'n', 'ok',
                                          'flag', 'kind', 'day', 'rows']
    assert schema['properties']['flag'] == {'enum': [True, False], 'type': 'boolean'}
    assert schema['properties']['rows']['items']['required'] == ['what']
    sample = {'name': 'ab', 'notes': 'corto', 'mail': 'a@example.com', 'n': 5, 'ok': True, 'flag': False,
              'kind': 'a', 'day': '2026-12-01', 'rows': [{'what': 'x'}]}
    data, errors = parse_submission({'id': 'sample', 'components': components}, sample)
    assert errors == {} and data == sample


def test_every_operation_declares_its_errors_with_the_error_body(api):
    document = _document(api)
    for path, operations in document['paths'].items():
        for method, operation in operations.items():
            if method == 'parameters':
                continue
            codes = set(operation['responses'])
            assert {'401', '429'} <= codes and 'default' not in codes, (method, path)
            if 'requestBody' in operation:
                assert {'400', '422'} <= codes, (method, path)
            for code in codes - {'200', '201'}:
                content = operation['responses'][code]['content']['application/json']['schema']
                assert content == {'$ref': '#/components/schemas/ErrorOut'}, (method, path, code)
    for path in ('/api/cases/{radicado}', '/api/tasks/{task_id}', '/api/tasks/{task_id}/claim'):
        method = 'get' if 'claim' not in path else 'post'
        assert '404' in document['paths'][path][method]['responses'], path
    assert '503' in document['paths']['/api/tasks/{task_id}/complete']['post']['responses']


def test_release_and_reassign_through_the_api(app, api):
    case_id, radicado = register(app)
    [task] = api.get('/api/tasks', headers=basic('lider')).get_json()['tasks']
    path = f"/api/tasks/{task['id']}"
    assert api.post(f'{path}/release', headers=basic('lider')).status_code == 403  # nobody holds it (as on the web)
    assert api.post(f'{path}/claim', headers=basic('lider')).get_json()['assignee'] == 'lider'
    assert api.post(f'{path}/reassign', json={'assignee': 'auditor'}, headers=basic('auditor')).status_code == 403
    ineligible = api.post(f'{path}/reassign', json={'assignee': 'auditor'}, headers=basic('lider'))
    assert ineligible.status_code == 403 and 'no puede trabajar' in ineligible.get_json()['message']
    unknown = api.post(f'{path}/reassign', json={'assignee': 'nadie'}, headers=basic('lider'))
    assert unknown.status_code == 422 and list(unknown.get_json()['errors']['json']) == ['assignee']
    missing = api.post(f'{path}/reassign', json={}, headers=basic('lider'))
    assert missing.status_code == 422 and 'assignee' in missing.get_json()['errors']['json']
    released = api.post(f'{path}/release', headers=basic('lider'))
    assert released.status_code == 200 and released.get_json()['assignee'] is None
    assert api.post('/api/tasks/no-such-task/release', headers=basic('lider')).status_code == 404
    kinds = [e['kind'] for e in api.get(f'/api/cases/{radicado}/events', headers=basic('lider')).get_json()]
    assert kinds.count('task_claimed') == 1 and kinds.count('task_released') == 1
