"""The diagram linter's problems in the page's language: each sentence is a Spanish template
(`app.engine.words.Words`) with an English entry in the catalogue; the owners' validate and
deploy endpoints word them for the session's language, the CLI and `message` stay Spanish."""
import ast
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from app.engine.lint import Problem
from app.engine.words import N_, Words, joined, listed
from tests.support import flow
from tests.support.web import csrf_token, demo_users, login

ROOT = Path(__file__).resolve().parents[2]
CATALOG = ROOT / 'app' / 'translations' / 'en' / 'LC_MESSAGES' / 'messages.po'
# every module whose sentences reach a lint problem
LINT_MODULES = sorted((ROOT / 'app' / 'engine' / 'lint').glob('*.py')) + [ROOT / path for path in (
    'app/engine/words.py', 'app/engine/form_data.py', 'app/engine/cron.py', 'app/engine/business_timers.py',
    'app/engine/expressions.py', 'app/engine/feel.py', 'app/engine/juel.py', 'app/engine/sandbox/rules.py',
    'app/task_forms/store.py', 'app/task_forms/schema.py', 'app/task_forms/conditions.py',
    'app/task_forms/options.py', 'app/task_forms/rules.py', 'app/task_forms/user_fields.py',
    'handlers/emails.py', 'handlers/nonconformity.py')]
SLOT = re.compile(r'%\((\w+)\)s')
BROKEN = flow.DIAGRAMS / 'broken'


def lint_templates() -> set[str]:
    """The sentences the lint modules mark with N_('...')."""
    found = set()
    for path in LINT_MODULES:
        for node in ast.walk(ast.parse(path.read_text(encoding='utf-8'))):
            if isinstance(node, ast.Call) and getattr(node.func, 'id', None) == 'N_':
                assert isinstance(node.args[0], ast.Constant), f'{path.name}:{node.lineno}: N_ of a non-literal'
                found.add(node.args[0].value)
    return found


def test_every_lint_sentence_has_english_with_the_same_slots():
    templates = lint_templates()
    assert len(templates) > 100
    with CATALOG.open('rb') as po:
        catalog = read_po(po)
    missing = sorted(t for t in templates if not (catalog.get(t) and catalog.get(t).string))
    assert missing == []
    assert [t for t in templates if set(SLOT.findall(t)) != set(SLOT.findall(catalog.get(t).string))] == []


def test_words_fill_nested_pieces_and_keep_the_spanish_message():
    words = Words(N_('%(what)s necesita %(missing)s: el motor no lo puede ejecutar sin él.'),
                  what=Words(N_('El subproceso')),
                  missing=joined([Words(N_('un evento de inicio')), Words(N_('un evento de fin'))]))
    problem = Problem('a.bpmn', 3, 'sub', words)
    assert problem.message == 'El subproceso necesita un evento de inicio y un evento de fin: el motor no lo puede ejecutar sin él.'
    assert str(problem) == f'a.bpmn:3: sub: {problem.message}'
    assert problem.template == words.template and set(problem.params) == {'what', 'missing'}
    assert hash(problem) == hash(Problem('a.bpmn', 3, 'sub', words)) and problem == Problem('a.bpmn', 3, 'sub', words)
    assert str(listed([f'e{i}' for i in range(14)], 12)) == ', '.join(f'e{i}' for i in range(12)) + ' y 2 más'
    assert Problem('a.bpmn', None, None, 'texto tal cual').message == 'texto tal cual'


def _owner(app):
    demo_users()
    client = login(app.test_client(), 'dueno')
    return client, {'X-CSRFToken': csrf_token(client, '/procesos/')}


def _choose(client, lang):
    response = client.post('/idioma', data={'csrf_token': csrf_token(client, '/procesos/'), 'lang': lang,
                                            'next': '/procesos/'})
    assert response.status_code == 302


def _validate(client, headers, path):
    response = client.post('/procesos/validar', headers=headers,
                           json={'file_name': path.name, 'xml': path.read_text(encoding='utf-8')})
    assert response.status_code == 200
    return response.get_json()['problems']


def test_validate_words_the_problems_in_the_sessions_language(app):
    client, headers = _owner(app)
    dangling = BROKEN / 'dangling_flow.bpmn'
    spanish = _validate(client, headers, dangling)
    assert [p['message'] for p in spanish if p['element_id'] == 'f_cerrar_fin'] == [
        "La conexión apunta a 'fin_que_no_existe' (targetRef), que no existe en este proceso."]
    _choose(client, 'en')
    english = _validate(client, headers, dangling)
    assert [p['message'] for p in english if p['element_id'] == 'f_cerrar_fin'] == [
        "The connection points to 'fin_que_no_existe' (targetRef), which does not exist in this process."]
    assert [(p['element_id'], p['line'], p['severity']) for p in english] == [
        (p['element_id'], p['line'], p['severity']) for p in spanish]
    _choose(client, 'es')
    assert _validate(client, headers, dangling) == spanish


@pytest.mark.parametrize('name', sorted(p.name for p in BROKEN.glob('*.bpmn')))
def test_every_broken_sample_is_worded_in_english(app, name):
    """Each problem of each broken sample reads differently in English (its sentence is translated;
    only the values in it, such as lxml's or the sandbox's text, may stay as they are)."""
    client, headers = _owner(app)
    spanish = _validate(client, headers, BROKEN / name)
    _choose(client, 'en')
    english = _validate(client, headers, BROKEN / name)
    assert spanish and len(english) == len(spanish)
    assert [p['message'] for p in english if p['message'] in {s['message'] for s in spanish}] == []


def test_a_refused_deploy_is_worded_in_english_too(app):
    client, headers = _owner(app)
    _choose(client, 'en')
    path = BROKEN / 'unknown_topic.bpmn'
    refused = client.post('/procesos/desplegar', headers=headers,
                          json={'file_name': path.name, 'xml': path.read_text(encoding='utf-8')})
    assert refused.status_code == 422
    messages = [p['message'] for p in refused.get_json()['problems'] if p['severity'] == 'error']
    assert messages and all(m.startswith('There is no handler for the topic') for m in messages), messages
