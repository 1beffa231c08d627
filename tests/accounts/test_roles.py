"""Every role is refused (403) every action on a task of another lane, in the web and the API."""
from sqlalchemy import select

from app.accounts.demo import DEMO_USERS
from app.engine.models import HumanTask
from app.accounts.roles import LEADS
from tests.support import flow
from tests.support.pqrsf import TWO_ACTIONS, classify, deploy_processes, do, drive_to_decision, open_opportunity, plan, register
from tests.support.web import csrf_token, demo_users, login
from tests.support.web import basic


def _tasks_in_every_lane(app):
    register(app)  # waits in classify (lider_proceso)
    felicitacion, _ = register(app, case_type='F', collaborator_named='Julián Rojas')
    classify(app, felicitacion, case_type='F')  # record_recognition (recursos_humanos)
    actions, _ = register(app)
    classify(app, actions)
    open_opportunity(app, actions)
    plan(app, actions, [{**TWO_ACTIONS[0], 'owner': 'responsable'}])  # do_action, assigned
    level_1, _ = register(app)
    drive_to_decision(app, level_1)
    from app.cases import service as pqrsf
    pqrsf.answer_decision(level_1, 'reject', 'No', 'lider')
    flow.work(app)  # level_1_review (gerente_administracion)
    level_2, _ = register(app)
    drive_to_decision(app, level_2)
    pqrsf.answer_decision(level_2, 'reject', 'No', 'lider')
    flow.work(app)
    do(app, level_2, 'level_1_review', {'escalation_action': 'escalate'}, 'gerente')  # level_2_decision
    return flow.read(lambda s: s.scalars(select(HumanTask).where(HumanTask.state == 'open')).all())


def test_each_role_gets_403_on_every_task_action_of_another_lane(app, mailbox):
    deploy_processes()
    demo_users()
    tasks = _tasks_in_every_lane(app)
    assert {t.element_id for t in tasks} >= {'classify', 'record_recognition', 'do_action',
                                             'level_1_review', 'level_2_decision'}
    checked = 0
    for username, _, roles in DEMO_USERS:
        client = login(app.test_client(), username)
        token = csrf_token(client, '/tareas/')
        headers = basic(username)
        for task in tasks:
            mine = task.assignee == username if task.assignee else set(roles) & set(task.candidate_groups)
            if mine:
                continue
            where = f'{username} on {task.element_id}'
            assert client.get(f'/tareas/{task.id}').status_code == 403, where
            assert client.post(f'/tareas/{task.id}', data={'csrf_token': token}).status_code == 403, where
            assert client.post(f'/tareas/{task.id}/reclamar', data={'csrf_token': token}).status_code == 403, where
            if not set(roles) & LEADS:  # leads may release and reassign any task: not an error
                assert client.post(f'/tareas/{task.id}/liberar', data={'csrf_token': token}).status_code == 403, where
                assert client.post(f'/tareas/{task.id}/reasignar',
                                   data={'csrf_token': token, 'assignee': username}).status_code == 403, where
            assert app.test_client().get(f'/api/tasks/{task.id}', headers=headers).status_code == 403, where
            assert app.test_client().post(f'/api/tasks/{task.id}/claim', headers=headers).status_code == 403, where
            assert app.test_client().post(f'/api/tasks/{task.id}/complete', json={},
                                          headers=headers).status_code == 403, where
            checked += 1
    assert checked > 30
    still_open = flow.read(lambda s: s.scalars(select(HumanTask.id).where(HumanTask.state == 'open')).all())
    assert sorted(still_open) == sorted(t.id for t in tasks)  # nothing was completed by anyone
