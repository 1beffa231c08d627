"""The admin manages the areas: list, create, rename, deactivate, add and remove members (for one
branch or all). Only the admin; every form carries its CSRF token; bad input gets 422 with the
field named and marked, never a 500; the pages speak English on request; `pqrsf users area`
creates one from the command line; the demo has the five areas with the demo líder in each."""
import re

from sqlalchemy import select

from app.accounts.areas import area_options
from app.accounts.demo import DEMO_AREAS
from app.accounts.models import Area, AreaMember
from app.platform.extensions import db
from tests.support import flow
from tests.support.cli import pqrsf
from tests.support.web import csrf_token, demo_users, login, post_form


def _members(code):
    return flow.read(lambda s: sorted((m.username, m.branch or '') for m in s.scalars(
        select(AreaMember).where(AreaMember.area_code == code))))


def _error_of(page, field):
    """The error text shown next to `field`, which the control points at."""
    assert re.search(rf'id="{field}"[^>]*aria-invalid="true" aria-describedby="{field}-error"', page), page[-3000:]
    return re.search(rf'<p class="field-error" id="{field}-error">([^<]+)</p>', page).group(1)


def test_only_the_admin_manages_areas(app):
    demo_users()
    assert app.test_client().get('/areas/').status_code == 302  # sign in first
    for username in ('lider', 'dueno', 'auditor', 'colaborador'):
        client = login(app.test_client(), username)
        assert client.get('/areas/').status_code == 403, username
        assert client.get('/areas/calidad').status_code == 403, username
        token = csrf_token(client, '/tareas/')
        assert client.post('/areas/', data={'code': 'x1', 'name': 'X', 'csrf_token': token}).status_code == 403
        assert client.post('/areas/calidad/miembros', data={'username': username, 'csrf_token': token}).status_code == 403
        assert 'href="/areas/"' not in client.get('/tareas/').get_data(as_text=True)
    assert flow.read(lambda s: s.get(Area, 'x1')) is None and _members('calidad') == [('lider', '')]
    admin = login(app.test_client(), 'admin')
    assert 'href="/areas/"' in admin.get('/tareas/').get_data(as_text=True)
    # without the form's token nothing happens
    assert admin.post('/areas/', data={'code': 'sin_token', 'name': 'Sin token'}).status_code == 400
    assert flow.read(lambda s: s.get(Area, 'sin_token')) is None


def test_create_rename_and_deactivate_an_area_with_errors_in_words(app):
    demo_users()
    admin = login(app.test_client(), 'admin')
    listing = admin.get('/areas/').get_data(as_text=True)
    assert all(name in listing for _code, name in DEMO_AREAS)

    for data, field, words in (({'code': 'Mal Código', 'name': 'Algo'}, 'code', 'código del área'),
                               ({'code': 'calidad', 'name': 'Otra'}, 'code', 'Ya existe'),
                               ({'code': 'cartera', 'name': '   '}, 'name', 'nombre del área'),
                               ({'code': 'cartera', 'name': 'x' * 121}, 'name', 'como máximo 120'),
                               ({'code': ['a', 'b'], 'name': 'Lista'}, 'code', 'código del área')):
        answer = post_form(admin, '/areas/', data)
        page = answer.get_data(as_text=True)
        assert answer.status_code == 422 and words in _error_of(page, field), (data, page[-2000:])
    assert flow.read(lambda s: s.get(Area, 'cartera')) is None

    created = post_form(admin, '/areas/', {'code': 'Cartera ', 'name': ' Cartera y cobros '})
    assert created.status_code == 302 and created.headers['Location'].endswith('/areas/cartera')
    assert flow.read(lambda s: (s.get(Area, 'cartera').name, s.get(Area, 'cartera').active)) == ('Cartera y cobros', True)
    assert {'label': 'Cartera y cobros', 'value': 'cartera'} in area_options()

    empty = post_form(admin, '/areas/cartera', {'name': ''})
    assert empty.status_code == 422 and 'nombre del área' in _error_of(empty.get_data(as_text=True), 'name')
    assert post_form(admin, '/areas/cartera', {'name': 'Cartera'}).status_code == 302
    assert post_form(admin, '/areas/cartera/estado', {'active': '0'}, page='/areas/cartera').status_code == 302
    assert flow.read(lambda s: (s.get(Area, 'cartera').name, s.get(Area, 'cartera').active)) == ('Cartera', False)
    db.session.expire_all()
    assert 'cartera' not in [o['value'] for o in area_options()]
    assert admin.get('/areas/no_existe').status_code == 404
    assert post_form(admin, '/areas/no_existe', {'name': 'X'}, page='/areas/').status_code == 404


def test_members_for_one_branch_or_all_with_errors_in_words(app):
    demo_users()
    admin = login(app.test_client(), 'admin')
    url = '/areas/facturacion'
    for data, field, words in (({'username': 'nadie'}, 'username', 'usuario existente'),
                               ({'username': ''}, 'username', 'usuario existente'),
                               ({'username': 'gerente', 'branch': 'LIMA'}, 'branch', 'La sede «LIMA» no existe'),
                               ({'username': 'lider'}, 'username', 'ya es miembro')):
        answer = post_form(admin, f'{url}/miembros', data, page=url)
        assert answer.status_code == 422 and words in _error_of(answer.get_data(as_text=True), field), data
    assert post_form(admin, f'{url}/miembros', {'username': 'gerente', 'branch': 'BOG'}, page=url).status_code == 302
    assert post_form(admin, f'{url}/miembros', {'username': 'gerente', 'branch': 'CTG'}, page=url).status_code == 302
    assert _members('facturacion') == [('gerente', 'BOG'), ('gerente', 'CTG'), ('lider', '')]
    page = admin.get(url).get_data(as_text=True)
    assert 'Gloria Gerente (gerente)' in page and 'Todas las sedes' in page

    member_id = flow.read(lambda s: s.scalar(select(AreaMember.id).where(
        AreaMember.username == 'gerente', AreaMember.branch == 'BOG')))
    assert post_form(admin, f'{url}/miembros/{member_id}/quitar', {}, page=url).status_code == 302
    assert _members('facturacion') == [('gerente', 'CTG'), ('lider', '')]
    # a member id that is not a number, or of another area: 404, not a 500
    assert post_form(admin, f'{url}/miembros/abc/quitar', {}, page=url).status_code == 404
    other = flow.read(lambda s: s.scalar(select(AreaMember.id).where(AreaMember.area_code == 'calidad')))
    assert post_form(admin, f'{url}/miembros/{other}/quitar', {}, page=url).status_code == 404
    assert _members('calidad') == [('lider', '')]


def test_area_pages_in_english(app):
    demo_users()
    admin = login(app.test_client(), 'admin')
    admin.post('/idioma', data={'csrf_token': csrf_token(admin, '/areas/'), 'lang': 'en', 'next': '/areas/'})
    page = admin.get('/areas/').get_data(as_text=True)
    assert 'Responsible areas' in page and 'Create area' in page and 'Áreas responsables' not in page
    answer = post_form(admin, '/areas/', {'code': '?', 'name': 'X'})
    assert 'The area&#39;s code must have' in _error_of(answer.get_data(as_text=True), 'code')
    page = admin.get('/areas/calidad').get_data(as_text=True)
    assert 'Add a member' in page and 'All branches' in page


def test_the_command_line_creates_an_area_with_its_members(app):
    demo_users()
    done = pqrsf('users', 'area', 'juridica', 'Jurídica', '--member', 'gerente:BOG', '--member', 'director')
    assert done.returncode == 0, done.stderr
    assert flow.read(lambda s: s.get(Area, 'juridica').name) == 'Jurídica'
    assert _members('juridica') == [('director', ''), ('gerente', 'BOG')]
    again = pqrsf('users', 'area', 'juridica', 'Otra')
    assert again.returncode != 0 and 'Ya existe un área' in again.stderr
    bad = pqrsf('users', 'area', 'cobros', 'Cobros', '--member', 'nadie')
    assert bad.returncode != 0 and 'usuario existente' in bad.stderr and 'Traceback' not in bad.stderr


def test_the_demo_areas_have_the_demo_lider(app):
    demo_users()
    demo_users()  # twice: nothing doubles
    assert [o['value'] for o in area_options()] == ['calidad', 'comercial', 'facturacion', 'operaciones',
                                                    'talento_humano']
    for code, _name in DEMO_AREAS:
        assert _members(code) == [('lider', '')], code
