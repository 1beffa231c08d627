"""JUEL as Camunda Modeler writes it: each operator and literal translated to the Python the
sandbox runs (the same text at deploy and at run time), and each form with no Python equivalent
refused at lint with the rewrite to use."""
from pathlib import Path
from types import SimpleNamespace

import pytest

from app.engine.business_days import BusinessCalendar
from app.engine.expressions import CaseScriptEngine, expression_problems, normalize
from tests.engine.test_lint import assert_well_placed, lint_files
from tests.support import flow

CAMUNDA = Path(__file__).resolve().parents[1] / 'diagrams' / 'camunda'

# (JUEL as written, the Python it becomes, data, what it evaluates to)
TRANSLATED = [
    ('${!approved}', 'not approved', {'approved': False}, True),
    ('${a && b}', 'a and b', {'a': True, 'b': False}, False),
    ('${a||b}', 'a or b', {'a': False, 'b': True}, True),
    ('${not approved}', 'not approved', {'approved': True}, False),
    ('${a and b or c}', 'a and b or c', {'a': False, 'b': True, 'c': True}, True),
    ('${x == true}', 'x == True', {'x': True}, True),
    ('${x == false}', 'x == False', {'x': True}, False),
    ('${x == null}', 'x == None', {'x': None}, True),
    ('${empty items}', 'not items', {'items': []}, True),
    ('${not empty items}', 'not not items', {'items': [1]}, True),
    ('${amount eq 5}', 'amount == 5', {'amount': 5}, True),
    ('${amount ne 5}', 'amount != 5', {'amount': 5}, False),
    ('${amount lt 5}', 'amount < 5', {'amount': 4}, True),
    ('${amount gt 5}', 'amount > 5', {'amount': 4}, False),
    ('${amount le 5}', 'amount <= 5', {'amount': 5}, True),
    ('${amount ge 5}', 'amount >= 5', {'amount': 4}, False),
    ('${amount div 2 mod 3}', 'amount / 2 % 3', {'amount': 10}, 2.0),
    ('${ok ? "sí" : "no"}', '("sí" if ok else "no")', {'ok': False}, 'no'),
    ('${a ? 1 : b ? 2 : 3}', '(1 if a else (2 if b else 3))', {'a': False, 'b': False}, 3),
    ('${!a == b}', '(not a) == b', {'a': True, 'b': False}, True),   # JUEL: `!` binds tighter
    ('${!(a || b)}', 'not (a or b)', {'a': False, 'b': False}, True),
    ('${order.amount gt 100}', "order['amount'] > 100", {'order': {'amount': 150}}, True),
    ('${order.client.kind eq "empresa"}', 'order[\'client\'][\'kind\'] == "empresa"',
     {'order': {'client': {'kind': 'empresa'}}}, True),
    ('#{!approved && amount gt 100}', 'not approved and amount > 100', {'approved': False, 'amount': 150}, True),
]

# texts JUEL words must not be translated in: quoted strings, longer names, attributes, keys
UNTOUCHED = [
    ("${status == 'true && false'}", "status == 'true && false'"),
    ('${notified and ordered}', 'notified and ordered'),
    ('${is_empty or null_count}', 'is_empty or null_count'),
    ("${row['eq'] == trueish}", "row['eq'] == trueish"),
    ('${x != y}', 'x != y'),
    ('approved == true', 'approved == true'),  # no wrapper: Python as it stands
    ("${name.upper() == 'A'}", "name.upper() == 'A'"),       # a method call is not a key
    ('${datetime.now().year}', 'datetime.now().year'),      # the sandbox's types keep attributes
    ("${'a.b' == x}", "'a.b' == x"),
]

# (flow in juel_refused.bpmn, the rewrite its message must give)
REFUSED = [
    ('f_get_variable', "use `approved` en lugar de `execution.getVariable('approved')`"),
    ('f_bean', '`riskService.isHighRisk(amount)` llama un método de Java'),
    ('f_size', 'use `len(items)` en lugar de `items.size()`'),
    ('f_is_empty', 'use `not items` en lugar de `items.isEmpty()`'),
    ('f_equals', "use `status == 'abierto'` en lugar de `status.equals('abierto')`"),
    ('f_set_variable', 'asigne `seen = True` en una tarea de script'),
    ('f_business_key', 'el objeto `execution` de Camunda no existe aquí'),
    ('f_dangling_ternary', 'el condicional de JUEL `c ? a : b` está incompleto'),
]


@pytest.fixture(scope='module')
def engine():
    return CaseScriptEngine(BusinessCalendar())


@pytest.mark.parametrize('juel, python, data, value', TRANSLATED)
def test_each_juel_form_is_translated_and_runs_in_the_sandbox(engine, juel, python, data, value):
    assert normalize(juel) == python
    assert expression_problems(juel) == []
    assert engine.evaluate(SimpleNamespace(data=dict(data)), juel) == value


@pytest.mark.parametrize('text, python', UNTOUCHED)
def test_juel_words_inside_strings_and_names_are_left_alone(text, python):
    assert normalize(text) == python


def test_true_compared_at_run_time_no_longer_fails(engine):
    """`${x == true}` passed validate and failed at run time with `true` undefined."""
    assert engine.evaluate(SimpleNamespace(data={'approved': True}), '${approved == true}') is True


@pytest.mark.parametrize('flow_id, rewrite', REFUSED)
def test_each_untranslatable_form_is_refused_with_its_rewrite(flow_id, rewrite):
    path = CAMUNDA / 'juel_refused.bpmn'
    problems = [p for p in lint_files(path) if p.element_id == flow_id]
    assert len(problems) == 1 and problems[0].severity == 'error', [str(p) for p in problems]
    assert rewrite in problems[0].message, problems[0].message
    assert_well_placed(problems[0], path)


def test_every_refused_flow_is_covered():
    assert {p.element_id for p in lint_files(CAMUNDA / 'juel_refused.bpmn')} == {f for f, _ in REFUSED}


def test_python_method_calls_are_not_mistaken_for_java():
    assert expression_problems("${name.upper() == 'A' and data.get('x') is None}") == []


@pytest.mark.parametrize('data, end', [
    ({'approved': False, 'amount': 500, 'priority': None, 'items': []}, 'end_rejected'),
    ({'approved': True, 'amount': 5, 'priority': 'alta', 'items': [1]}, 'end_urgent'),
    ({'approved': True, 'amount': 2000, 'priority': None, 'items': [1]}, 'end_big'),
    ({'approved': True, 'amount': 10, 'priority': None, 'items': []}, 'end_big'),
    ({'approved': True, 'amount': 10, 'priority': 'baja', 'items': [1]}, 'end_small'),
    ({'approved': False, 'amount': 50, 'priority': None, 'items': []}, 'end_other'),
])
def test_a_diagram_with_juel_conditions_deploys_and_routes_each_case(app, data, end):
    assert lint_files(CAMUNDA / 'juel_gateway.bpmn') == []
    flow.deploy('camunda/juel_gateway.bpmn')
    case_id = flow.start('juel_gateway', data)
    assert flow.case_state(case_id) == 'completed'
    ends = [e for kind, e in flow.history(case_id) if kind == 'element_completed' and e.startswith('end_')]
    assert ends == [end]
