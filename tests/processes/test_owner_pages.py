"""The process owners' area on the server: versions, download, validate, deploy, migrate."""
import re

from sqlalchemy import select

from app.engine.models import Case, ProcessVersion
from tests.support import flow
from tests.support.web import csrf_token, demo_users, login, post_form

TOUR = (flow.DIAGRAMS / 'engine_tour.bpmn').read_text(encoding='utf-8')


def _owner(app):
    flow.deploy('engine_tour.bpmn', 'engine_tour_sub.bpmn')
    demo_users()
    client = login(app.test_client(), 'dueno')
    return client, {'X-CSRFToken': csrf_token(client, '/procesos/')}


def test_only_owners_see_the_processes_area(app):
    demo_users()
    client = login(app.test_client(), 'lider')
    assert client.get('/procesos/').status_code == 403
    assert client.post('/procesos/desplegar', json={'xml': TOUR},
                       headers={'X-CSRFToken': csrf_token(client, '/tareas/')}).status_code == 403


def test_versions_list_view_and_download(app):
    client, _ = _owner(app)
    page = client.get('/procesos/').get_data(as_text=True)
    assert 'engine_tour' in page and 'v1' in page
    assert client.get('/procesos/engine_tour/v/1').status_code == 200
    download = client.get('/procesos/engine_tour/v/1.bpmn')
    assert download.status_code == 200 and download.get_data(as_text=True) == TOUR
    assert client.get('/procesos/catalogo').get_json()['topics'] == sorted(
        ['email.render', 'email.send', 'nonconformity.record', 'nonconformity.treat', 'note', 'test.flaky',
         'test.record', 'test.slow'])


def test_validate_points_at_elements_and_deploy_refuses_broken_diagrams(app):
    client, headers = _owner(app)
    broken = TOUR.replace('camunda:topic="test.record">', 'camunda:topic="no.such">', 1).replace(
        '${approved == True}', '${approved ==}')
    problems = client.post('/procesos/validar', json={'file_name': 'engine_tour.bpmn', 'xml': broken},
                           headers=headers).get_json()['problems']
    problems = [p for p in problems if p['severity'] == 'error']  # not the warnings of texts lacking English
    assert {p['element_id'] for p in problems} == {'send_reminder', 'f_approved'}
    assert all(isinstance(p['line'], int) for p in problems)
    refused = client.post('/procesos/desplegar', json={'file_name': 'engine_tour.bpmn', 'xml': broken}, headers=headers)
    assert refused.status_code == 422 and len([p for p in refused.get_json()['problems'] if p['severity'] == 'error']) == 2
    assert flow.read(lambda s: s.scalars(select(ProcessVersion.version).where(
        ProcessVersion.process_id == 'engine_tour')).all()) == [1]
    assert client.post('/procesos/validar', json={'xml': TOUR}).status_code == 400  # no CSRF token


def test_deploy_reports_the_new_version_and_its_differences(app):
    client, headers = _owner(app)
    edited = TOUR.replace('PT2H', 'PT3H')
    result = client.post('/procesos/desplegar', json={'file_name': 'engine_tour.bpmn', 'xml': edited},
                         headers=headers).get_json()
    assert result['deployed'] == [{'process_id': 'engine_tour', 'version': 2, 'created': True, 'kind': 'process'}]
    assert result['diff'] == {'added': [], 'removed': [], 'changed': ['cooldown']}


def test_running_cases_are_migrated_from_the_version_page(app):
    client, headers = _owner(app)
    safe_case = flow.start('engine_tour', {'deadline_days': 3})
    client.post('/procesos/desplegar', json={'file_name': 'engine_tour.bpmn', 'xml': TOUR.replace('PT2H', 'PT3H')},
                headers=headers)
    page = client.get('/procesos/engine_tour/v/1').get_data(as_text=True)
    assert 'cooldown' in page and 'Migrar a la versión 2' in page
    response = post_form(client, '/procesos/engine_tour/v/1/migrar', {'case_id': str(safe_case)},
                         page='/procesos/engine_tour/v/1', follow_redirects=True)
    assert re.search(r'1 caso\(s\) migrado\(s\) a la versión 2', response.get_data(as_text=True))
    assert flow.read(lambda s: s.get(ProcessVersion, s.get(Case, safe_case).version_id).version) == 2


def test_forms_are_edited_previewed_validated_and_exported(app, tmp_path):
    import json
    import os
    import subprocess
    import sys
    client, _ = _owner(app)
    page = client.get('/procesos/formularios/review').get_data(as_text=True)
    assert '¿Aprobado?' in page  # preview rendered by the server
    definition = json.loads((flow.ROOT / 'tests' / 'forms' / 'review.json').read_text(encoding='utf-8'))
    definition['components'].append({'type': 'textfield', 'key': 'reference', 'label': 'Referencia interna',
                                     'validate': {'required': True}})
    broken = post_form(client, '/procesos/formularios/review', {'definition': '{"components": [', 'action': 'save'})
    assert broken.status_code == 422 and 'No es JSON válido' in broken.get_data(as_text=True)
    preview = post_form(client, '/procesos/formularios/review/vista-previa', {'definition': json.dumps(definition)},
                        page='/procesos/formularios/review')
    assert 'Referencia interna' in preview.get_data(as_text=True)
    saved = post_form(client, '/procesos/formularios/review', {'definition': json.dumps(definition), 'action': 'save'})
    assert saved.status_code == 302
    from app.task_forms.store import load_form
    assert load_form('review')['components'][-1]['key'] == 'reference'  # staff now get the new field
    flow.db.session.rollback()  # end the read before another process writes (SQLite)
    env = dict(os.environ, PYTHONPATH=str(flow.ROOT))
    result = subprocess.run([sys.executable, '-m', 'app.cli', 'export', '--processes', str(tmp_path / 'p'),
                             '--forms', str(tmp_path / 'f')], cwd=flow.ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / 'p' / 'engine_tour.bpmn').read_text(encoding='utf-8') == TOUR
    assert json.loads((tmp_path / 'f' / 'review.json').read_text(encoding='utf-8')) == definition
