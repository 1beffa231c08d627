"""Claiming and assigning several tasks at once (app/tasks/bulk.py): each through the single
task's use case, so its rules hold; the answer counts what was done and says why the rest was
refused; the page needs CSRF, the API its credentials."""
import pytest
from sqlalchemy import select

from app.accounts.models import User
from app.engine.models import HumanTask
from app.platform.extensions import db
from app.platform.refusals import Invalid
from app.tasks.bulk import MAX_TASKS, bulk_change
from tests.support.pqrsf import register
from tests.support.web import PASSWORD, basic, create_user, csrf_token, login


def user(name):
    return db.session.scalars(select(User).where(User.username == name)).one()


def open_tasks():
    db.session.expire_all()
    return db.session.scalars(select(HumanTask).where(HumanTask.state == 'open').order_by(HumanTask.created_at)).all()


@pytest.fixture
def two_tasks(site):
    register(site)
    register(site)
    tasks = open_tasks()
    assert len(tasks) == 2 and all(t.assignee is None for t in tasks)
    return [t.id for t in tasks]


def test_a_lead_claims_then_assigns_several_and_learns_why_some_were_refused(two_tasks):
    result = bulk_change(action='claim', task_ids=two_tasks, user=user('lider'))
    assert result.done == two_tasks and result.refused == []
    assert {t.assignee for t in open_tasks()} == {'lider'}
    again = bulk_change(action='claim', task_ids=[*two_tasks, 'no-such-task'], user=user('lider'))
    assert again.done == [] and len(again.refused) == 3
    assert 'no existe' in again.refused[2][2]
    to_auditor = bulk_change(action='assign', task_ids=two_tasks, user=user('lider'), assignee='auditor')
    assert to_auditor.done == [] and all('no puede trabajar' in r[2] for r in to_auditor.refused)
    create_user('lider2', PASSWORD, ['lider_proceso'], 'Lina Líder', 'lina@empresa.example')
    given = bulk_change(action='assign', task_ids=two_tasks, user=user('lider'), assignee='lider2')
    assert given.done == two_tasks and {t.assignee for t in open_tasks()} == {'lider2'}


def test_only_leads_assign_and_bad_input_changes_nothing(two_tasks):
    refused = bulk_change(action='assign', task_ids=two_tasks, user=user('colaborador'), assignee='colaborador')
    assert refused.done == [] and len(refused.refused) == 2
    for kwargs, field in (({'action': 'borrar', 'task_ids': two_tasks}, 'action'),
                          ({'action': 'claim', 'task_ids': []}, 'task_ids'),
                          ({'action': 'claim', 'task_ids': ['x'] * 0 + [str(i) for i in range(MAX_TASKS + 1)]}, 'task_ids'),
                          ({'action': 'assign', 'task_ids': two_tasks}, 'assignee')):
        with pytest.raises(Invalid) as invalid:
            bulk_change(user=user('lider'), **kwargs)
        assert field in invalid.value.errors
    assert all(t.assignee is None for t in open_tasks())


def test_the_task_list_page_claims_the_checked_tasks_with_csrf(site, two_tasks):
    client = login(site.test_client(), 'lider')
    page = client.get('/tareas/').get_data(as_text=True)
    assert 'name="task_ids"' in page and 'Asignar las marcadas a' in page
    assert client.post('/tareas/lote', data={'action': 'claim', 'task_ids': two_tasks}).status_code == 400
    token = csrf_token(client, '/tareas/')
    done = client.post('/tareas/lote', data={'action': 'claim', 'task_ids': two_tasks, 'csrf_token': token},
                       follow_redirects=True).get_data(as_text=True)
    assert '2 tareas cambiadas.' in done
    again = client.post('/tareas/lote', data={'action': 'claim', 'task_ids': two_tasks[:1], 'csrf_token': token},
                        follow_redirects=True).get_data(as_text=True)
    assert 'no cambió' in again
    nothing = client.post('/tareas/lote', data={'action': 'claim', 'csrf_token': token}, follow_redirects=True)
    assert 'Marque al menos una tarea.' in nothing.get_data(as_text=True)
    colaborador = login(site.test_client(), 'colaborador')
    assert 'Asignar las marcadas a' not in colaborador.get('/tareas/').get_data(as_text=True)


def test_the_api_does_the_same(api, two_tasks):
    response = api.post('/api/tasks/bulk', headers=basic('lider'), json={'action': 'claim', 'task_ids': two_tasks})
    assert response.status_code == 200 and response.get_json() == {'done': two_tasks, 'refused': []}
    refused = api.post('/api/tasks/bulk', headers=basic('colaborador'),
                       json={'action': 'assign', 'task_ids': two_tasks, 'assignee': 'colaborador'}).get_json()
    assert refused['done'] == [] and len(refused['refused']) == 2 and refused['refused'][0]['reason']
    assert api.post('/api/tasks/bulk', headers=basic('lider'), json={'action': 'x', 'task_ids': []}).status_code == 422
    assert api.post('/api/tasks/bulk', json={'action': 'claim', 'task_ids': two_tasks}).status_code == 401
