"""Hostile diagrams: each escape attempt is refused by `pqrsf validate`, by the web deploy and,
written straight into a stored version (as if deployed before the rule existed), at run time as
an incident on the element that holds it. `tests/diagrams/hostile/` has one file per attempt;
each puts its text in one element `evil_<file name>` after a first user task."""
from pathlib import Path

import pytest
from sqlalchemy import select

from app.engine.errors import StepFailed
from app.engine.models import Incident, ProcessVersion
from tests.support import flow
from tests.support.web import csrf_token, demo_users, login
from tests.support.cli import pqrsf

HOSTILE = Path(__file__).resolve().parents[1] / 'diagrams' / 'hostile'

# file -> the construct the refusal must name
EXPECTED = {
    'script_import': "'import'",
    'script_dunder_import': "'__import__'",
    'script_subclasses': "'.__class__'",
    'script_open': "'open'",
    'script_eval': "'eval'",
    'script_exec': "'exec'",
    'script_getattr': "'getattr'",
    'script_globals': "'globals'",
    'script_vars_type': "'vars'",
    'script_compile': "'compile'",
    'script_format_walk': "'.format'",
    'script_generator_frame': "'.gi_frame'",
    'script_function_globals': "'.__globals__'",
    'script_def_class': "'def'",
    'script_try_with': "'try'",
    'condition_import': "'__import__'",
    'condition_class': "'.__class__'",
    'timer_getattr': "'getattr'",
    'timer_eval': "'eval'",
    'input_open': "'open'",
    'input_map_globals': "'globals'",
    'assignee_import': "'__import__'",
    'cardinality_mro': "'.__class__'",
}


def _text(name):
    return (HOSTILE / f'{name}.bpmn').read_text(encoding='utf-8')


def test_the_set_is_complete():
    assert sorted(p.stem for p in HOSTILE.glob('*.bpmn')) == sorted(EXPECTED)
    assert len(EXPECTED) >= 15


def test_pqrsf_validate_refuses_every_hostile_diagram_naming_element_and_construct(app):
    result = pqrsf('validate', *sorted(str(p) for p in HOSTILE.glob('*.bpmn')))
    assert result.returncode == 1, result.stdout
    lines = result.stdout.splitlines()
    for name, construct in EXPECTED.items():
        mine = [line for line in lines if f'{name}.bpmn:' in line and '(aviso)' not in line]  # not texts lacking English
        assert mine and all(f'evil_{name}:' in line for line in mine), (name, mine)
        assert any(construct in line and 'no está permitid' in line for line in mine), (name, mine)


def test_the_web_deploy_refuses_every_hostile_diagram_and_stores_nothing(app):
    demo_users()
    client = login(app.test_client(), 'dueno')
    headers = {'X-CSRFToken': csrf_token(client, '/procesos/')}
    for name, construct in EXPECTED.items():
        response = client.post('/procesos/desplegar', json={'file_name': f'{name}.bpmn', 'xml': _text(name)},
                               headers=headers)
        assert response.status_code == 422, name
        problems = [p for p in response.get_json()['problems'] if p['severity'] == 'error']
        assert {p['element_id'] for p in problems} == {f'evil_{name}'}, (name, problems)
        assert any(construct in p['message'] for p in problems), (name, problems)
    assert flow.read(lambda s: s.scalars(select(ProcessVersion)).all()) == []


@pytest.mark.parametrize('name', sorted(EXPECTED))
def test_a_stored_hostile_version_is_refused_at_run_time_as_an_incident(app, name):
    case_id = flow.start(flow.store_unchecked(f'hostile_{name}', f'{name}.bpmn', _text(name)))
    with pytest.raises(StepFailed):
        flow.complete(case_id, f'hostile_{name}_review')
    incidents = flow.read(lambda s: [(i.element_id, i.message) for i in s.scalars(
        select(Incident).where(Incident.case_id == case_id))])
    assert len(incidents) == 1, incidents
    element_id, message = incidents[0]
    # a flow is not a task: its condition fails on the gateway that evaluates it
    assert element_id == (f'hostile_{name}_gw' if name.startswith('condition_') else f'evil_{name}')
    assert EXPECTED[name] in message and 'no está permitid' in message
    assert flow.open_tasks(case_id) == [f'hostile_{name}_review']  # the case stayed where it was
