"""A completion that would break the case is refused with the form shown again, as typed: a
conditional required field left empty, an answer no gateway flow takes, a field the next step
reads. Nothing changes in the case and no incident is recorded. The list buttons without
JavaScript show the form again with one row more or less, and no errors."""
from sqlalchemy import func, select

from app.engine.models import Case, HumanTask, Incident
from tests.support import flow
from tests.support.pqrsf import TWO_ACTIONS, classify, open_opportunity, plan, register, run_actions
from tests.support.web import login, post_form

CLASSIFICATION = {'case_type': 'Q', 'severity': 'media', 'impact': 'individual', 'motive': 'disculpa', 'investigation_level': 'intermedio',
                  'responsible_area': 'operaciones'}


def _incidents():
    return flow.read(lambda s: s.scalar(select(func.count()).select_from(Incident)))


def _task(case_id, element_id):
    """The open task's id, as a plain value (read in its own transaction)."""
    task_id = flow.read(lambda s: s.scalars(select(HumanTask.id).where(
        HumanTask.case_id == case_id, HumanTask.state == 'open', HumanTask.element_id == element_id)).one())
    return type('Task', (), {'id': task_id})


def _state(task_id):
    return flow.read(lambda s: s.get(HumanTask, task_id, populate_existing=True).state)


def test_missing_information_request_is_refused_and_what_was_typed_stays(site):
    case_id, _ = register(site)
    task = _task(case_id, 'classify')
    client = login(site.test_client(), 'lider')
    refused = post_form(client, f'/tareas/{task.id}', {**CLASSIFICATION, 'needs_information': 'true'})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert 'id="field-information_request-error">Este campo es obligatorio.' in page
    assert 'value="operaciones" selected' in page  # what was chosen is still there
    assert _state(task.id) == 'open' and _incidents() == 0
    done = post_form(client, f'/tareas/{task.id}', {**CLASSIFICATION, 'needs_information': 'true',
                                                      'information_request': 'El número de la guía.'})
    assert done.status_code == 302 and _state(task.id) == 'completed'


def test_a_hidden_field_is_not_sent_to_the_case(site):
    case_id, _ = register(site)
    task = _task(case_id, 'classify')
    client = login(site.test_client(), 'lider')
    done = post_form(client, f'/tareas/{task.id}', {**CLASSIFICATION, 'information_request': 'Oculto'})
    assert done.status_code == 302
    assert flow.open_tasks(case_id) == ['register_opportunity']
    assert 'Oculto' not in flow.read(lambda s: s.get(Case, case_id).workflow)


def test_the_rehearsal_names_what_the_next_step_reads(site):
    """Even with a form that asked nothing, 'eficaz' without a decision is caught before the
    step: the decision email after the improvement process reads `decision`."""
    flow.work(site)
    case_id, _ = register(site)
    classify(site, case_id)
    open_opportunity(site, case_id)
    plan(site, case_id, TWO_ACTIONS)
    run_actions(site, case_id)
    task = _task(case_id, 'verify_effectiveness')
    engine = flow.engine()
    problems = engine.check_completion(task.id, {'effective': True, 'effectiveness_notes': 'Bien.'})
    assert [(p.missing, p.element_name) for p in problems] == [('decision', 'Comunicar la decisión al cliente')]
    assert engine.check_completion(task.id, {'effective': True, 'effectiveness_notes': 'Bien.',
                                             'decision': 'Le devolvemos el flete.'}) == []
    assert engine.check_completion(task.id, {'effective': False, 'effectiveness_notes': 'No.'}) == []
    flow.read(lambda s: None)
    client = login(site.test_client(), 'lider')
    refused = post_form(client, f'/tareas/{task.id}', {'effective': 'true', 'effectiveness_notes': 'Bien.'})
    assert refused.status_code == 422 and 'id="field-decision-error">Este campo es obligatorio.' in refused.get_data(as_text=True)
    assert _state(task.id) == 'open' and _incidents() == 0


def test_answers_no_flow_takes_are_refused_in_words(site):
    flow.deploy('safe_forms/route_choice.bpmn')
    case_id = flow.start('route_choice')
    task = _task(case_id, 'rc_choose')
    client = login(site.test_client(), 'lider')
    empty = post_form(client, f'/tareas/{task.id}', {'note': 'sin ruta'})
    page = empty.get_data(as_text=True)
    assert empty.status_code == 422 and 'value="sin ruta"' in page
    assert 'Complete este campo: el paso siguiente («¿Qué ruta?») lo necesita.' in page
    nowhere = post_form(client, f'/tareas/{task.id}', {'route': 'c', 'note': 'otra'})
    page = nowhere.get_data(as_text=True)
    assert nowhere.status_code == 422
    assert 'el caso no puede seguir por ningún camino después de «¿Qué ruta?»' in page
    assert '<option value="c" selected>' in page
    assert _state(task.id) == 'open' and _incidents() == 0
    assert post_form(client, f'/tareas/{task.id}', {'route': 'b'}).status_code == 302
    assert flow.read(lambda s: s.get(Case, case_id).state) == 'completed'


def test_list_buttons_without_javascript_keep_what_was_typed(site):
    case_id, _ = register(site)
    classify(site, case_id)
    open_opportunity(site, case_id)
    task = _task(case_id, 'analyse_causes')
    client = login(site.test_client(), 'lider')
    row = {'actions-0-description': 'Avisar retrasos', 'actions-0-owner': 'luis',
           'actions-0-owner_email': 'luis@empresa.example', 'actions-0-due_date': '2027-03-10'}
    added = post_form(client, f'/tareas/{task.id}', {'root_causes': 'Sin aviso', **row, '_add_row': 'actions'})
    page = added.get_data(as_text=True)
    assert added.status_code == 200 and 'Revise los campos' not in page and 'field-error' not in page
    assert 'value="Avisar retrasos"' in page and 'name="actions-1-description"' in page
    assert 'name="actions-2-description"' not in page and 'Sin aviso</textarea>' in page
    removed = post_form(client, f'/tareas/{task.id}', {**row, 'actions-1-description': 'Segunda',
                                                         '_remove_row': 'actions-0'})
    page = removed.get_data(as_text=True)
    assert removed.status_code == 200 and 'value="Segunda"' in page and 'Avisar retrasos' not in page
    assert 'name="actions-1-description"' not in page
    assert _state(task.id) == 'open'
