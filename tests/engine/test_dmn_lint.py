"""Lint of decision tables: FEEL cells translated or refused naming table, rule and column;
hostile text refused before it is stored; each decisionRef resolved here or among deployed."""
import pytest

from app.engine import feel
from app.engine.lint import Linter, errors
from tests.support import flow

DMN = flow.DIAGRAMS / 'dmn'


def _lint(*names, deployed=None):
    linter = Linter()
    linter.deployed_decisions = deployed or {}
    return linter.lint({name: (DMN / name).read_bytes() for name in names})


@pytest.mark.parametrize('cell, python', [
    ('-', None), ('', None), ('  ', None),
    ('"queja"', "dmninputexpr == 'queja'"),
    ('"a","b"', "(dmninputexpr == 'a') or (dmninputexpr == 'b')"),
    ('< 10', 'dmninputexpr < 10'), ('>= -2.5', 'dmninputexpr >= -2.5'),
    ('[1..5]', '1 <= dmninputexpr <= 5'), (']1..5[', '1 < dmninputexpr < 5'),
    ('(1..limit]', '1 < dmninputexpr <= limit'),
    ('not("x", "y")', "not ((dmninputexpr == 'x') or (dmninputexpr == 'y'))"),
    ('true', 'dmninputexpr == True'), ('null', 'dmninputexpr == None'),
    ('"¿sí?, "', r"dmninputexpr == '¿sí\x3f, '"),  # a ? that SpiffWorkflow would rewrite
])
def test_supported_input_cells_are_translated(cell, python):
    assert feel.input_entry(cell) == python


@pytest.mark.parametrize('cell', ['date("2026-01-01")', "__import__('os')", '().__class__',
                                  '"open', '1,,2', 'a.b', 'x > 1 and x < 2'])
def test_other_input_cells_are_refused(cell):
    with pytest.raises(feel.FeelError):
        feel.input_entry(cell)


@pytest.mark.parametrize('cell, python', [('"alta"', "'alta'"), ('5', '5'), ('true', 'True'),
                                          ('', 'None'), ('term * 2', 'term * 2')])
def test_output_cells_are_literals_or_expressions(cell, python):
    assert feel.output_entry(cell) == python


def test_the_triage_diagram_and_its_table_pass(app):
    assert _lint('triage.bpmn', 'priority.dmn') == []


def test_a_decision_ref_to_a_missing_table_is_refused():
    [problem] = errors(_lint('triage.bpmn'))
    assert (problem.file, problem.element_id, problem.line) == ('triage.bpmn', 'decide_priority', 9)
    assert "'priority'" in problem.message and 'ni desplegada' in problem.message


def test_a_decision_ref_to_a_deployed_table_passes():
    deployed = {'priority': (DMN / 'priority.dmn').read_text(encoding='utf-8')}
    assert errors(_lint('triage.bpmn', deployed=deployed)) == []


@pytest.mark.parametrize('name, rule, needle', [
    ('hostile_cell.dmn', 'evil_cell_rule', "regla 1, columna de entrada 'Tipo': «__import__"),
    ('hostile_output.dmn', 'evil_output_rule', "regla 1, columna de salida 'Resultado'"),
])
def test_hostile_cells_are_refused_naming_table_rule_and_column(name, rule, needle):
    problems = errors(_lint(name))
    assert {(p.file, p.element_id) for p in problems} == {(name, rule)}, problems
    assert needle in problems[0].message and problems[0].line


def test_a_hostile_input_expression_is_refused_naming_the_column():
    [problem] = errors(_lint('hostile_input.dmn'))
    assert problem.element_id == 'hostile_table' and problem.line == 7
    assert "columna de entrada 'Tipo'" in problem.message and 'no está permitid' in problem.message


def test_unsupported_feel_hit_policy_and_output_name_are_refused():
    messages = [p.message for p in errors(_lint('unsupported.dmn'))]
    assert any('RULE ORDER no está soportada' in m for m in messages)
    assert any("nombre de salida '_term'" in m for m in messages)
    assert any("Tabla 'Días hábiles', regla 1, columna de entrada 'Fecha': «date(\"2026-01-01\")» "
               "no está soportado (no es un literal ni un nombre de variable)" in m and 'se admite' in m for m in messages), messages


def test_pqrsf_validate_and_deploy_take_dmn_files_from_a_folder(app, tmp_path):
    from tests.support.cli import pqrsf
    refused = pqrsf('validate', str(DMN / 'unsupported.dmn'), str(DMN / 'hostile_cell.dmn'))
    assert refused.returncode == 1, refused.stdout
    assert any(line.startswith(f'{DMN}/hostile_cell.dmn:11: evil_cell_rule: ') and '__import__' in line
               for line in refused.stdout.splitlines()), refused.stdout
    folder = tmp_path / 'processes'
    folder.mkdir()
    (folder / 'triage.bpmn').write_bytes((DMN / 'triage.bpmn').read_bytes())
    (folder / 'priority.dmn').write_bytes((DMN / 'priority.dmn').read_bytes())
    deployed = pqrsf('deploy', str(folder), env={'PQRSF_FORMS_DIRS': str(flow.ROOT / 'tests' / 'forms')})
    assert deployed.returncode == 0, deployed.stderr
    assert 'priority v1 (nueva versión)' in deployed.stdout and 'triage v1 (nueva versión)' in deployed.stdout


def test_result_variable_and_version_binding_are_warned_not_refused():
    text = (DMN / 'triage.bpmn').read_text(encoding='utf-8').replace(
        'camunda:decisionRef="priority"',
        'camunda:decisionRef="priority" camunda:resultVariable="r" camunda:decisionRefBinding="version"')
    linter = Linter()
    problems = linter.lint({'triage.bpmn': text, 'priority.dmn': (DMN / 'priority.dmn').read_bytes()})
    problems = [p for p in problems if p.element_id == 'decide_priority']
    assert [p.severity for p in problems] == ['warning', 'warning'], problems
    assert 'resultVariable se ignora' in problems[1].message
