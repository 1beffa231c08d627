"""Catastrophic patterns on the web: the form editor refuses to save or preview one, naming the
field; a form stored before the check still validates submissions in bounded time, answering 422
on the API and the form again with what was typed on the page."""
import base64
import json

from sqlalchemy import select

from app.accounts.demo import DEMO_PASSWORD
from app.engine.clock import clock
from app.task_forms.models import FormVersion
from tests.support import flow
from tests.support.web import demo_users, login, post_form

EDITOR = '/procesos/formularios/review'
NESTED = 'repite un grupo que ya se repite por dentro'
DEFINITION = {'id': 'review', 'components': [
    {'key': 'approved', 'label': '¿Aprobado?', 'type': 'checkbox'},
    {'key': 'comment', 'label': 'Comentario', 'type': 'textfield', 'validate': {'pattern': '^(a+)+$'}}]}


def test_the_editor_refuses_to_save_or_preview_it_naming_the_field(app):
    demo_users()
    client = login(app.test_client(), 'dueno')
    saved = post_form(client, EDITOR, {'definition': json.dumps(DEFINITION), 'action': 'save'})
    page = saved.get_data(as_text=True)
    assert saved.status_code == 422 and 'componente 2 (comment)' in page and NESTED in page
    assert 'a+)+$' in page  # the text stays in the editor
    assert flow.read(lambda s: s.scalars(select(FormVersion)).all()) == []
    preview = post_form(client, f'{EDITOR}/vista-previa', {'definition': json.dumps(DEFINITION)}, page=EDITOR)
    assert preview.status_code == 422 and NESTED in preview.get_data(as_text=True)


def _case_with_a_form_stored_earlier():
    flow.deploy('one_review.bpmn')  # a user task of the lider_proceso role with the form 'review'
    flow.db.session.add(FormVersion(key='review', version=1, definition=DEFINITION, saved_by='antes',
                                    saved_at=clock.now()))
    flow.db.session.commit()
    demo_users()
    case_id = flow.start('one_review')
    return case_id, flow.open_task(case_id, 'step').id


def test_a_submission_against_it_is_bounded_and_answers_422_on_the_api(app):
    case_id, task_id = _case_with_a_form_stored_earlier()
    auth = {'Authorization': 'Basic ' + base64.b64encode(f'lider:{DEMO_PASSWORD}'.encode()).decode()}
    response = app.test_client().post(f'/api/tasks/{task_id}/complete', headers=auth,
                                      json={'approved': True, 'comment': 'a' * 50_000 + '!'})
    assert response.status_code == 422
    assert response.get_json()['errors']['json'] == {'comment': ['El formato no es válido.']}
    assert flow.open_tasks(case_id) == ['step']  # nothing changed


def test_the_task_page_shows_the_error_with_what_was_typed(app):
    _case_id, task_id = _case_with_a_form_stored_earlier()
    client = login(app.test_client(), 'lider')
    response = post_form(client, f'/tareas/{task_id}', {'approved': 'true', 'comment': 'aaaa!'})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and 'El formato no es válido.' in page and 'value="aaaa!"' in page


def test_an_english_owner_reads_why_the_form_was_refused_in_english(app):
    from tests.web.test_language import choose
    demo_users()
    client = login(app.test_client(), 'dueno')
    choose(client, 'en', on=EDITOR)
    bad = {**DEFINITION, 'components': [*DEFINITION['components'][:1],
                                        {'key': 'size', 'label': 'Tamaño', 'type': 'number', 'validate': {'min': 'x'}}]}
    saved = post_form(client, EDITOR, {'definition': json.dumps(bad), 'action': 'save'})
    page = saved.get_data(as_text=True)
    assert saved.status_code == 422
    assert "Form &#39;review&#39;, component 2 (size): &#39;min&#39; must be a number." in page
    assert 'debe ser un número' not in page and 'componente 2' not in page
    broken = post_form(client, EDITOR, {'definition': '{"components": [', 'action': 'save'})
    assert broken.status_code == 422 and 'Not valid JSON' in broken.get_data(as_text=True)
