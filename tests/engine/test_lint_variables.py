"""Lint warns when a text reads a case variable that no earlier step produces on every path.

Each diagram in tests/diagrams/dataflow/ shows one construct; the ones with a defect get one
warning naming the element, the variable and a path along which nothing produces it."""
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from app.engine.business_days import BusinessCalendar
from app.engine.lint import WARNING, Linter, errors
from app.engine.lint.names import PROVIDED, ScriptNames, expression_reads

ROOT = Path(__file__).resolve().parents[2]
DATAFLOW = ROOT / 'tests' / 'diagrams' / 'dataflow'
FORMS = {'review': {'decision', 'comment'}}
OUTPUTS = {'test.record': {'record_id'}}


def make_linter(forms=FORMS, outputs=OUTPUTS, **kwargs):
    return Linter(topics={'test.record', 'other.topic'}, form_problem=lambda key: None,
                  form_fields=forms.get, handler_outputs=outputs.get, **kwargs)


def lint(name, linter=None, replace=None):
    content = (DATAFLOW / name).read_bytes()
    if replace:
        content = content.replace(*replace)
    return (linter or make_linter()).lint({name: content})


def variable_of(problem) -> str:
    return re.search(r"lee '([^']+)'", problem.message).group(1)


def element_lines(name, element_id):
    text = (DATAFLOW / name).read_text(encoding='utf-8').splitlines()
    first = next(i for i, line in enumerate(text, 1) if f'id="{element_id}"' in line)
    closing = next(i for i, line in enumerate(text[first - 1:], first)
                   if '/>' in line or '</bpmn:' in line)
    return first, closing


# (diagram, element named, the whole message)
WARNED = [
    ('no_producer.bpmn', 'f_x', "La condición de 'f_x' lee 'approved', que ningún paso anterior "
                                "produce en el camino desde 'start' por 'task_a'."),
    ('one_branch.bpmn', 'f_approved', "La condición de 'f_approved' lee 'approved', que ningún paso "
                                      "anterior produce en el camino desde 'start' por 'skip'."),
    ('loop.bpmn', 'bump', "El script de 'bump' lee 'last', que ningún paso anterior produce en el "
                          "camino desde 'start' por 'init'."),
    ('boundary.bpmn', 'remind', "El script de 'remind' lee 'decision', que ningún paso anterior "
                                "produce en el camino desde 'start' por 'review', 'late'."),
    ('caller.bpmn', 'work', "El script de 'work' lee 'ghost', que ningún paso anterior produce en "
                            "el camino desde 'called_start'."),
    ('subprocess.bpmn', 'greet', "El script de 'greet' lee 'suffix', que ningún paso anterior "
                                 "produce en el camino desde 'sub_start'."),
]


@pytest.mark.parametrize('name, element_id, message', WARNED, ids=[w[0] for w in WARNED])
def test_a_variable_no_earlier_step_produces_is_one_warning_naming_element_and_path(name, element_id, message):
    problems = lint(name)
    assert [(p.element_id, p.message, p.severity) for p in problems] == [(element_id, message, WARNING)]
    assert errors(problems) == []  # a warning does not refuse the deploy
    first, last = element_lines(name, element_id)
    assert first <= problems[0].line <= last and problems[0].file == name


@pytest.mark.parametrize('name', ['both_branches.bpmn', 'producers.bpmn', 'parallel.bpmn', 'unknown.bpmn'])
def test_variables_produced_on_every_path_or_by_unknown_steps_are_not_warned(name):
    assert lint(name) == []


# Each producer of producers.bpmn, taken away, leaves its variable unproduced (so each counted).
TAKEN_AWAY = [
    ('the form field', {'forms': {'review': {'comment'}}}, None, 'decision'),
    ('the start data', {}, (b'value="client_email, items"', b'value="items"'), 'client_email'),
    ("the handler's outputs", {'outputs': {'test.record': set()}}, None, 'record_id'),
    ('the script', {}, (b'total = len(items)', b'count = len(items)'), 'total'),
    ('the output parameter', {}, (b'name="mapped_total"', b'name="other_total"'), 'mapped_total'),
    ("the message's result variable", {}, (b'name="answer"', b'name="reply"'), 'answer'),
    ('the element variable', {}, (b'camunda:elementVariable="item"', b'camunda:elementVariable="row"'),
     'item'),
]


@pytest.mark.parametrize('producer, options, replace, variable', TAKEN_AWAY, ids=[t[0] for t in TAKEN_AWAY])
def test_each_kind_of_producer_counts(producer, options, replace, variable):
    problems = lint('producers.bpmn', make_linter(**options), replace)
    assert problems and all(p.severity == WARNING for p in problems)
    assert {variable_of(p) for p in problems} == {variable}


def test_a_variable_a_script_deletes_is_no_longer_there():
    problems = lint('both_branches.bpmn', replace=(b'approved = False', b'approved = False\ndel approved'))
    assert [(p.element_id, variable_of(p)) for p in problems] == [('f_approved', 'approved')]
    assert "por 'skip'" in problems[0].message


def test_start_data_can_come_from_the_app_instead_of_the_diagram():
    replace = (b'value="client_email, items"', b'value="items"')
    given = make_linter(start_data={'producers': {'client_email'}})
    assert lint('producers.bpmn', given, replace) == []


def test_a_called_process_starts_with_what_every_call_site_passes():
    # the caller no longer sets `customer`: the called process no longer starts with it
    problems = lint('caller.bpmn', replace=(b"customer = 'Ana'", b"client = 'Ana'"))
    assert sorted((p.element_id, variable_of(p)) for p in problems) == [
        ('f_yes', 'customer'), ('work', 'customer'), ('work', 'ghost')]


def test_an_unknown_form_or_handler_may_produce_anything():
    assert lint('no_producer.bpmn', make_linter(forms={})) == []  # task_a's form is not known
    assert lint('producers.bpmn', make_linter(outputs={})) == []


# ---- what a text reads and writes -------------------------------------------------------------

@pytest.mark.parametrize('text, reads', [
    ("${case_type == 'F'}", {'case_type'}),
    ("${client_answer['decision'] == 'accept'}", {'client_answer'}),
    ('business_deadline(now(), 5)', set()),
    ('[a.owner for a in actions if a.done and len(a.owner) > limit]', {'actions', 'limit'}),
    ('sorted(items, key=lambda item: item[field])', {'items', 'field'}),
    ('datetime.now() - timedelta(days=days)', {'days'}),
    ('PT1H', set()),
    ('R/P3D', set()),
    ('not valid (', set()),  # reported by the syntax checks, not here
])
def test_an_expression_reads_its_free_names_minus_the_sandbox_names(text, reads):
    assert expression_reads(text) == reads


def test_a_script_reads_what_it_uses_before_assigning_it_and_writes_what_it_assigns():
    names = ScriptNames('count = count + 1\ntotal = 0\nfor item in items:\n    total += item\n'
                        'summary = f"{total} {label}"\ndata[key] = summary\ndel old')
    assert names.reads == {'count', 'items', 'label', 'data', 'key', 'old'}
    assert names.writes == {'count', 'total', 'item', 'summary'}
    assert names.deletes == {'old'}


def test_the_names_lint_leaves_out_are_the_names_the_sandbox_defines():
    """functions.py runs only in the sandbox's child, so its names are read the way the child does."""
    sandbox = ROOT / 'app' / 'engine' / 'sandbox'
    code = ('import json, sys; sys.path[:0] = [sys.argv[1], sys.argv[2]]; import functions; '
            'print(json.dumps(sorted(set(functions.names(json.loads(sys.argv[3]))) - {"__builtins__"}'
            ' | set(functions.SAFE_BUILTINS))))')
    out = subprocess.run([sys.executable, '-c', code, str(sandbox), str(sandbox.parent),
                          json.dumps(BusinessCalendar().settings())],
                         capture_output=True, text=True, check=True).stdout
    assert set(json.loads(out)) == PROVIDED
