"""Spanish first, English on request: the language switch in the page header (POST /idioma) and
the English catalog (app/translations/en, compiled by `make setup`)."""
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from app.accounts.demo import DEMO_PASSWORD
from tests.support import flow
from tests.support.pqrsf import CLIENT
from tests.support.web import csrf_token, login, post_form

CATALOG = Path(__file__).resolve().parents[2] / 'app' / 'translations' / 'en' / 'LC_MESSAGES'
PUBLIC_FORM = {k: ('on' if v is True else v) for k, v in CLIENT.items() if k != 'channel' and v is not False}


@pytest.fixture(autouse=True)
def _compiled_catalog():
    po, mo = CATALOG / 'messages.po', CATALOG / 'messages.mo'
    assert mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime, \
        'messages.mo is missing or older than messages.po: run `make setup` (pybabel compile)'


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.get_data(as_text=True)


def html_lang(text):
    return re.search(r'<html lang="([^"]*)">', text).group(1)


def choose(client, lang, on='/radicar'):
    """Press the language button of a page, as a browser does: the page's token, back to the page."""
    response = client.post('/idioma', data={'csrf_token': csrf_token(client, on), 'lang': lang, 'next': on})
    assert response.status_code == 302 and response.headers['Location'] == on
    return response


def test_the_catalog_is_where_flask_babel_looks(app):
    from flask_babel import get_babel
    assert str(CATALOG.parents[1]) in get_babel(app).translation_directories


def test_public_page_is_spanish_by_default_english_on_request_and_back(app):
    client = app.test_client()
    spanish = page(client, '/radicar')
    assert html_lang(spanish) == 'es'
    assert '>Enviar</button>' in spanish and 'Radicar una PQRSF' in spanish and 'Consultar mi caso' in spanish
    assert '>English</button>' in spanish

    choose(client, 'en')
    english = page(client, '/radicar')
    assert html_lang(english) == 'en'
    assert '>Send</button>' in english and '>Enviar</button>' not in english
    assert 'File a PQRSF' in english and 'Radicar una PQRSF' not in english
    assert 'Requests, complaints, claims, suggestions and compliments' in english
    assert 'Check my case' in english and 'Attachments (optional)' in english
    assert '>Español</button>' in english
    assert 'Case number' in page(client, '/seguimiento')  # the choice stays for the session

    choose(client, 'es')
    again = page(client, '/radicar')
    assert html_lang(again) == 'es' and '>Enviar</button>' in again and 'File a PQRSF' not in again


def test_an_unknown_language_keeps_the_current_one(app):
    client = app.test_client()
    choose(client, 'en')
    choose(client, 'fr')
    assert html_lang(page(client, '/radicar')) == 'en'


def test_staff_pages_in_english(site):
    client = site.test_client()
    created = post_form(client, '/radicar', {**PUBLIC_FORM, 'data_consent': 'on'})
    assert created.status_code == 201, created.get_data(as_text=True)[:2000]
    flow.work(site)
    login(client, 'lider', DEMO_PASSWORD)
    choose(client, 'en', on='/tareas/')

    tasks = page(client, '/tareas/?scope=groups')
    assert html_lang(tasks) == 'en'
    for label in ('>Tasks</a>', '>Register a case</a>', '>Cases</a>', '>Sign out</button>', 'Pending tasks'):
        assert label in tasks, label
    for label in ('>Tareas</a>', '>Registrar caso</a>', '>Casos</a>', '>Salir</button>', 'Tareas pendientes'):
        assert label not in tasks, label
    assert 'business days left' in tasks and 'On time' in tasks and '>Complaint</option>' in tasks

    from app.cases.models import PqrsfCase
    radicado = flow.read(lambda s: s.scalars(select(PqrsfCase.radicado)).one())
    case = page(client, f'/casos/{radicado}')
    assert 'Complaint' in case and 'In progress' in case and '<dt>Customer</dt>' in case
    assert 'Next step' in case and 'Siguiente paso' not in case and 'Full history' in case
    assert 'Task created' in case and 'task_created' not in case.replace('data-kind="task_created"', '')


@pytest.mark.parametrize('target', ['https://evil.example/x', '//evil.example/x', '/\\evil.example/x',
                                    'javascript:alert(1)', '/\t/evil.example/x'])
def test_the_language_switch_only_redirects_within_the_site(app, target):
    client = app.test_client()
    response = client.post('/idioma', data={'csrf_token': csrf_token(client, '/radicar'), 'lang': 'en',
                                            'next': target})
    assert response.status_code == 302
    location = response.headers['Location']
    parts = urlsplit(location)
    assert not parts.scheme and not parts.netloc, location
    assert location.startswith('/') and not location.startswith(('//', '/\\')), location
    assert html_lang(page(client, '/radicar')) == 'en'  # the choice itself is still applied


def test_engine_errors_are_worded_in_the_persons_language(app):
    from babel.messages.pofile import read_po
    from flask_babel import force_locale

    from app.engine.errors import MESSAGES, Conflict
    from app.platform.i18n import describe
    with (CATALOG / 'messages.po').open('rb') as po:
        catalog = read_po(po)
    assert [t for t in MESSAGES.values() if not (catalog.get(t) and catalog.get(t).string)] == []

    refused = Conflict('task_assigned_to', task_id='t1', assignee='ana')
    assert (refused.code, refused.params['assignee']) == ('task_assigned_to', 'ana')
    with app.test_request_context():
        assert describe(refused) == refused.message == 'La tarea ya está asignada a ana.'
        with force_locale('en'):
            assert describe(refused) == 'The task is already assigned to ana.'


def test_owners_texts_in_english_on_english_pages(site):
    """An element's `name_en` and a form's `label_en` show on English pages (task list, task
    page, case history), the Spanish on Spanish ones; a form error names its field in English."""
    from app.engine.models import Event, HumanTask
    client = site.test_client()
    assert post_form(client, '/radicar', {**PUBLIC_FORM, 'data_consent': 'on'}).status_code == 201
    flow.work(site)
    task_id, name, names = flow.read(lambda s: s.execute(select(HumanTask.id, HumanTask.name, HumanTask.names)
                                                        .where(HumanTask.state == 'open')).first())
    assert (name, names) == ('Clasificar y evaluar', {'en': 'Classify and assess', 'lane': {'en': 'Process leader'}})
    assert flow.read(lambda s: s.scalar(select(Event.element_names).where(
        Event.kind == 'task_created', Event.task_id == task_id))) == {'en': 'Classify and assess'}
    login(client, 'lider', DEMO_PASSWORD)
    assert 'Clasificar y evaluar' in page(client, '/tareas/?scope=groups')
    choose(client, 'en', on='/tareas/')
    listed = page(client, '/tareas/?scope=groups')
    assert 'Classify and assess' in listed and 'Clasificar y evaluar' not in listed
    assert 'Process leader' in listed and 'Líder del proceso' not in listed  # the lane
    shown = page(client, f'/tareas/{task_id}')
    assert '<h1>Classify and assess</h1>' in shown and 'Confirmed type' in shown and 'Tipo confirmado' not in shown
    assert '>Complaint</label>' in shown or 'Complaint' in shown
    refused = client.post(f'/tareas/{task_id}', data={'csrf_token': csrf_token(client, f'/tareas/{task_id}')})
    text = refused.get_data(as_text=True)
    assert refused.status_code in (200, 422) and 'This field is required.' in text
    assert 'Este campo es obligatorio.' not in text and 'Confirmed type' in text
