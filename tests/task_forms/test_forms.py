"""User-task forms from forms/*.json: loading, the marshmallow schema, parsing posts and API
bodies, and the server-rendered HTML. No database is used."""
import json
import os
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markupsafe import Markup
from marshmallow import Schema
from werkzeug.datastructures import MultiDict

from app.task_forms.store import form_path, form_problem, load_form
from app.task_forms.rendering import render_form
from app.task_forms.schema import FormError, form_schema, parse_submission, shown

FORMS = Path(__file__).resolve().parents[2] / 'forms'
KEYS = sorted(p.stem for p in FORMS.glob('*.json'))


def definition(key):
    return json.loads((FORMS / f'{key}.json').read_text(encoding='utf-8'))


@pytest.fixture
def app(tmp_path, monkeypatch):
    monkeypatch.setenv('PQRSF_INSTANCE', str(tmp_path / 'instance'))
    monkeypatch.setenv('PQRSF_FORMS_DIRS', os.pathsep.join([str(tmp_path / 'mine'), str(FORMS)]))
    (tmp_path / 'mine').mkdir()
    from app import create_app
    app = create_app({'SQLALCHEMY_DATABASE_URI': f"sqlite:///{tmp_path / 'forms.db'}"})
    with app.app_context():
        import flask_migrate
        flask_migrate.upgrade()  # forms saved in the browser live in the database
        yield app


class Page(HTMLParser):
    """Collects the tags of a rendered fragment to check labels and attributes."""

    def __init__(self, html):
        super().__init__()
        self.tags, self.labels = [], set()
        self.feed(str(html))

    depth = 0  # inside <template> (a list's row for the script to copy): not part of the form

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.depth += tag == 'template'
        if self.depth:
            return
        self.tags.append((tag, attrs))
        if tag == 'label':
            self.labels.add(attrs.get('for'))

    def handle_endtag(self, tag):
        self.depth -= tag == 'template'

    def controls(self):
        return [a for t, a in self.tags if t in ('input', 'select', 'textarea')]

    def control(self, name, value=None):
        found = [a for a in self.controls() if a.get('name') == name and (value is None or a.get('value') == value)]
        assert len(found) == 1, (name, found)
        return found[0]


def test_all_fifteen_real_forms_exist():
    assert len(KEYS) == 15


# ---------------------------------------------------------------- loading

def test_every_real_form_loads_and_the_linter_accepts_it(app):
    for key in KEYS:
        assert form_problem(key) is None
        assert load_form(key)['components'] == definition(key)['components']


def test_form_path_and_problem_keep_their_behaviour(app):
    assert form_path('clasificacion') == str(FORMS / 'clasificacion.json')
    assert form_path('../clasificacion') is None and form_path('.hidden') is None and form_path('') is None
    assert form_problem('nope').startswith("No existe el formulario 'nope'")


def test_load_form_errors_are_clear(app, tmp_path):
    with pytest.raises(FormError, match="No existe el formulario 'nope'"):
        load_form('nope')
    (tmp_path / 'mine' / 'broken.json').write_text('{"components": [', encoding='utf-8')
    with pytest.raises(FormError, match="no es JSON válido"):
        load_form('broken')
    (tmp_path / 'mine' / 'odd.json').write_text(json.dumps({'components': [
        {'type': 'filepicker', 'key': 'file'}]}), encoding='utf-8')
    with pytest.raises(FormError, match="'filepicker' no está soportado"):
        load_form('odd')
    assert "'filepicker' no está soportado" in form_problem('odd')  # deploy refuses it too


def test_load_form_sees_edits_and_returns_a_copy(app, tmp_path):
    path = tmp_path / 'mine' / 'small.json'
    path.write_text(json.dumps({'components': [{'type': 'textfield', 'key': 'a', 'label': 'A'}]}))
    first = load_form('small')
    first['components'].clear()
    assert load_form('small')['components'][0]['key'] == 'a'
    path.write_text(json.dumps({'components': [{'type': 'textfield', 'key': 'b', 'label': 'B'}]}))
    os.utime(path, ns=(1, os.stat(path).st_mtime_ns + 10**9))
    assert load_form('small')['components'][0]['key'] == 'b'


# ---------------------------------------------------------------- schema and parsing

@pytest.mark.parametrize('key', KEYS)
def test_every_real_form_builds_a_schema_and_renders(key):
    form = definition(key)
    assert isinstance(form_schema(form), Schema)
    html = render_form(form)
    assert isinstance(html, Markup) and '<form' not in html and 'field' in html
    _, errors = parse_submission(form, MultiDict())
    required = [c for c in shown(form['components'], {}) if (c.get('validate') or {}).get('required')]
    assert all(c['key'] in errors for c in required), errors


def registro(**changes):
    body = {'case_type': 'Q', 'channel': 'correo', 'branch': 'BOG', 'client_kind': 'cliente',
            'client_name': 'Ana Pérez', 'client_id_document': '1020-304', 'client_email': 'ana@example.com',
            'event_date': '2024-05-02', 'product_service': 'Transporte', 'data_consent': 'true',
            'description': 'El contenedor llegó tarde.'}
    body.update(changes)
    return MultiDict([(k, v) for k, v in body.items() if v is not None])


def test_registro_clean_data():
    data, errors = parse_submission(definition('ser_ft_01_registro'),
                                    registro(client_name='  Ana Pérez  ', remedy_sought='   ', hacker='x'))
    assert errors == {}
    assert data['client_name'] == 'Ana Pérez' and data['event_date'] == '2024-05-02'
    assert data['data_consent'] is True
    assert 'remedy_sought' not in data and 'hacker' not in data  # blank omitted, unknown ignored
    json.dumps(data)


def test_spanish_errors_on_the_right_paths():
    data, errors = parse_submission(definition('ser_ft_01_registro'), registro(
        client_name='  Al ', client_email='ana-at-example', client_id_document='12 34',
        client_phone='abc', product_service='   ', event_date='2024-02-31'))
    assert errors == {
        'client_name': ['Debe tener al menos 3 caracteres.'],
        'client_email': ['Escriba un correo electrónico válido.'],
        'client_id_document': ['El formato no es válido.'],
        'client_phone': ['El formato no es válido.'],
        'product_service': ['Este campo es obligatorio.'],
        'event_date': ['Escriba una fecha válida (AAAA-MM-DD).'],
    }
    assert data['client_email'] == 'ana-at-example'  # what was typed comes back to be shown again


CLASSIFIED = {'case_type': 'Q', 'severity': 'baja', 'impact': 'individual', 'motive': 'disculpa',
              'investigation_level': 'basico', 'responsible_area': 'operaciones'}


def test_max_length_message():
    _, errors = parse_submission(definition('clasificacion'), {**CLASSIFIED, 'collaborator_user': 'x' * 101})
    assert errors == {'collaborator_user': ['Debe tener como máximo 100 caracteres.']}


def test_consent_checkbox_must_be_ticked():
    form = definition('ser_ft_01_registro')
    _, errors = parse_submission(form, registro(data_consent=None))
    assert errors == {'data_consent': ['Debe marcar esta casilla.']}
    _, errors = parse_submission(form, {**registro().to_dict(), 'data_consent': False})
    assert errors == {'data_consent': ['Debe marcar esta casilla.']}


def test_optional_checkbox_absent_is_false():
    data, errors = parse_submission(definition('clasificacion'), MultiDict(CLASSIFIED))
    assert errors == {} and data['needs_information'] is False
    data, _ = parse_submission(definition('clasificacion'), MultiDict(
        {**CLASSIFIED, 'needs_information': 'true', 'information_request': 'Copia de la factura'}))
    assert data['needs_information'] is True and data['information_request'] == 'Copia de la factura'


@pytest.mark.parametrize('sent, expected', [('true', True), ('false', False), (True, True), (False, False)])
def test_radio_with_boolean_values_round_trips(sent, expected):
    form = definition('verificacion_eficacia')
    body = {'effective': sent, 'effectiveness_notes': 'Sin reincidencias', 'decision': 'Se repuso el envío'}
    data, errors = parse_submission(form, MultiDict(body) if isinstance(sent, str) else body)
    assert errors == {} and data['effective'] is expected
    page = Page(render_form(form, data))
    assert page.control('effective', 'true').get('checked', 'no') == (None if expected else 'no')
    assert page.control('effective', 'false').get('checked', 'no') == ('no' if expected else None)


@pytest.mark.parametrize('sent', ['yes', 1, 'True', ''])
def test_radio_with_boolean_values_rejects_other_values(sent):
    _, errors = parse_submission(definition('verificacion_eficacia'),
                                 {'effective': sent, 'effectiveness_notes': 'x', 'decision': 'y'})
    assert errors == {'effective': [
        'Este campo es obligatorio.' if sent == '' else 'Elija una de las opciones.']}


def test_select_rejects_unknown_values():
    form = definition('clasificacion')
    base = {k: v for k, v in CLASSIFIED.items() if k != 'case_type'}
    assert parse_submission(form, {**base, 'case_type': 'X'})[1] == {'case_type': ['Elija una de las opciones.']}
    assert parse_submission(form, {**base, 'case_type': 'Petición'})[1] == {'case_type': ['Elija una de las opciones.']}
    assert parse_submission(form, {**base, 'case_type': 'R'}) == ({**base, 'case_type': 'R', 'needs_information': False}, {})
    assert parse_submission(form, {**base, 'case_type': 'P'})[1] == {'sub_type': ['Este campo es obligatorio.']}


def analysis(*pairs):
    return MultiDict([('analysis_method', 'ishikawa'), ('root_causes', 'Falta de control del horario'), *pairs])


def test_dynamic_list_from_a_post_drops_the_blank_trailing_row():
    form = definition('gi_ft_04_analisis_om')
    data, errors = parse_submission(form, analysis(
        ('actions-0-description', 'Ajustar el turno'), ('actions-0-owner', 'jperez'),
        ('actions-0-owner_email', 'jperez@example.com'), ('actions-0-due_date', '2024-06-30'),
        ('actions-1-description', 'Capacitar'), ('actions-1-owner', 'mgomez'),
        ('actions-1-owner_email', 'mgomez@example.com'), ('actions-1-due_date', '2024-07-15'),
        ('actions-2-description', ''), ('actions-2-owner', '  '), ('actions-2-owner_email', ''),
        ('actions-2-due_date', ''), ('actions-0-intruder', 'x')))
    assert errors == {}
    assert data['actions'] == [
        {'description': 'Ajustar el turno', 'owner': 'jperez', 'owner_email': 'jperez@example.com', 'due_date': '2024-06-30'},
        {'description': 'Capacitar', 'owner': 'mgomez', 'owner_email': 'mgomez@example.com', 'due_date': '2024-07-15'}]


def test_dynamic_list_rows_follow_the_index_not_the_post_order():
    data, errors = parse_submission(definition('gi_ft_04_analisis_om'), analysis(
        ('actions-10-description', 'segunda'), ('actions-10-owner', 'b'), ('actions-10-owner_email', 'b@x.co'),
        ('actions-10-due_date', '2024-01-02'), ('actions-2-description', 'primera'), ('actions-2-owner', 'a'),
        ('actions-2-owner_email', 'a@x.co'), ('actions-2-due_date', '2024-01-01')))
    assert errors == {} and [row['description'] for row in data['actions']] == ['primera', 'segunda']


def test_dynamic_list_errors_have_row_paths():
    form = definition('gi_ft_04_analisis_om')
    sent = analysis(
        ('actions-0-description', ''), ('actions-0-owner', ''), ('actions-0-owner_email', ''), ('actions-0-due_date', ''),
        ('actions-1-description', 'Ajustar el turno'), ('actions-1-owner', 'jperez'),
        ('actions-1-owner_email', 'jperez-example.com'), ('actions-1-due_date', '2024-06-30'))
    data, errors = parse_submission(form, sent)
    assert errors == {'actions.0.owner_email': ['Escriba un correo electrónico válido.']}  # blank row 0 dropped
    for values in (data, sent):  # the echo and the raw post put the error on the same row
        page = Page(render_form(form, values, errors))
        field = page.control('actions-0-owner_email')
        assert field['value'] == 'jperez-example.com' and field['aria-invalid'] == 'true'
        assert not [a for a in page.controls() if a['name'].startswith('actions-1-')]  # no extra blank row
    _, errors = parse_submission(form, {'analysis_method': 'otro', 'root_causes': 'Causas de prueba',
                                        'actions': [{'description': 'x'}]})
    assert errors == {'actions.0.owner': ['Este campo es obligatorio.'],
                      'actions.0.owner_email': ['Este campo es obligatorio.'],
                      'actions.0.due_date': ['Este campo es obligatorio.']}


def test_dynamic_list_min_items():
    form = definition('gi_ft_04_analisis_om')
    for sent in (analysis(), analysis(('actions-0-description', ' '), ('actions-0-owner', ''))):
        assert parse_submission(form, sent)[1] == {'actions': ['Debe agregar al menos 1 fila.']}
    body = {'analysis_method': 'otro', 'root_causes': 'Causas de prueba'}
    assert parse_submission(form, body)[1] == {'actions': ['Debe agregar al menos 1 fila.']}
    assert parse_submission(form, {**body, 'actions': 'x'})[1] == {'actions': ['Debe ser una lista de filas.']}
    assert parse_submission(form, {**body, 'actions': ['x']})[1] == {'actions.0': ['Fila no válida.']}


def test_schema_loads_a_multidict_directly_and_ignores_unknown_keys():
    schema = form_schema(definition('escalamiento_nivel_2'))
    assert schema.load(MultiDict({'escalation_action': 'resolve', 'decision': ' Se reembolsa el flete. ',
                                  'role': 'admin'})) == {'escalation_action': 'resolve', 'decision': 'Se reembolsa el flete.'}
    assert parse_submission(definition('escalamiento_nivel_2'), {
        'escalation_action': 'resolve', 'decision': 'Se reembolsa.', 'x': {'y': 1}}) == (
        {'escalation_action': 'resolve', 'decision': 'Se reembolsa.'}, {})


def test_number_and_textarea_newlines():
    form = {'id': 't', 'components': [
        {'type': 'number', 'key': 'n', 'label': 'N', 'validate': {'min': 1, 'max': 10}},
        {'type': 'textarea', 'key': 'note', 'label': 'Nota', 'validate': {'maxLength': 3}}]}
    assert parse_submission(form, MultiDict({'n': '3', 'note': 'a\r\nb'})) == ({'n': 3, 'note': 'a\nb'}, {})
    assert parse_submission(form, {'n': 2.5})[0] == {'n': 2.5}
    assert parse_submission(form, {'n': '0'})[1] == {'n': ['Debe ser mayor o igual que 1.']}
    assert parse_submission(form, {'n': 'tres'})[1] == {'n': ['Escriba un número.']}
    assert parse_submission(form, {'n': True})[1] == {'n': ['Escriba un número.']}


def test_non_object_body():
    assert parse_submission(definition('respuesta_cliente'), ['accept']) == (
        {}, {'_form': ['Los datos enviados no son válidos.']})


# ---------------------------------------------------------------- HTML

@pytest.mark.parametrize('key', KEYS)
def test_every_input_has_a_matching_label(key):
    form = definition(key)
    page = Page(render_form(form))
    controls = page.controls()
    assert controls and all(a['id'] in page.labels for a in controls)
    ids = [a['id'] for t, a in page.tags if 'id' in a]
    assert len(ids) == len(set(ids))


def test_required_fields_are_marked():
    page = Page(render_form(definition('ser_ft_01_registro')))
    assert 'required' in page.control('client_name') and page.control('client_email')['type'] == 'email'
    assert 'required' not in page.control('client_email')  # a client may have no email (a phone, a letter)
    assert 'required' not in page.control('client_phone')
    assert 'required' in page.control('data_consent')
    form = definition('ser_ft_01_registro')
    required = [c for c in form['components'] if (c.get('validate') or {}).get('required')]
    assert render_form(form).count('class="required-marker"') == len(required) == 10


def test_render_keeps_typed_values_and_escapes_them():
    form = definition('ser_ft_01_registro')
    sent = registro(client_name='<script>alert(1)</script>', description='"a" & <b>', client_email='bad',
                    case_type='R', client_kind='proveedor', data_consent=None)
    data, errors = parse_submission(form, sent)
    html = str(render_form(form, data, errors))
    assert '<script>' not in html and '<b>' not in html
    assert '&lt;script&gt;alert(1)&lt;/script&gt;' in html and '&#34;a&#34; &amp; &lt;b&gt;' in html
    page = Page(html)
    assert page.control('client_name')['value'] == '<script>alert(1)</script>'
    assert page.control('client_email')['value'] == 'bad'
    assert [a for t, a in page.tags if t == 'option' and 'selected' in a] == [
        {'value': 'R', 'selected': None}, {'value': 'correo', 'selected': None}, {'value': 'BOG', 'selected': None}]
    assert 'checked' in page.control('client_kind', 'proveedor')
    assert 'checked' not in page.control('data_consent')
    # the same from the raw MultiDict
    assert Page(render_form(form, sent, errors)).control('client_email')['value'] == 'bad'


def test_errors_are_inline_with_aria():
    form = definition('ser_ft_01_registro')
    errors = {'client_email': ['Escriba un correo electrónico válido.'], 'data_consent': ['Debe marcar esta casilla.'],
              'client_kind': ['Elija una de las opciones.'], 'collaborator_named': ['<i>raro</i>']}
    html = str(render_form(form, registro().to_dict(), errors))
    page = Page(html)
    email = page.control('client_email')
    assert email['aria-invalid'] == 'true'
    assert email['aria-describedby'] == 'field-client_email-help field-client_email-error'
    assert '<p class="field-error" id="field-client_email-error">Escriba un correo electrónico válido.</p>' in html
    assert page.control('data_consent')['aria-describedby'] == 'field-data_consent-error'
    helped = page.control('collaborator_named')
    assert helped['aria-describedby'] == 'field-collaborator_named-help field-collaborator_named-error'
    assert '<p class="help" id="field-collaborator_named-help">En felicitaciones, a quién se reconoce.</p>' in html
    assert '&lt;i&gt;raro&lt;/i&gt;' in html
    fieldset = next(a for t, a in page.tags if t == 'fieldset' and a.get('id') == 'field-client_kind')
    assert fieldset['aria-describedby'] == 'field-client_kind-error'
    assert all(page.control('client_kind', v)['aria-invalid'] == 'true' for v in ('cliente', 'proveedor'))
    assert 'aria-invalid' not in page.control('client_name')
    assert html.count('class="field-error"') == 4


def test_radio_groups_use_fieldset_and_legend():
    html = str(render_form(definition('respuesta_cliente')))
    assert '<legend>El cliente <span class="required-marker" aria-hidden="true">*</span></legend>' in html
    assert '<label for="field-decision-1">Rechaza la decisión</label>' in html


def test_errors_without_a_field_are_still_shown():
    html = str(render_form(definition('respuesta_cliente'), {}, {'_form': ['Los datos enviados no son válidos.']}))
    assert html.startswith('<div class="form-errors" role="alert"><p class="field-error">Los datos')


def test_conditional_fields_are_rendered_with_their_expression():
    page = Page(render_form(definition('escalamiento_nivel_1')))
    wrappers = [a for t, a in page.tags if t == 'div' and 'data-hide' in a]
    assert wrappers == [{'class': 'conditional', 'hidden': None,
                         'data-hide': '["cmp","!=",["name",["escalation_action"]],["lit","resolve"]]'}]
    assert 'field-decision' in [a['id'] for a in page.controls()]  # present, hidden until the script or server shows it
    page = Page(render_form(definition('escalamiento_nivel_1'), {'escalation_action': 'resolve'}))
    assert [a for t, a in page.tags if t == 'div' and 'data-hide' in a][0].get('hidden', 'shown') == 'shown'


def test_dynamic_list_rows():
    form = definition('gi_ft_04_analisis_om')
    page = Page(render_form(form))
    names = [a['name'] for a in page.controls() if a['name'].startswith('actions-')]
    assert names == ['actions-0-description', 'actions-0-owner', 'actions-0-owner_email', 'actions-0-due_date']
    assert 'required' in page.control('actions-0-owner')  # minItems 1: the first row is needed
    assert page.control('actions-0-due_date')['type'] == 'date'
    row = {'description': 'Ajustar', 'owner': 'jp', 'owner_email': 'jp@x.co', 'due_date': '2024-06-30'}
    page = Page(render_form(form, {'actions': [row, row]}, {'actions.1.owner': ['Este campo es obligatorio.']}))
    assert [a['value'] for a in page.controls() if a['name'].endswith('-due_date')] == ['2024-06-30', '2024-06-30']
    assert 'required' not in page.control('actions-1-owner')  # rows past minItems may be left blank
    assert page.control('actions-1-owner')['aria-invalid'] == 'true'
    html = str(render_form(form, {}, {'actions': ['Debe agregar al menos 1 fila.']}))
    assert ('<fieldset id="field-actions" class="dynamiclist" data-path="actions" data-name="actions" data-min="1" '
            'aria-describedby="field-actions-error">') in html
    assert '<p class="field-error" id="field-actions-error">Debe agregar al menos 1 fila.</p>' in html
    next(c for c in form['components'] if c.get('key') == 'actions')['defaultRepetitions'] = 3
    assert len([a for a in Page(render_form(form, {'actions': [row]})).controls() if a['name'].endswith('-owner')]) == 3


def test_default_values_only_on_first_display():
    form = {'id': 't', 'components': [{'type': 'textfield', 'key': 'a', 'label': 'A', 'defaultValue': 'hola'},
                                      {'type': 'checkbox', 'key': 'b', 'label': 'B', 'defaultValue': True}]}
    assert Page(render_form(form)).control('a')['value'] == 'hola'
    assert 'checked' in Page(render_form(form)).control('b')
    page = Page(render_form(form, {'a': ''}))
    assert page.control('a')['value'] == '' and 'checked' not in page.control('b')


def test_unsupported_components_are_refused():
    with pytest.raises(FormError, match="'taglist' no está soportado"):
        form_schema({'id': 'x', 'components': [{'type': 'taglist', 'key': 'tags'}]})
    with pytest.raises(FormError, match="solo se admite la fecha o la fecha y hora"):
        render_form({'id': 'x', 'components': [{'type': 'datetime', 'key': 'at', 'subtype': 'time'}]})


def every_path(components, prefix=''):
    for c in components:
        if 'key' not in c and 'path' not in c:  # text, separators: nothing submitted
            continue
        name = c.get('path') or c['key']
        yield prefix + name
        for sub in c.get('components', []):
            yield f'{prefix}{name}.0.{sub["key"]}'


@pytest.mark.parametrize('key', KEYS)
def test_described_by_points_at_existing_ids(key):
    form = definition(key)
    for c in form['components']:
        c['description'] = 'Ayuda'
    page = Page(render_form(form, {}, {path: ['Mal.'] for path in every_path(form['components'])}))
    ids = {a['id'] for t, a in page.tags if 'id' in a}
    described = [a['aria-describedby'] for t, a in page.tags if 'aria-describedby' in a]
    assert described and all(i in ids for d in described for i in d.split())
    assert 'form-errors' not in str(render_form(form, {}, {path: ['Mal.'] for path in every_path(form['components'])}))
