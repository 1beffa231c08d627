"""Staff notifications through the real engine, real RQ workers and real SMTP on loopback: the
action owner is told when their task opens (email with a link, the case's record, the in-app
list), a digest user gets one digest a day and no immediate mail, due-soon and overdue notices
follow the engine clock, a lead gets the overdue cases, and a killed worker sends nothing twice."""
from datetime import datetime, timedelta

from sqlalchemy import select

from app import jobs
from app.accounts.login import create_user
from app.engine.models import HumanTask
from app.notifications.models import Notification
from tests.support import flow
from tests.support.pqrsf import (OWNER_PASSWORD, action_owners, classify, deploy_processes, emails,
                                 local_day, open_opportunity, plan, register, travel_to)
from tests.support.web import login, post_form

LUIS, EVA = 'luis@empresa.example', 'eva@empresa.example'


def _to(mailbox, address, subject_part=''):
    return [m for m in mailbox.messages if m['To'] == address and subject_part in m['Subject']]


def _action_tasks(case_id):
    return {t.assignee: t for t in flow.read(lambda s: s.scalars(select(HumanTask).where(
        HumanTask.case_id == case_id, HumanTask.element_id == 'do_action',
        HumanTask.state == 'open')).all())}


def _notifications(username):
    return flow.read(lambda s: s.scalars(select(Notification).where(
        Notification.username == username).order_by(Notification.id)).all())


def _to_action_tasks(app):
    deploy_processes()
    action_owners()
    case_id, radicado = register(app)
    classify(app, case_id)
    open_opportunity(app, case_id)
    plan(app, case_id)
    return case_id, radicado


def _sweep(app):
    """What the worker's sweeper does every few seconds: queue the periodic run, then run it."""
    jobs.sweep(0, kinds=('timer',))
    flow.work(app)


def test_the_action_owner_is_emailed_a_link_when_their_action_task_opens(app, mailbox):
    app.config['NOTIFY_STAFF'] = True
    case_id, radicado = _to_action_tasks(app)
    tasks = _action_tasks(case_id)
    assert set(tasks) == {'luis', 'eva'}
    for username, address in (('luis', LUIS), ('eva', EVA)):
        [message] = _to(mailbox, address, 'Nueva tarea')
        assert radicado in message['Subject']
        body = message.get_content()
        assert f"{app.config['PUBLIC_BASE_URL']}/tareas/{tasks[username].id}" in body
        [notice] = _notifications(username)
        assert (notice.kind, notice.task_id, notice.sent_at is not None) == ('task_new', tasks[username].id, True)
    # recorded on the case, beside the client's emails
    assert sorted(e.recipient for e in emails(case_id, 'staff_task_new')) == [EVA, LUIS]
    _sweep(app)  # the periodic run finds nothing left to tell
    assert len(_to(mailbox, LUIS, 'Nueva tarea')) == 1


def test_the_counter_and_the_page_list_the_notices_and_opening_it_marks_them_read(app, mailbox):
    app.config['NOTIFY_STAFF'] = True
    case_id, radicado = _to_action_tasks(app)
    client = login(app.test_client(), 'luis', OWNER_PASSWORD)
    page = client.get('/tareas/').get_data(as_text=True)
    assert '<span class="counter">1</span>' in page
    listing = client.get('/avisos').get_data(as_text=True)
    assert f'/tareas/{_action_tasks(case_id)["luis"].id}' in listing and radicado in listing
    assert 'class="counter"' not in client.get('/avisos').get_data(as_text=True)
    assert all(n.read_at is not None for n in _notifications('luis'))
    assert app.test_client().get('/avisos').status_code == 302  # signed in only


def test_a_digest_user_gets_one_digest_a_day_and_no_immediate_mail(app, mailbox):
    app.config['NOTIFY_STAFF'] = True
    deploy_processes()
    action_owners()
    client = login(app.test_client(), 'luis', OWNER_PASSWORD)
    refused = post_form(client, '/cuenta', {'mode': 'semanal'})
    assert refused.status_code == 422 and 'resumen diario' in refused.get_data(as_text=True)
    assert post_form(client, '/cuenta', {'mode': 'digest'}).status_code == 302
    case_id, radicado = register(app)
    classify(app, case_id)
    open_opportunity(app, case_id)
    plan(app, case_id)
    assert _to(mailbox, LUIS) == [] and len(_to(mailbox, EVA, 'Nueva tarea')) == 1
    tomorrow = local_day(datetime.now()) + timedelta(days=1)
    travel_to(app, datetime.combine(tomorrow, datetime.min.time()).replace(hour=8))
    _sweep(app)
    [digest] = _to(mailbox, LUIS)
    assert 'Resumen diario' in digest['Subject']
    assert f'/tareas/{_action_tasks(case_id)["luis"].id}' in digest.get_content() and radicado in digest.get_content()
    travel_to(app, datetime.combine(tomorrow, datetime.min.time()).replace(hour=15))
    _sweep(app)
    assert len(_to(mailbox, LUIS)) == 1  # once a day


def test_due_soon_and_overdue_notices_follow_the_engine_clock_and_leads_get_the_overdue_cases(app, mailbox):
    app.config['NOTIFY_STAFF'] = True
    create_user('lider', 'clave-de-prueba-2026-lx', ['lider_proceso'], 'Lina Líder', 'lina@empresa.example')
    case_id, radicado = _to_action_tasks(app)
    due = _action_tasks(case_id)['luis'].due_at
    assert due is not None
    _sweep(app)
    assert _to(mailbox, LUIS, 'por vencer') == []  # not yet within a business day
    from app.platform.engines import calendar
    business = calendar()
    day_before = business.local(business.add_business_days(due, -1)).replace(hour=8, minute=0, tzinfo=None)
    travel_to(app, day_before)
    _sweep(app)
    [soon] = _to(mailbox, LUIS, 'por vencer')
    assert f'/tareas/{_action_tasks(case_id)["luis"].id}' in soon.get_content()
    assert _to(mailbox, LUIS, 'vencida') == []
    travel_to(app, business.local(due + timedelta(days=1)).replace(hour=9, minute=0, tzinfo=None))
    _sweep(app)
    _sweep(app)
    assert len(_to(mailbox, LUIS, 'por vencer')) == 1 and len(_to(mailbox, LUIS, 'vencida')) == 1
    [lead] = _to(mailbox, 'lina@empresa.example', 'Casos vencidos')
    assert radicado in lead.get_content()


def test_a_worker_killed_while_sending_a_notification_sends_nothing_twice(app, mailbox, monkeypatch):
    """The SMTP server takes the first staff email and holds back its answer; the worker dies
    waiting (the worst moment: the email is out, the worker never learnt it). That one is
    claimed, so it is not sent again; the other is sent by the next worker's periodic run, once."""
    import asyncio
    import os
    import signal
    import threading
    from email import message_from_bytes, policy

    from tests.support.pqrsf import TWO_ACTIONS
    app.config['NOTIFY_STAFF'] = True
    deploy_processes()
    action_owners()
    case_id, _ = register(app)
    classify(app, case_id)
    open_opportunity(app, case_id)
    held, release = threading.Event(), threading.Event()
    keep = mailbox.handler.handle_DATA

    async def hold_the_first_staff_email(server, session, envelope):
        message = message_from_bytes(envelope.content, policy=policy.default)
        answer = await keep(server, session, envelope)  # kept: the server has it
        if 'Nueva tarea' in message['Subject'] and not held.is_set():
            held.recipient = message['To']
            held.set()
            while not release.is_set():
                await asyncio.sleep(0.05)
        return answer
    monkeypatch.setattr(mailbox.handler, 'handle_DATA', hold_the_first_staff_email)
    flow.complete(case_id, 'analyse_causes', {'analysis_method': '5_porques', 'root_causes': 'Sin aviso.',
                                              'actions': TWO_ACTIONS}, 'lider1')
    try:
        with flow.worker_process(PQRSF_NOTIFY_STAFF=1) as first:
            flow.wait_for(held.is_set, message='the first staff email to reach the server')
            os.kill(first.pid, signal.SIGKILL)
            first.wait()
    finally:
        release.set()
    other = EVA if held.recipient == LUIS else LUIS
    assert len(_to(mailbox, held.recipient, 'Nueva tarea')) == 1 and _to(mailbox, other, 'Nueva tarea') == []
    with flow.worker_process(PQRSF_NOTIFY_STAFF=1, PQRSF_SWEEP_INTERVAL_SECONDS=0.5):
        flow.wait_for(lambda: _to(mailbox, other, 'Nueva tarea'), message='the periodic run to send the other')
    for _ in range(2):
        _sweep(app)
    assert len(_to(mailbox, held.recipient, 'Nueva tarea')) == 1
    assert len(_to(mailbox, other, 'Nueva tarea')) == 1
    [claimed] = _notifications(held.recipient.split('@')[0])
    assert claimed.claimed_at is not None and claimed.sent_at is None  # out, but not known to be
    assert [e.recipient for e in emails(case_id, 'staff_task_new')] == [other]


def test_the_api_lists_the_notices_and_sets_the_mode_as_the_pages_do(app, mailbox):
    from app.notifications.service import mode_of
    from app.accounts.models import User
    from tests.support.web import basic
    app.config['NOTIFY_STAFF'] = True
    case_id, radicado = _to_action_tasks(app)
    client, auth = app.test_client(), basic('luis', OWNER_PASSWORD)
    answer = client.get('/api/notifications', headers=auth)
    assert answer.status_code == 200 and answer.json['unread'] == 1
    [notice] = answer.json['notifications']
    assert (notice['kind'], notice['task_id'], notice['radicado']) == (
        'task_new', _action_tasks(case_id)['luis'].id, radicado)
    assert client.get('/api/notifications', headers=auth).json['unread'] == 0  # read now
    refused = client.put('/api/notifications/mode', json={'mode': 'semanal'}, headers=auth)
    assert refused.status_code == 422 and 'mode' in refused.get_data(as_text=True)
    luis = User(username='luis')  # mode_of reads the name only
    assert flow.read(lambda s: mode_of(luis)) == 'immediate'
    assert client.put('/api/notifications/mode', json={'mode': 'digest'}, headers=auth).json == {'mode': 'digest'}
    assert flow.read(lambda s: mode_of(luis)) == 'digest'
    assert client.get('/api/notifications').status_code == 401


def test_a_task_given_to_someone_else_tells_them_once(app, mailbox):
    app.config['NOTIFY_STAFF'] = True
    case_id, radicado = _to_action_tasks(app)
    create_user('jefe', OWNER_PASSWORD, ['lider_proceso'], 'Jefa de calidad', 'jefe@empresa.example')
    task_id = _action_tasks(case_id)['luis'].id
    lead = login(app.test_client(), 'jefe', OWNER_PASSWORD)
    response = post_form(lead, f'/tareas/{task_id}/reasignar', {'assignee': 'eva'}, page=f'/tareas/{task_id}')
    assert response.status_code == 302
    flow.work(app)
    [message] = _to(mailbox, EVA, 'asignada a usted')
    assert radicado in message['Subject'] and f'/tareas/{task_id}' in message.get_content()
    assert [n.kind for n in _notifications('eva')] == ['task_new', 'assigned']
    _sweep(app)  # the periodic catch-up finds the reassignment told already
    assert len(_to(mailbox, EVA, 'asignada a usted')) == 1
    # taking a task for oneself tells no one
    post_form(lead, f'/tareas/{task_id}/reasignar', {'assignee': 'jefe'}, page=f'/tareas/{task_id}')
    flow.work(app)
    assert _to(mailbox, 'jefe@empresa.example', 'asignada') == []
