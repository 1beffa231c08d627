"""Camunda 7 diagrams as they come: paths BPMN lets end without an end event, event subprocesses,
compensation, Java delegates and connectors, listeners and job flags. Each construct has its own
diagram in tests/diagrams/camunda/, accepted (and run), refused with its message, or warned about."""
from pathlib import Path

import pytest

from app.engine.lint import errors
from tests.engine.test_lint import assert_well_placed, lint_files
from tests.support import flow

CAMUNDA = Path(__file__).resolve().parents[1] / 'diagrams' / 'camunda'


def problems_of(name):
    path = CAMUNDA / name
    found = lint_files(path)
    for problem in found:
        assert_well_placed(problem, path)
    return found


# ---- boundary paths, event subprocesses, compensation ------------------------------------------

def test_a_boundary_path_without_end_event_and_an_event_subprocess_are_accepted():
    assert problems_of('boundary_paths.bpmn') == []


def test_the_boundary_path_ends_the_case_implicitly_and_the_event_subprocess_runs(app):
    flow.deploy('camunda/boundary_paths.bpmn')
    case_id = flow.start('boundary_paths')
    flow.engine().deliver_message(case_id, 'note', {'text': 'llamó'}, 'cliente')  # non-interrupting
    assert flow.open_tasks(case_id) == ['paths_review']
    assert ('element_completed', 'store_note') in flow.history(case_id)
    flow.engine().deliver_message(case_id, 'cancel', {}, 'cliente')   # interrupting boundary event
    assert flow.case_state(case_id) == 'completed'
    steps = flow.history(case_id)
    assert ('element_completed', 'log_cancel') in steps and ('element_completed', 'paths_end') not in steps


def test_an_error_path_that_ends_without_end_event_is_accepted_and_completes_the_case(app):
    assert problems_of('error_path.bpmn') == []
    flow.deploy('camunda/error_path.bpmn')
    case_id = flow.start('error_path')
    assert flow.case_state(case_id) == 'completed'
    steps = flow.history(case_id)
    assert ('element_completed', 'err_note') in steps and ('element_completed', 'err_end') not in steps


def test_a_cancel_path_that_ends_without_end_event_is_accepted_and_completes_the_case(app):
    """A transaction cancelled from inside: its cancel boundary path runs, and ends implicitly."""
    assert problems_of('cancel_path.bpmn') == []
    flow.deploy('camunda/cancel_path.bpmn')
    case_id = flow.start('cancel_path')
    assert flow.case_state(case_id) == 'completed'
    steps = flow.history(case_id)
    assert ('element_completed', 'can_note') in steps and ('element_completed', 'can_end') not in steps


def test_a_path_in_a_subprocess_without_end_event_is_refused_because_it_would_stall():
    found = problems_of('open_subprocess_paths.bpmn')
    assert [(p.element_id, p.severity) for p in found] == [('on_ping', 'error'), ('count_ping', 'error')]
    assert 'El subproceso de evento necesita un evento de fin' in found[0].message
    assert 'dentro de un subproceso el motor solo da por terminado el subproceso al llegar a un evento de fin' \
        in found[1].message


def test_a_main_path_without_end_event_is_only_a_warning():
    found = lint_files(Path(__file__).resolve().parents[1] / 'diagrams' / 'broken' / 'no_outgoing.bpmn')
    assert [(p.element_id, p.severity) for p in found] == [('asignar', 'warning')]


def test_compensation_is_refused_by_name_and_its_handler_is_not_called_unconnected():
    found = problems_of('compensation.bpmn')
    assert [(p.element_id, p.severity) for p in found] == [('undo_review', 'error')]
    assert 'Los eventos de compensación no se ejecutan en este motor' in found[0].message
    assert not any('conexión' in p.message for p in found)


# ---- Java delegates and connectors --------------------------------------------------------------

JAVA = [
    ('by_class', "La tarea de servicio usa camunda:class='org.acme.SendMail'"),
    ('by_delegate', "La tarea de servicio usa camunda:delegateExpression='${calculator}'"),
    ('by_expression', "La tarea de servicio usa camunda:expression='${audit.log(execution)}'"),
    ('by_connector', "La tarea de servicio usa camunda:connector (connectorId 'http-connector')"),
    ('send_by_class', "La tarea de envío usa camunda:class='org.acme.Notify'"),
    ('send_external', "La tarea de envío usa camunda:type='external' camunda:topic='note'"),
    ('rule_by_class', "La tarea de regla de negocio usa camunda:class='org.acme.Prioritize'"),
]


@pytest.mark.parametrize('element_id, found', JAVA)
def test_a_java_implementation_is_named_with_how_to_map_it_to_a_topic(element_id, found):
    messages = [p.message for p in problems_of('java_delegates.bpmn') if p.element_id == element_id]
    assert len(messages) == 1, messages
    assert messages[0].startswith(found), messages[0]
    assert 'camunda:type="external" camunda:topic="<tema>" (temas conocidos: note, test.record)' in messages[0]


def test_every_java_task_is_covered():
    assert [p.element_id for p in problems_of('java_delegates.bpmn')] == [e for e, _ in JAVA]


# ---- listeners and job flags ----------------------------------------------------------------------

LISTENED = [
    ('listeners_async', "camunda:executionListener (evento 'start', class='org.acme.AuditStart') se ignora"),
    ('listen_review', "camunda:taskListener (evento 'create', delegateExpression='${assigner}') se ignora"),
    ('listen_record', "camunda:asyncBefore='true' se ignora"),
    ('listen_record', "camunda:exclusive='false' se ignora"),
    ('listen_record', "camunda:failedJobRetryTimeCycle 'R5/PT5M' se ignora"),
    ('listen_end', "camunda:asyncAfter='true' se ignora"),
    ('l_f2', "camunda:executionListener (evento 'take', un script) se ignora"),
]


def test_listeners_and_async_flags_are_warnings_that_say_what_to_do():
    found = problems_of('listeners_async.bpmn')
    assert all(p.severity == 'warning' for p in found) and errors(found) == []
    assert len(found) == len(LISTENED), [str(p) for p in found]
    for (element_id, fragment), problem in zip(LISTENED, found):
        assert problem.element_id == element_id and problem.message.startswith(fragment), problem.message
    assert 'para asignar use camunda:assignee o camunda:candidateGroups' in found[1].message
    assert 'modele su efecto como una tarea del flujo' in found[0].message


def test_a_diagram_with_only_warnings_deploys(app):
    versions = flow.deploy('camunda/listeners_async.bpmn')
    assert versions
    case_id = flow.start('listeners_async')
    assert flow.open_tasks(case_id) == ['listen_review']


# ---- scripts in other languages -----------------------------------------------------------------

def test_a_groovy_script_is_refused_naming_its_language():
    found = problems_of('groovy_script.bpmn')
    assert [(p.element_id, p.severity) for p in found] == [('groovy_compute', 'error')]
    assert found[0].message.startswith("El script está en scriptFormat='groovy': aquí solo se ejecutan "
                                       "scripts de Python")
