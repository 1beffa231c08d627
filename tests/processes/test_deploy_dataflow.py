"""The deploy linter knows what the app's forms, handlers and intake produce, so the data-flow
check warns on the shipped diagrams only where a variable is really missing."""
from app.engine.lint import WARNING, read_documents
from app.platform import handlers
from tests.support.flow import ROOT

PROCESSES = ROOT / 'processes'


def _lint(documents):
    from app.processes.deploy import make_linter
    return make_linter().lint(documents)


def test_the_shipped_diagrams_read_only_what_an_earlier_step_produces(app):
    with app.app_context():
        assert _lint(read_documents([str(PROCESSES)])) == []


def test_a_condition_reading_what_no_form_sets_is_warned(app):
    documents = read_documents([str(PROCESSES)])
    name = str(PROCESSES / 'escalation.bpmn')
    documents[name] = documents[name].replace(b"${escalation_action == 'resolve'}",
                                              b"${escalation_choice == 'resolve'}")
    with app.app_context():
        problems = _lint(documents)
    assert [(p.element_id, p.severity) for p in problems] == [('f_level_1_resolves', WARNING)]
    assert "lee 'escalation_choice'" in problems[0].message
    assert "desde 'escalation_started' por 'reset_action', 'notify_level_1', 'level_1_review'" in problems[0].message


def test_form_fields_are_the_variables_a_submission_sets(app):
    from app.processes.deploy import form_fields
    with app.app_context():
        assert form_fields('gi_ft_04_analisis_om') == {'analysis_method', 'root_causes', 'actions'}
        assert form_fields('no_such_form') is None


def test_handlers_declare_what_they_return(app):
    assert handlers.outputs('email.send') == {'last_email'}
    assert handlers.outputs('note') == frozenset()
    assert handlers.outputs('no.such.topic') is None
