"""Camunda user tasks worked end to end: a task without a form key shows a generic form in the
list, the page and the API and completes; camunda:dueDate, followUpDate and candidateUsers are
worked out when the task opens and honoured by the list and the policy."""
from datetime import datetime, timedelta, timezone

from sqlalchemy import select

from app.engine.clock import clock
from app.engine.models import Event, HumanTask
from app.platform.engines import calendar
from app.platform.extensions import db
from tests.support import flow
from tests.support.web import basic, login, post_form


def _task(case_id, element_id):
    task = flow.open_task(case_id, element_id)
    assert task is not None, flow.open_tasks(case_id)
    return task



def test_tasks_without_form_key_complete_with_a_generic_form(site):
    flow.deploy('camunda_forms/generic_forms.bpmn')
    case_id = flow.start('cf_generic')
    lider = login(site.test_client(), 'lider')

    # a user task without form key: listed, shown with a comment, completed through the web
    task = _task(case_id, 'sin_formulario')
    assert task.form_key is None and task.form_fields == []
    assert 'Revisar sin formulario' in lider.get('/tareas/').get_data(as_text=True)
    page = lider.get(f'/tareas/{task.id}').get_data(as_text=True)
    assert 'Comentario' in page and 'name="comment"' in page
    done = post_form(lider, f'/tareas/{task.id}', {'comment': 'Revisado'})
    assert done.status_code == 302

    # a plain bpmn:task is a human task too, completed through the API
    plain = _task(case_id, 'tarea_simple')
    detail = site.test_client().get(f'/api/tasks/{plain.id}', headers=basic('lider')).get_json()
    assert [c['key'] for c in detail['form']['components']] == ['comment']
    answer = site.test_client().post(f'/api/tasks/{plain.id}/complete', json={}, headers=basic('lider'))
    assert answer.status_code == 200, answer.get_json()

    # a user task with camunda:formData: its fields, validated on the server
    fields = _task(case_id, 'con_campos')
    detail = site.test_client().get(f'/api/tasks/{fields.id}', headers=basic('lider')).get_json()
    assert [c.get('key') for c in detail['form']['components']] == [
        'reason', 'amount', 'approved', 'urgent', 'deliver_on', 'supplier', None]
    refused = post_form(lider, f'/tareas/{fields.id}', {'reason': 'x', 'amount': '0'})
    assert refused.status_code == 422
    text = refused.get_data(as_text=True)
    assert 'Debe tener al menos 3 caracteres.' in text and 'Este campo es obligatorio.' in text
    bad = site.test_client().post(f'/api/tasks/{fields.id}/complete', json={'reason': 'Compra', 'approved': 'maybe'},
                                  headers=basic('lider'))
    assert bad.status_code == 422 and set(bad.get_json()['errors']['json']) == {'approved'}
    ok = site.test_client().post(f'/api/tasks/{fields.id}/complete', headers=basic('lider'), json={
        'reason': 'Compra de insumos', 'amount': 40, 'approved': True, 'supplier': 'globex'})
    assert ok.status_code == 200 and ok.get_json()['case_state'] == 'completed', ok.get_json()

    changes = flow.read(lambda s: [e.data for e in s.scalars(select(Event).where(
        Event.case_id == case_id, Event.kind == 'task_completed').order_by(Event.id))])
    assert changes[0]['changes'] == {'comment': [None, 'Revisado']}
    assert changes[2]['changes']['amount'] == [None, 40]


def test_due_follow_up_and_candidate_users_are_worked_out_when_the_task_opens(site):
    flow.deploy('camunda_forms/task_dates.bpmn')
    opened = clock.now()
    case_id = flow.start('cf_task_dates', {'reviewer': 'gerente'})
    task = _task(case_id, 'revisar')
    expected_due = calendar().add_business_days(opened, 2)
    assert abs(task.due_at - expected_due) < timedelta(seconds=5)
    assert abs(task.follow_up_at - (opened + timedelta(days=1))) < timedelta(seconds=5)
    assert task.candidate_users == ['responsable', 'gerente']

    # a candidate user outside the candidate groups sees, claims and completes it
    responsable = login(site.test_client(), 'responsable')
    listing = responsable.get('/tareas/').get_data(as_text=True)
    assert 'Revisar' in listing and 'Fecha de seguimiento' in listing
    assert calendar().local(task.due_at).strftime('%d/%m/%Y') in listing
    page = responsable.get(f'/tareas/{task.id}').get_data(as_text=True)
    assert 'Fecha de seguimiento' in page and 'Tomar la tarea' in page
    api = site.test_client().get('/api/tasks', headers=basic('gerente')).get_json()['tasks']
    assert [t['id'] for t in api] == [task.id]
    assert api[0]['due_at'] and api[0]['follow_up_at'] and api[0]['candidate_users'] == ['responsable', 'gerente']
    # others see nothing of it
    assert site.test_client().get('/api/tasks', headers=basic('rrhh')).get_json()['tasks'] == []
    assert site.test_client().get(f'/api/tasks/{task.id}', headers=basic('rrhh')).status_code == 403

    claimed = site.test_client().post(f'/api/tasks/{task.id}/claim', headers=basic('responsable'))
    assert claimed.status_code == 200 and claimed.get_json()['assignee'] == 'responsable'
    assert post_form(responsable, f'/tareas/{task.id}', {'comment': 'Listo'}).status_code == 302
    assert flow.read(lambda s: s.get(HumanTask, task.id).completed_by) == 'responsable'


def test_literal_dates_are_read_in_the_organisations_zone(site):
    flow.deploy('camunda_forms/literal_dates.bpmn')
    task = _task(flow.start('cf_literal_dates'), 'revisar')
    zone = calendar().zone
    assert task.due_at == datetime(2030, 3, 15, 17, 0, tzinfo=zone).astimezone(timezone.utc)
    assert task.follow_up_at == datetime(2030, 3, 10, 23, 59, 59, tzinfo=zone).astimezone(timezone.utc)
    listing = login(site.test_client(), 'lider').get('/tareas/').get_data(as_text=True)
    assert '15/03/2030' in listing and '10/03/2030' in listing


def test_a_due_date_that_cannot_be_worked_out_leaves_the_task_open_and_says_why(site):
    flow.deploy('camunda_forms/failing_due_date.bpmn')
    case_id = flow.start('cf_failing_due')
    task = _task(case_id, 'revisar')
    assert task.due_at is None
    refusal = flow.read(lambda s: s.scalars(select(Event).where(
        Event.case_id == case_id, Event.kind == 'task_setting_refused')).one().data)
    assert refusal['attribute'] == 'camunda:dueDate' and 'missing_variable' in refusal['reason']
    assert db.session.get(HumanTask, task.id).state == 'open'
