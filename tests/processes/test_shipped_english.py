"""The shipped diagrams and forms say in English every text they show to people: each named
element its `name_en`, each form text its `_en` version (a deploy only warns; this test insists)."""
import json
from pathlib import Path

import pytest
from lxml import etree

from app.engine.lint.languages import language_problems, untranslated_elements
from app.task_forms.languages import in_language, untranslated

ROOT = Path(__file__).resolve().parents[2]
DIAGRAMS = sorted((ROOT / 'processes').glob('*.bpmn'))
FORMS = sorted((ROOT / 'forms').glob('*.json'))


@pytest.mark.parametrize('path', DIAGRAMS, ids=lambda p: p.name)
def test_every_shown_element_of_a_shipped_diagram_has_an_english_name(path):
    assert untranslated_elements(etree.parse(str(path))) == []


@pytest.mark.parametrize('path', FORMS, ids=lambda p: p.name)
def test_every_text_of_a_shipped_form_has_its_english(path):
    assert untranslated(json.loads(path.read_text(encoding='utf-8'))) == []


def test_a_form_in_english_shows_the_english_texts_and_spanish_where_none():
    form = {'components': [
        {'type': 'radio', 'key': 'ok', 'label': 'Acepta', 'label_en': 'Accepts', 'description': 'Ayuda',
         'values': [{'label': 'Sí', 'label_en': 'Yes', 'value': True}, {'label': 'No', 'value': False}]}]}
    shown = in_language(form, 'en')['components'][0]
    assert (shown['label'], shown['description']) == ('Accepts', 'Ayuda')
    assert [o['label'] for o in shown['values']] == ['Yes', 'No']
    assert in_language(form, 'es') is form and form['components'][0]['label'] == 'Acepta'
    assert untranslated(form) == ['ok.description', 'ok.values[False].label']


def test_lint_warns_of_names_and_form_texts_lacking_english_without_refusing():
    tree = etree.fromstring(
        b'<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
        b'xmlns:camunda="http://camunda.org/schema/1.0/bpmn"><bpmn:process id="p">'
        b'<bpmn:userTask id="t" name="Revisar" camunda:formKey="f"/></bpmn:process></bpmn:definitions>').getroottree()
    problems = language_problems('p.bpmn', tree, ('en',), lambda key, language: ['x.label'])
    assert [p.severity for p in problems] == ['warning', 'warning']
    assert "'name_en'" in problems[0].message and 't' in problems[0].message
    assert "'f'" in problems[1].message and 'x.label' in problems[1].message
    assert language_problems('p.bpmn', tree) == []
