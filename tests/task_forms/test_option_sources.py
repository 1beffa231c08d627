"""A select or radio whose options come from the app (form-js `valuesKey`, here the option
source `areas`: the active areas): the page offers them, the server accepts exactly them at the
time of the submission, the API's form lists them, lint and the form editor accept such a form
and refuse one naming a source the app does not have."""
import json
import re

from app.accounts.areas import update_area
from app.engine.models import Case
from app.task_forms.openapi import object_schema
from app.task_forms.options import option_sources, with_options
from app.task_forms.rendering import render_form
from app.task_forms.schema import parse_submission
from app.task_forms.store import definition_problem, form_problem, load_form
from tests.support import flow
from tests.support.web import basic, demo_users, login, post_form

ACTIVE = ['calidad', 'comercial', 'facturacion', 'operaciones', 'talento_humano']


def _offered(html, name):
    block = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', html, re.S).group(1)
    return [v for v in re.findall(r'<option value="([^"]*)"', block) if v]


def test_the_options_are_the_active_areas_when_shown_and_when_checked(app):
    demo_users()
    definition = load_form('area_select')
    assert 'values' not in definition['components'][0]  # the file names the source only
    html = str(render_form(definition))
    assert _offered(html, 'responsible_area') == ACTIVE
    assert 'value="talento_humano"' in html.split('name="responsible_area"')[-1]  # the radio too
    assert '>Talento humano<' in html

    data, errors = parse_submission(definition, {'responsible_area': 'facturacion', 'second_area': 'calidad'})
    assert errors == {} and data == {'responsible_area': 'facturacion', 'second_area': 'calidad'}
    _data, errors = parse_submission(definition, {'responsible_area': 'contabilidad'})
    assert errors == {'responsible_area': ['Elija una de las opciones.']}
    _data, errors = parse_submission(definition, {})
    assert errors == {'responsible_area': ['Este campo es obligatorio.']}

    # a deactivated area is neither offered nor accepted from then on
    update_area(code='facturacion', active=False)
    assert 'facturacion' not in _offered(str(render_form(definition)), 'responsible_area')
    _data, errors = parse_submission(definition, {'responsible_area': 'facturacion'})
    assert errors == {'responsible_area': ['Elija una de las opciones.']}

    resolved = with_options(definition)
    assert 'valuesKey' not in resolved['components'][0] and with_options(resolved) is resolved
    assert object_schema(definition['components'])['properties']['responsible_area']['type'] == 'string'


def test_lint_accepts_a_known_source_and_names_an_unknown_one(app):
    assert 'areas' in option_sources
    assert form_problem('area_select') is None
    definition = load_form('area_select')
    definition['components'][0]['valuesKey'] = 'sedes_inexistentes'
    problem = definition_problem('area_select', definition, strict=True)
    assert 'responsible_area' in problem and 'sedes_inexistentes' in problem and 'areas' in problem
    # a stored form read at run time is not refused for it: it just offers nothing
    assert definition_problem('area_select', definition) is None
    assert _offered(str(render_form(definition)), 'responsible_area') == []
    definition['components'][0]['valuesKey'] = 7
    assert "'valuesKey' debe ser un texto" in definition_problem('area_select', definition)
    del definition['components'][0]['valuesKey']
    assert "necesita una lista 'values'" in definition_problem('area_select', definition)


def test_a_task_with_an_area_select_is_worked_through_the_page_and_the_api(site):
    flow.deploy('areas/area_form.bpmn')  # deploy's lint accepts the valuesKey form
    case_id = flow.start('area_form')
    task_id = flow.open_task(case_id, 'af_choose').id
    lider = login(site.test_client(), 'lider')
    page = lider.get(f'/tareas/{task_id}').get_data(as_text=True)
    assert _offered(page, 'responsible_area') == ACTIVE

    detail = site.test_client().get(f'/api/tasks/{task_id}', headers=basic('lider')).get_json()
    component = detail['form']['components'][0]
    assert [o['value'] for o in component['values']] == ACTIVE and 'valuesKey' not in component

    refused = post_form(lider, f'/tareas/{task_id}', {'responsible_area': 'contabilidad'})
    assert refused.status_code == 422
    assert re.search(r'id="field-responsible_area-error">Elija una de las opciones\.<', refused.get_data(as_text=True))
    bad_api = site.test_client().post(f'/api/tasks/{task_id}/complete', json={'responsible_area': 'nada'},
                                      headers=basic('lider'))
    assert bad_api.status_code == 422 and set(bad_api.get_json()['errors']['json']) == {'responsible_area'}
    assert post_form(lider, f'/tareas/{task_id}', {'responsible_area': 'calidad'}).status_code == 302
    assert flow.read(lambda s: (s.get(Case, case_id).state)) == 'completed'
    assert ('task_completed', 'af_choose') in flow.history(case_id)


def test_the_form_editor_saves_a_values_key_form_and_refuses_an_unknown_source(site):
    owner = login(site.test_client(), 'dueno')
    definition = load_form('area_select')
    definition['id'] = 'areas_copia'
    url = '/procesos/formularios/areas_copia?new=1'
    saved = post_form(owner, '/procesos/formularios/areas_copia', {'definition': json.dumps(definition),
                                                                   'action': 'save'}, page=url)
    assert saved.status_code == 302, saved.get_data(as_text=True)[-1500:]
    preview = owner.get('/procesos/formularios/areas_copia').get_data(as_text=True)
    assert 'value="operaciones"' in preview
    definition['components'][0]['valuesKey'] = 'desconocida'
    refused = post_form(owner, '/procesos/formularios/areas_copia', {'definition': json.dumps(definition),
                                                                     'action': 'save'})
    assert refused.status_code == 422 and 'desconocida' in refused.get_data(as_text=True)


def test_before_any_area_is_listed_the_classification_form_offers_its_own_list(app, monkeypatch):
    """A new installation whose admin has not listed areas yet can still classify a case."""
    monkeypatch.setitem(option_sources, 'areas', lambda: [])
    definition = load_form('clasificacion')
    shipped = [o['value'] for c in definition['components'] if c.get('key') == 'responsible_area'
               for o in c['values']]
    assert shipped and _offered(str(render_form(definition)), 'responsible_area') == shipped
    _data, errors = parse_submission(definition, {'responsible_area': shipped[0]})
    assert 'responsible_area' not in errors
