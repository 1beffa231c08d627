"""Staff and client pages through the Flask test client (the browser tests drive Chromium)."""
import re

from sqlalchemy import select

from app.engine.models import HumanTask
from tests.support import flow
from tests.support.pqrsf import CLIENT
from tests.support.web import csrf_token, login, post_form

PUBLIC_FORM = {k: v for k, v in CLIENT.items() if k != 'channel'}


def _public_intake(client, **changes):
    data = {**PUBLIC_FORM, **changes, 'data_consent': 'on'}
    data = {k: ('on' if v is True else v) for k, v in data.items() if v is not False}
    return post_form(client, '/radicar', data)


def test_pages_need_a_login_and_forms_need_a_csrf_token(site):
    client = site.test_client()
    assert client.get('/tareas/').status_code == 302
    assert client.post('/radicar', data=PUBLIC_FORM).status_code == 400  # no CSRF token
    assert client.get('/radicar').status_code == 200  # public


def test_public_intake_gives_a_radicado_and_a_code_that_follow_the_case(site):
    client = site.test_client()
    response = _public_intake(client)
    body = response.get_data(as_text=True)
    assert response.status_code == 201, body[:2000]
    radicado = re.search(r'id="radicado">([^<]+)<', body).group(1)
    code = re.search(r'id="code">([^<]+)<', body).group(1)
    flow.work(site)
    wrong = post_form(client, '/seguimiento', {'radicado': radicado, 'code': 'XXXXXXXX'})
    assert wrong.status_code == 404
    status = post_form(client, '/seguimiento', {'radicado': radicado, 'code': code})
    text = status.get_data(as_text=True)
    assert status.status_code == 200 and 'En trámite' in text and 'Recibimos su solicitud.' in text
    assert 'marta@example.com' not in text  # no personal data on the public page


def test_invalid_public_intake_keeps_what_was_typed(site):
    client = site.test_client()
    response = _public_intake(client, client_email='no-es-correo', description='Corta')
    text = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'Escriba un correo electrónico válido.' in text
    assert 'value="no-es-correo"' in text and 'Marta Gómez' in text


def test_attachment_type_and_size_are_checked(site):
    import io
    client = site.test_client()
    data = {**{k: ('on' if v is True else v) for k, v in PUBLIC_FORM.items() if v is not False},
            'attachments': (io.BytesIO(b'MZ...'), 'virus.exe')}
    response = post_form(client, '/radicar', data, content_type='multipart/form-data')
    assert response.status_code == 422 and 'virus.exe: tipo no permitido' in response.get_data(as_text=True)


def test_agent_sees_the_task_gets_errors_then_completes_it(site):
    client = site.test_client()
    _public_intake(client)
    flow.work(site)
    login(client, 'lider')
    listing = client.get('/tareas/?scope=groups').get_data(as_text=True)
    assert 'Clasificar y evaluar' in listing and 'días hábiles restantes' in listing
    task_id = flow.read(lambda s: s.scalars(select(HumanTask.id).where(HumanTask.element_id == 'classify')).one())
    bad = post_form(client, f'/tareas/{task_id}', {'case_type': 'Q', 'severity': 'media'})
    assert bad.status_code == 422 and 'Este campo es obligatorio.' in bad.get_data(as_text=True)
    good = post_form(client, f'/tareas/{task_id}', {
        'case_type': 'Q', 'severity': 'media', 'impact': 'individual', 'motive': 'disculpa',
        'investigation_level': 'intermedio', 'responsible_area': 'operaciones'})
    assert good.status_code == 302
    assert flow.read(lambda s: s.get(HumanTask, task_id).completed_by) == 'lider'
    # the case's next task is the lider's too: straight to its form, saying so
    following = flow.read(lambda s: s.scalars(select(HumanTask.id).where(
        HumanTask.element_id == 'register_opportunity')).one())
    assert good.headers['Location'].endswith(f'/tareas/{following}')
    page = client.get(good.headers['Location']).get_data(as_text=True)
    assert 'Sigue «Registrar oportunidad de mejora (GI-FT-03)» del mismo caso.' in page
    done = post_form(client, f'/tareas/{following}', {
        'affected_process': 'Transporte', 'om_kind': 'mejora', 'om_description': 'Retrasos sin aviso.'})
    assert done.headers['Location'].endswith(flow.read(lambda s: '/tareas/' + s.scalars(select(HumanTask.id).where(
        HumanTask.element_id == 'analyse_causes')).one()))
    again = post_form(client, f'/tareas/{task_id}', {'case_type': 'Q'}, page='/tareas/')
    assert again.status_code == 302  # completed: back to the list with a message, nothing applied


def test_other_roles_get_403_on_the_task(site):
    client = site.test_client()
    _public_intake(client)
    flow.work(site)
    task_id = flow.read(lambda s: s.scalars(select(HumanTask.id).where(HumanTask.element_id == 'classify')).one())
    login(client, 'rrhh')
    assert client.get(f'/tareas/{task_id}').status_code == 403
    token = csrf_token(client, '/tareas/')
    assert client.post(f'/tareas/{task_id}', data={'csrf_token': token, 'case_type': 'Q'}).status_code == 403
    assert client.post(f'/tareas/{task_id}/reclamar', data={'csrf_token': token}).status_code == 403
    assert client.post(f'/tareas/{task_id}/reasignar', data={'csrf_token': token, 'assignee': 'rrhh'}).status_code == 403


def test_case_page_shows_data_history_and_emails_masking_contact_data_for_auditors(site):
    client = site.test_client()
    _public_intake(client)
    flow.work(site)
    from app.cases.models import PqrsfCase
    radicado = flow.read(lambda s: s.scalars(select(PqrsfCase.radicado)).one())
    login(client, 'lider')
    page = client.get(f'/casos/{radicado}').get_data(as_text=True)
    assert 'marta@example.com' in page and 'El contenedor llegó' in page and 'Recibimos su solicitud' in page
    client.post('/salir', data={'csrf_token': csrf_token(client, '/tareas/')})
    login(client, 'auditor')
    page = client.get(f'/casos/{radicado}').get_data(as_text=True)
    assert 'marta@example.com' not in page and 'm***@example.com' in page
    assert 'El contenedor llegó' in page  # the client's own words stay visible


def test_case_history_can_be_filtered(site):
    client = site.test_client()
    _public_intake(client)
    flow.work(site)
    from app.cases.models import PqrsfCase
    radicado = flow.read(lambda s: s.scalars(select(PqrsfCase.radicado)).one())
    login(client, 'auditor')
    everything = client.get(f'/casos/{radicado}').get_data(as_text=True)
    assert 'service_completed' in everything and 'task_created' in everything
    services = client.get(f'/casos/{radicado}?tipo=servicios').get_data(as_text=True)
    history = services[services.index('id="historia"'):]
    assert 'service_completed' in history and 'task_created' not in history
    by_actor = client.get(f'/casos/{radicado}?actor=cliente').get_data(as_text=True)
    assert 'case_started' in by_actor[by_actor.index('id="historia"'):]


def test_every_page_names_its_icon_and_the_browsers_default_address_finds_it(site):
    client = site.test_client()
    page = client.get('/radicar').get_data(as_text=True)
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in page
    moved = client.get('/favicon.ico')
    assert moved.status_code == 301 and moved.headers['Location'].endswith('/static/favicon.svg')
    icon = client.get('/static/favicon.svg')
    assert icon.status_code == 200 and icon.mimetype == 'image/svg+xml' and b'<svg' in icon.data
