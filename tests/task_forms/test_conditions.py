"""form-js `conditional.hide`: the FEEL subset parsed and evaluated by our own code (never
eval), a form whose condition cannot be parsed refused naming the component and the text, and
the server enforcing it (a hidden field's value dropped and its rules skipped; required when
shown). The list buttons without JavaScript (rows.py). No database is used."""
import json
import re

import pytest
from werkzeug.datastructures import MultiDict

from app.task_forms.conditions import ConditionError, evaluate, parse
from app.task_forms.rendering import render_form
from app.task_forms.rows import row_edit
from app.task_forms.schema import FormError, components_problem, form_schema, parse_submission
from tests.task_forms.test_forms import Page, app, definition  # noqa: F401  (app: the fixture)


@pytest.mark.parametrize('text, data, expected', [
    ('=a = "x"', {'a': 'x'}, True),
    ('=a != "x"', {'a': 'x'}, False),
    ('=not(a)', {}, True),
    ('=not(a)', {'a': True}, False),
    ('=a and b', {'a': True, 'b': False}, False),
    ('=a or b', {'a': False, 'b': 1}, True),
    ('=n >= 10 and n < 20', {'n': 15}, True),
    ('=n > 3', {'n': 'tres'}, None),  # an ordering of unlike values is null
    ('=a.b = 2.5', {'a': {'b': 2.5}}, True),
    ('=a = null', {}, True),
    ('=a is empty', {'a': ''}, True),
    ('=not(a = "x" or (b = true))', {'a': 'y', 'b': False}, True),
    ('true', {}, True),
    ('="dijo \\"sí\\""', {}, 'dijo "sí"'),
])
def test_the_subset_evaluates_as_feel_does(text, data, expected):
    assert evaluate(parse(text), data) == expected


@pytest.mark.parametrize('text, reason', [
    ('=a ==', 'no se esperaba «=»'),
    ('=__import__("os")', 'sobra «(»'),  # a call is not in the subset
    ('=a +', 'no se entiende'),
    ('=(a', 'se esperaba «)»'),
    ('=', 'está vacía'),
    ('=a b', 'sobra «b»'),
    ('=' + 'a or ' * 200 + 'a', 'más de 500'),
])
def test_text_outside_the_subset_is_refused(text, reason):
    with pytest.raises(ConditionError, match=re.escape(reason)):
        parse(text)


def test_a_form_with_a_condition_it_cannot_parse_is_refused_naming_it():
    components = [{'type': 'checkbox', 'key': 'a', 'label': 'A'},
                  {'type': 'textfield', 'key': 'b', 'label': 'B', 'conditional': {'hide': '=a === 1'}}]
    problem = components_problem(components, "El formulario 'f'", strict=True)
    assert problem.startswith("El formulario 'f', componente 2 (b): la condición «=a === 1» no se puede usar")
    with pytest.raises(FormError, match='componente 2 \\(b\\)'):
        form_schema({'id': 'f', 'components': components})
    row = [{'type': 'dynamiclist', 'key': 'rows', 'label': 'R', 'components': [
        {'type': 'textfield', 'key': 'x', 'label': 'X', 'conditional': {'hide': '=true'}}]}]
    assert 'dentro de una lista repetible' in components_problem(row)
    assert "'conditional' debe ser un objeto" in components_problem(
        [{'type': 'textfield', 'key': 'x', 'conditional': '=a'}])


CLASSIFICATION = {'case_type': 'Q', 'severity': 'media', 'impact': 'individual', 'motive': 'disculpa', 'investigation_level': 'intermedio',
                  'responsible_area': 'operaciones'}


def test_the_server_enforces_the_condition():
    form = definition('clasificacion')
    data, errors = parse_submission(form, MultiDict({**CLASSIFICATION, 'needs_information': 'true'}))
    assert errors == {'information_request': ['Este campo es obligatorio.']}  # required when shown
    data, errors = parse_submission(form, MultiDict({**CLASSIFICATION, 'information_request': 'x' * 3000}))
    assert errors == {} and 'information_request' not in data  # hidden: value dropped, maxLength skipped
    data, errors = parse_submission(form, {**CLASSIFICATION, 'needs_information': True, 'information_request': 'Guía'})
    assert errors == {} and data['information_request'] == 'Guía'
    verification = definition('verificacion_eficacia')
    _, errors = parse_submission(verification, MultiDict({'effective': 'true', 'effectiveness_notes': 'Bien'}))
    assert errors == {'decision': ['Este campo es obligatorio.']}  # "eficaz" needs the decision
    data, errors = parse_submission(verification, {'effective': False, 'effectiveness_notes': 'No', 'decision': 'x'})
    assert errors == {} and 'decision' not in data


def test_the_page_hides_what_the_server_hides():
    form = definition('clasificacion')
    hidden = Page(render_form(form, {}))
    wrapper = [a for t, a in hidden.tags if t == 'div' and a.get('class') == 'conditional'][-1]
    assert 'hidden' in wrapper and 'required' not in hidden.control('information_request')
    shown = Page(render_form(form, MultiDict({'needs_information': 'true'})))
    wrapper = [a for t, a in shown.tags if t == 'div' and a.get('class') == 'conditional'][-1]
    assert 'hidden' not in wrapper and 'required' in shown.control('information_request')
    petition = Page(render_form(form, MultiDict({'case_type': 'P'})))   # the sub-type only for a petición
    wrapper = [a for t, a in petition.tags if t == 'div' and a.get('class') == 'conditional'][0]
    assert 'hidden' not in wrapper and 'required' in petition.control('sub_type')


def _post(*pairs):
    return MultiDict([('analysis_method', 'otro'), *pairs])


def test_rows_are_added_and_removed_without_javascript_within_min_and_max():
    form = definition('gi_ft_04_analisis_om')
    assert row_edit(form, _post(('actions-0-description', 'Uno'))) is None  # a plain submission
    values = row_edit(form, _post(('actions-0-description', 'Uno'), ('_add_row', 'actions')))
    assert values['actions'] == [{'description': 'Uno'}, {}] and values['analysis_method'] == 'otro'
    values = row_edit(form, _post(('actions-0-description', 'Uno'), ('actions-1-description', 'Dos'),
                                  ('_remove_row', 'actions-0')))
    assert values['actions'] == [{'description': 'Dos'}]
    values = row_edit(form, _post(('actions-0-description', 'Uno'), ('_remove_row', 'actions-0')))
    assert values['actions'] == [{'description': 'Uno'}]  # minItems 1: the last row stays
    next(c for c in form['components'] if c.get('key') == 'actions')['validate']['maxItems'] = 2
    values = row_edit(form, _post(('actions-0-description', 'Uno'), ('actions-1-description', 'Dos'),
                                  ('_add_row', 'actions')))
    assert len(values['actions']) == 2  # maxItems 2: no third row
    page = Page(render_form(form, values))
    add = [a for t, a in page.tags if t == 'button' and a.get('name') == '_add_row'][0]
    assert 'hidden' in add
    assert row_edit(form, _post(('_remove_row', 'nada-x'))) == {'analysis_method': 'otro', 'actions': []}


def test_saving_or_deploying_a_form_with_a_bad_condition_is_refused(app, tmp_path):
    from app.task_forms.store import form_problem, save_form
    bad = {'components': [{'type': 'checkbox', 'key': 'a', 'label': 'A'},
                          {'type': 'textarea', 'key': 'why', 'label': 'Por qué', 'conditional': {'hide': '=not(a'}}]}
    with pytest.raises(FormError, match=re.escape("componente 2 (why): la condición «=not(a» no se puede usar")):
        save_form('con_condicion', json.dumps(bad), 'ana')
    (tmp_path / 'mine' / 'con_condicion.json').write_text(json.dumps(bad), encoding='utf-8')
    assert "la condición «=not(a» no se puede usar: se esperaba «)»" in form_problem('con_condicion')
