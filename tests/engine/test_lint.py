"""The linter names each problem precisely: file, line, element id and a specific message.

Every diagram in tests/diagrams/broken/ is a small, otherwise valid process with one deliberate
mistake; each case says which element must be named and what the message must say.
"""
import os
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import etree

from app.engine.lint import Linter, Problem

ROOT = Path(__file__).resolve().parents[2]
DIAGRAMS = ROOT / 'tests' / 'diagrams'
BROKEN = DIAGRAMS / 'broken'
VALID = [DIAGRAMS / 'engine_tour.bpmn', DIAGRAMS / 'engine_tour_sub.bpmn']
PQRSF = Path(sys.executable).parent / 'pqrsf'


def make_linter(**kwargs):
    return Linter(topics={'test.record', 'note'},
                  form_problem=lambda key: None if key == 'review' else f"No existe el formulario '{key}'",
                  **kwargs)


def lint_files(*paths, **kwargs):
    return make_linter(**kwargs).lint({str(path): Path(path).read_bytes() for path in paths})


def element_lines(path, element_id):
    """First and last line of the element with this id (its start tag down to its last child)."""
    found = etree.parse(str(path)).getroot().xpath('//*[@id=$id]', id=element_id)
    assert found, f'{element_id} no está en {path.name}: el caso de prueba está mal escrito'
    lines = [node.sourceline for node in found[0].iter() if isinstance(node.tag, str)]
    return min(lines), max(lines)


def assert_well_placed(problem, path):
    """A problem tied to an element points at a line of that element, and prints as file:line: id:."""
    assert problem.file == str(path)
    assert isinstance(problem.line, int) and problem.line > 0, problem
    first, last = element_lines(path, problem.element_id)
    assert first <= problem.line <= last, f'{problem} no está en las líneas {first}-{last} de {problem.element_id}'
    label = ' (aviso)' if problem.severity == 'warning' else ''
    assert f'{path}:{problem.line}: {problem.element_id}{label}: ' in str(problem)


# (file, element the problem must name, fragment of its message, how many problems in all)
CASES = [
    ('reserved_id.bpmn', 'Start', "El id 'Start' está reservado por el motor", 1),
    ('unknown_topic.bpmn', 'notificar', "No hay ningún handler para el tema 'no.such.topic'", 1),
    ('service_without_topic.bpmn', 'registrar_reclamo',
     'La tarea de servicio necesita camunda:type="external" y un camunda:topic', 1),
    ('missing_form.bpmn', 'clasificar', "No existe el formulario 'does_not_exist'", 1),
    ('bad_timer_duration.bpmn', 'esperar_documentos',
     "La expresión del temporizador (timeDuration) no se puede evaluar: 'add_business_days(now(),': no es Python válido", 1),
    ('bad_timer_cycle.bpmn', 'recordar', "timeCycle 'R3/PTXH' no es ISO 8601 válido", 1),
    ('bad_condition.bpmn', 'f_publicar', "La condición no se puede evaluar: 'approved ==': no es Python válido (línea 1)", 1),
    ('dangling_flow.bpmn', 'f_cerrar_fin', "La conexión apunta a 'fin_que_no_existe' (targetRef), que no existe", 1),
    ('no_outgoing.bpmn', 'asignar', 'el camino termina aquí sin evento de fin (un fin implícito', 1),
    ('unresolved_call.bpmn', 'trasladar', "llama al proceso 'nowhere', que no está ni en estos archivos ni desplegado", 1),
    ('gateway_without_condition.bpmn', 'f_procede_si',
     "La salida de la compuerta 'procede' no tiene condición ni es la salida por defecto", 2),
    ('gateway_without_condition.bpmn', 'f_procede_no',
     "La salida de la compuerta 'procede' no tiene condición ni es la salida por defecto", 2),
    ('bad_script.bpmn', 'calcular_plazo', 'El script no se puede ejecutar: no es Python válido (línea 1)', 1),
    ('not_executable.bpmn', 'broken_not_executable', 'isExecutable="true"', 1),
    ('schema_violation.bpmn', 'elemento_inventado', 'No cumple el esquema BPMN 2.0', 1),
    ('bad_timer_literal.bpmn', 'esperar_respuesta', "timeDuration 'PT5X' no es ISO 8601 válido", 1),
    ('bad_quoted_timer.bpmn', 'esperar_respuesta', "timeDuration 'P3X' no es ISO 8601 válido", 1),
    ('zero_timer_cycle.bpmn', 'recordar', "timeCycle 'R/P'", 1),
    # SpiffWorkflow drops a flow without an id (found in Camunda's own test diagrams)
    ('flow_without_id.bpmn', 'flow_without_id', "La conexión de 'start' a 'finish' no tiene id", 1),
]


@pytest.mark.parametrize('filename, element_id, fragment, count', CASES)
def test_broken_diagram_names_element(filename, element_id, fragment, count):
    path = BROKEN / filename
    problems = lint_files(path)
    assert all(isinstance(problem, Problem) for problem in problems)
    matching = [p for p in problems if p.element_id == element_id and fragment in p.message]
    assert matching, f'se esperaba {element_id}: «{fragment}»; se obtuvo {[str(p) for p in problems]}'
    assert len(problems) == count, [str(p) for p in problems]
    for problem in problems:
        assert_well_placed(problem, path)


def test_bad_xml_is_reported_with_a_line_and_no_element():
    path = BROKEN / 'bad_xml.bpmn'
    problems = lint_files(path)
    assert len(problems) == 1, [str(p) for p in problems]
    problem = problems[0]
    assert problem.file == str(path)
    assert problem.element_id is None
    assert problem.message.startswith('XML mal formado: ')
    assert 'userTask' in problem.message          # libxml2 names the tag left open...
    assert isinstance(problem.line, int) and problem.line >= 10   # ...and the line is at or after it
    assert f'{path}:{problem.line}: -: XML mal formado' in str(problem)


def case_file(case):
    return case[0]


def test_every_broken_file_is_covered():
    covered = {case_file(case) for case in CASES} | {'bad_xml.bpmn'}
    assert covered == {path.name for path in BROKEN.glob('*.bpmn')}
    assert len(covered) >= 12


def test_valid_diagrams_have_no_problems():
    assert lint_files(*VALID) == []


def test_call_activity_to_a_process_in_no_file_is_reported():
    problems = lint_files(VALID[0])
    assert [(p.element_id, "llama al proceso 'engine_tour_sub'" in p.message) for p in problems] == [('call_sub', True)]
    assert_well_placed(problems[0], VALID[0])


def test_call_activity_to_a_deployed_process_is_accepted():
    assert lint_files(VALID[0], deployed_process_ids={'engine_tour_sub'}) == []


def test_several_files_report_every_problem_of_every_file():
    paths = sorted(BROKEN.glob('*.bpmn'))
    together = lint_files(*paths)
    one_by_one = [problem for path in paths for problem in lint_files(path)]
    assert sorted(together, key=str) == sorted(one_by_one, key=str)
    reported = {problem.file for problem in together}
    expected = {str(BROKEN / case_file(case)) for case in CASES if not getattr(case, 'marks', None)}
    expected |= {str(BROKEN / name) for name in ('bad_xml.bpmn', 'not_executable.bpmn', 'schema_violation.bpmn')}
    assert expected <= reported
    by_file = {}
    for problem in together:
        by_file.setdefault(problem.file, []).append(problem.element_id)
    assert by_file[str(BROKEN / 'gateway_without_condition.bpmn')] == ['f_procede_si', 'f_procede_no']


# ---- the `pqrsf validate` command ----------------------------------------------------------------

def run_validate(tmp_path, *paths):
    env = dict(os.environ)
    env.pop('DATABASE_URL', None)
    env.update({
        'PQRSF_INSTANCE': str(tmp_path / 'instance'),
        'PQRSF_FORMS_DIRS': str(ROOT / 'tests' / 'forms'),
        'PQRSF_HANDLER_MODULES': 'tests.support.handlers',
        # the console script does not put the project root on sys.path; tests.support needs it
        'PYTHONPATH': os.pathsep.join(filter(None, [str(ROOT), env.get('PYTHONPATH')])),
    })
    return subprocess.run([str(PQRSF), 'validate', *map(str, paths)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def test_cli_validate_lists_every_problem(tmp_path):
    files = ['tests/diagrams/broken/unknown_topic.bpmn', 'tests/diagrams/broken/gateway_without_condition.bpmn']
    result = run_validate(tmp_path, *files)
    assert result.returncode == 1, result.stdout + result.stderr
    lines = [line for line in result.stdout.strip().splitlines() if '(aviso)' not in line]  # not texts lacking English
    expected = [(files[0], 'notificar', "no.such.topic"),
                (files[1], 'f_procede_si', "compuerta 'procede'"),
                (files[1], 'f_procede_no', "compuerta 'procede'")]
    assert len(lines) == len(expected), result.stdout
    for line, (file, element_id, fragment) in zip(lines, expected):
        assert line.startswith(f'{file}:'), line
        assert f': {element_id}: ' in line and fragment in line, line


def test_cli_validate_accepts_the_valid_diagrams(tmp_path):
    assert (ROOT / 'tests' / 'support' / 'handlers.py').exists(), 'falta tests/support/handlers.py (tema test.record)'
    result = run_validate(tmp_path, 'tests/diagrams/engine_tour.bpmn', 'tests/diagrams/engine_tour_sub.bpmn')
    assert result.returncode == 0, result.stdout + result.stderr
    # warnings only (its names lack English): it deploys
    assert result.stdout.strip().splitlines()[-1] == '2 archivo(s) sin errores.'


def test_a_quoted_constant_timer_is_checked_as_iso_and_a_valid_one_passes(tmp_path):
    """A timer written as a quoted string is its value as it stands: checked at deploy (the
    broken case above), and accepted when it is valid ISO 8601."""
    good = tmp_path / 'good_quoted_timer.bpmn'
    good.write_text((BROKEN / 'bad_quoted_timer.bpmn').read_text(encoding='utf-8').replace('"P3X"', '"PT1H"'),
                    encoding='utf-8')
    assert lint_files(good) == []
