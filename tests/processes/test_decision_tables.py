"""Decision tables on the owners' pages: listed with their versions and the processes that use
them, downloaded, edited, validated and deployed through the same endpoints as diagrams."""
from sqlalchemy import select

from app.engine.models import DecisionVersion, ProcessVersion
from tests.support import flow
from tests.support.web import csrf_token, demo_users, login

PRIORITY = (flow.DIAGRAMS / 'dmn' / 'priority.dmn').read_text(encoding='utf-8')


def _owner(app):
    flow.deploy('dmn/triage.bpmn', 'dmn/priority.dmn')
    demo_users()
    client = login(app.test_client(), 'dueno')
    return client, {'X-CSRFToken': csrf_token(client, '/procesos/')}


def test_the_list_shows_each_table_its_versions_users_and_an_edit_link(app):
    client, _ = _owner(app)
    page = client.get('/procesos/').get_data(as_text=True)
    assert 'Prioridad de la solicitud' in page and '<code>priority</code>' in page
    assert '/procesos/tablas/priority/editar' in page and '/procesos/tablas/priority/v/1.dmn' in page
    assert 'triage v1' in page  # the process version that uses it


def test_download_and_editor_pages(app):
    client, _ = _owner(app)
    download = client.get('/procesos/tablas/priority/v/1.dmn')
    assert download.status_code == 200 and download.get_data(as_text=True) == PRIORITY
    editor = client.get('/procesos/tablas/priority/editar').get_data(as_text=True)
    assert 'data-xml-url="/procesos/tablas/priority/v/1.dmn"' in editor and 'build/dmn-editor.js' in editor
    assert client.get('/procesos/tablas/nueva').status_code == 200
    assert client.get('/procesos/tablas/nope/editar').status_code == 404
    assert client.get('/procesos/tablas/priority/v/9.dmn').status_code == 404


def test_only_owners_edit_tables(app):
    flow.deploy('dmn/triage.bpmn', 'dmn/priority.dmn')
    demo_users()
    client = login(app.test_client(), 'lider')
    assert client.get('/procesos/tablas/priority/editar').status_code == 403


def test_validate_names_the_cell_and_deploy_refuses_it_storing_nothing(app):
    client, headers = _owner(app)
    broken = PRIORITY.replace('<text>[3..10]</text>', '<text>[3..10</text>')
    problems = client.post('/procesos/validar', json={'file_name': 'priority.dmn', 'xml': broken},
                           headers=headers).get_json()['problems']
    assert [(p['element_id'], p['line']) for p in problems] == [('rule_mid', 26)]
    assert "regla 2, columna de entrada 'Días'" in problems[0]['message']
    refused = client.post('/procesos/desplegar', json={'file_name': 'priority.dmn', 'xml': broken},
                          headers=headers)
    assert refused.status_code == 422
    assert flow.read(lambda s: s.scalars(select(DecisionVersion.version)).all()) == [1]


def test_deploying_an_edited_table_stores_it_and_a_new_version_of_its_process(app):
    client, headers = _owner(app)
    edited = PRIORITY.replace('<text>"media"</text>', '<text>"alta"</text>')
    result = client.post('/procesos/desplegar', json={'file_name': 'priority.dmn', 'xml': edited},
                         headers=headers).get_json()
    assert result['deployed'] == [
        {'process_id': 'priority', 'version': 2, 'created': True, 'kind': 'decision'},
        {'process_id': 'triage', 'version': 2, 'created': True, 'kind': 'process'}]
    assert result['diff'] == {'added': [], 'removed': [], 'changed': []}
    pins = flow.read(lambda s: [v.decision_versions for v in s.scalars(
        select(ProcessVersion).order_by(ProcessVersion.version))])
    assert pins[0] != pins[1]
    case_id = flow.start('triage', {'kind': 'peticion', 'days': 5})
    assert flow.open_tasks(case_id) == ['urgent_review']


def test_export_writes_the_newest_table_beside_the_diagrams(app, tmp_path):
    from app.processes.exporting import export_current
    client, headers = _owner(app)
    edited = PRIORITY.replace('<text>"media"</text>', '<text>"alta"</text>')
    client.post('/procesos/desplegar', json={'file_name': 'priority.dmn', 'xml': edited}, headers=headers)
    written = export_current(str(tmp_path / 'p'), str(tmp_path / 'f'))
    assert {p.rsplit('/', 1)[-1] for p in written} == {'triage.bpmn', 'priority.dmn'}
    assert (tmp_path / 'p' / 'priority.dmn').read_text(encoding='utf-8') == edited
