"""Forms as Camunda writes them: form keys with Camunda prefixes name a file of forms/ by its
last name, Camunda Forms files (`.form`) load as they are, and a task without a form key gets
a generic form-js form (its camunda:formData fields, or a comment)."""
import pytest
from lxml import etree

from app.engine.form_data import form_fields
from app.task_forms.generic import generic_form
from app.task_forms.rendering import render_form
from app.task_forms.schema import FormError, parse_submission
from app.task_forms.store import form_keys, form_name, form_problem, load_form
from tests.support.flow import DIAGRAMS
from tests.support.web import login

CAMUNDA = DIAGRAMS / 'camunda_forms'


@pytest.mark.parametrize('key, name', [
    ('embedded:app:forms/cf_review.html', 'cf_review'),
    ('embedded:deployment:cf_review.html', 'cf_review'),
    ('camunda-forms:app:forms/cf_review.form', 'cf_review'),
    ('camunda-forms:deployment:cf_review.form', 'cf_review'),
    ('cf_review', 'cf_review'),
    ('forms/cf_review', None),
    ('../secret', None),
    ('embedded:app:../../etc/passwd', 'passwd'),  # only a last name: it never leaves forms/
    ('', None),
])
def test_camunda_form_keys_name_a_form_by_its_last_name(key, name):
    assert form_name(key) == name


def test_camunda_keys_and_form_files_load_the_same_form(app):
    definition = load_form('cf_review')
    assert [c['key'] for c in definition['components']] == ['decision', 'notes']
    assert definition['exporter']['name'] == 'Camunda Modeler'  # accepted as it comes
    for key in ('embedded:app:forms/cf_review.html', 'camunda-forms:deployment:cf_review.form'):
        assert form_problem(key) is None
        assert load_form(key) == definition
    assert 'cf_review' in form_keys()
    data, errors = parse_submission(definition, {'decision': 'nope'})
    assert errors == {'decision': ['Elija una de las opciones.']}


def test_a_missing_camunda_form_says_which_name_was_looked_for(app):
    problem = form_problem('camunda-forms:app:forms/no_such_form.form')
    assert "busqué el formulario 'no_such_form' (forms/no_such_form.json o forms/no_such_form.form" in problem
    with pytest.raises(FormError, match="busqué el formulario 'x'"):
        load_form('embedded:deployment:x.html')
    assert 'no nombra ningún formulario' in form_problem('forms/x')


def test_the_form_editor_opens_a_camunda_forms_file(site):
    client = login(site.test_client(), 'dueno')
    page = client.get('/procesos/formularios/cf_review')
    assert page.status_code == 200
    assert 'Observaciones' in page.get_data(as_text=True)
    assert 'cf_review' in client.get('/procesos/formularios/').get_data(as_text=True)


def _fields(element_id):
    tree = etree.parse(str(CAMUNDA / 'generic_forms.bpmn'))
    return form_fields(tree.getroot().xpath('//*[@id=$id]', id=element_id)[0])


def test_a_task_without_fields_gets_an_optional_comment():
    definition = generic_form(_fields('sin_formulario'), 'sin_formulario')
    assert [(c['type'], c['key'], c['label']) for c in definition['components']] == [
        ('textarea', 'comment', 'Comentario')]
    assert parse_submission(definition, {}) == ({}, {})
    assert parse_submission(definition, {'comment': ' Visto '}) == ({'comment': 'Visto'}, {})
    assert 'Comentario' in render_form(definition)


def test_form_data_fields_become_form_js_components_with_their_constraints():
    definition = generic_form(_fields('con_campos'), 'con_campos')
    by_key = {c.get('key'): c for c in definition['components']}
    assert by_key['reason'] == {'key': 'reason', 'label': 'Motivo', 'type': 'textfield',
                                'validate': {'required': True, 'minLength': 3}}
    assert by_key['amount']['type'] == 'number' and by_key['amount']['defaultValue'] == 10
    assert by_key['amount']['validate'] == {'min': 1, 'max': 1000}
    assert by_key['approved']['type'] == 'radio'      # required yes/no: answered, either way
    assert by_key['urgent']['type'] == 'checkbox'
    assert by_key['deliver_on']['type'] == 'datetime'
    assert by_key['supplier']['values'] == [{'label': 'ACME S.A.', 'value': 'acme'},
                                            {'label': 'Globex', 'value': 'globex'}]
    assert 'requested_by' not in by_key  # readonly: shown, never submitted
    assert {'type': 'text', 'text': 'Solicitante: Compras'} in definition['components']

    _, errors = parse_submission(definition, {'reason': 'no', 'amount': '5000', 'supplier': 'other'})
    assert set(errors) == {'reason', 'amount', 'approved', 'supplier'}
    data, errors = parse_submission(definition, {'reason': 'Reposición', 'amount': '20', 'approved': 'false',
                                                 'deliver_on': '2030-01-31', 'supplier': 'acme',
                                                 'requested_by': 'someone else'})
    assert errors == {}
    assert data == {'reason': 'Reposición', 'amount': 20, 'approved': False, 'urgent': False,
                    'deliver_on': '2030-01-31', 'supplier': 'acme'}
    html = render_form(definition)
    assert 'Solicitante: Compras' in html and 'name="requested_by"' not in html
