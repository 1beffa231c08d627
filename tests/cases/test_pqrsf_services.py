"""The pieces around the procedure: radicados under concurrency, emails sent once, handlers
that refuse bad inputs clearly, the information request loop, signed links."""
import threading
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.platform import mail
from app.cases import service as pqrsf
from app.engine.models import Incident, Job
from app.platform.extensions import db
from app.platform.refusals import Invalid
from app.cases.links import InvalidLink, make_token
from tests.support import flow
from tests.support.pqrsf import CLIENT, classify, deploy_processes, emails, register, token_in


@pytest.fixture
def procedure(app, mailbox):
    deploy_processes()
    return app


def test_concurrent_intake_never_repeats_a_radicado(pg_app, mailbox):
    deploy_processes()
    numbers, barrier = [], threading.Barrier(6)

    def intake():
        with pg_app.app_context():
            barrier.wait()
            try:
                numbers.append(pqrsf.register(dict(CLIENT), 'colaborador1')[0].reference)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=intake) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(numbers) == 6 and len(set(numbers)) == 6
    assert sorted(int(n.rsplit('-', 1)[1]) for n in numbers) == [1, 2, 3, 4, 5, 6]


def test_a_repeated_email_job_sends_the_message_once(procedure, mailbox):
    case_id, radicado = register(procedure)
    job_id = flow.read(lambda s: s.scalars(select(Job.id).where(
        Job.case_id == case_id, Job.element_id == 'send_message')).one())  # the acknowledgement
    from handlers.emails import send_email
    job = flow.read(lambda s: s.get(Job, job_id))
    context = {'case_id': case_id, 'idempotency_key': f'{case_id}:{job.task_id}',
               'element_id': job.element_id, 'attempt': 2}
    send_email(job.payload['inputs'], context)  # the at-least-once retry after a lost ack
    assert len(emails(case_id, 'acknowledgement')) == 1
    assert sum(radicado in m['Subject'] for m in mailbox.messages) == 1


def test_an_email_sent_while_the_database_goes_away_is_recorded_once_it_is_back(pg_app, mailbox):
    """PostgreSQL refuses connections from the moment the message reaches the SMTP server
    until a second later: the handler waits it out and records the message, so the job
    succeeds and no retry sends it again."""
    import psycopg

    from app.cases.models import SentEmail
    from handlers.emails import send_email
    from tests.conftest import _pg_admin
    deploy_processes()
    case_id, _ = register(pg_app)
    name = db.engine.url.database
    direct = db.engine.url.set(drivername='postgresql').render_as_string(False)
    handle, refused = mailbox.handler.handle_DATA, []

    def allow_connections(allowed):
        with _pg_admin() as conn:
            conn.execute(f'ALTER DATABASE {name} ALLOW_CONNECTIONS {str(allowed).lower()}')

    async def outage_while_receiving(server, session, envelope):
        allow_connections(False)
        with _pg_admin() as conn:
            conn.execute('SELECT pg_terminate_backend(pid) FROM pg_stat_activity '
                         'WHERE datname = %s AND pid <> pg_backend_pid()', (name,))
        try:  # the outage is real: nobody can connect now
            psycopg.connect(direct).close()
        except psycopg.OperationalError as error:
            refused.append(error)
        threading.Timer(1.0, allow_connections, (True,)).start()
        return await handle(server, session, envelope)

    mail.close_session()  # aiosmtpd binds a session to the hooks it had when it opened
    mailbox.handler.handle_DATA = outage_while_receiving
    context = {'case_id': case_id, 'idempotency_key': f'{case_id}:outage', 'element_id': 'x', 'attempt': 1}
    inputs = {'template': 'acknowledgement', 'to': 'cliente@example.com',
              'context': {'client_name': 'Ana', 'case_type': 'Q', 'due_date': '2026-12-01'}}
    try:
        assert send_email(inputs, context) == {'last_email': 'acknowledgement'}
    finally:
        mailbox.handler.handle_DATA = handle
        allow_connections(True)  # even if the handler failed, later tests need the database
    assert refused, 'the database should have refused connections during the send'
    rows = flow.read(lambda s: s.scalars(select(SentEmail).where(SentEmail.key == f'{case_id}:outage:acknowledgement')).all())
    assert len(rows) == 1
    send_email(inputs, context)  # the retry a lost result would cause: nothing more is sent
    sent = [m for m in mailbox.messages if m['To'] == 'cliente@example.com']
    assert len(sent) == 1 and sent[0]['Message-ID']


def test_an_email_task_with_a_bad_address_fails_clearly_and_keeps_the_case(procedure, mailbox):
    case_id, _ = register(procedure, client_email='no-es-un-correo')
    for _ in range(2):  # the retries, then the incident
        flow.advance(procedure, timedelta(minutes=30), run=False)
        flow.jobs.sweep(0)
        flow.work(procedure)
    incident = flow.read(lambda s: s.scalars(select(Incident).where(Incident.case_id == case_id)).one())
    assert incident.element_id == 'send_message'  # of the acknowledgement's client_communication
    assert 'to' in incident.message and 'Datos del correo inválidos' in incident.message
    assert flow.open_tasks(case_id) == [] and emails(case_id) == []
    assert flow.case_state(case_id) == 'running'


def test_missing_information_is_requested_and_the_case_waits_for_it(procedure, mailbox):
    case_id, _ = register(procedure)
    classify(procedure, case_id, needs_information=True,
             information_request='Envíenos el número de la guía de transporte.')
    request = emails(case_id, 'information_request')
    assert len(request) == 1 and 'número de la guía' in request[0].body
    assert flow.open_tasks(case_id) == []
    pqrsf.information_from_link(token=token_in(request[0].body, 'information'), data={'text': 'Guía 7788-22'})
    flow.work(procedure)
    assert flow.open_tasks(case_id) == ['classify']
    data = flow.history(case_id)
    assert ('message_received', 'information_received') in data
    classify(procedure, case_id)
    assert flow.open_tasks(case_id) == ['register_opportunity']


def test_links_are_signed_and_bound_to_their_purpose(procedure):
    case_id, _ = register(procedure)
    survey_token = make_token(case_id, 'survey')
    with pytest.raises(InvalidLink):
        pqrsf.answer_from_link(token=survey_token, data={'decision': 'accept'})  # a survey link cannot answer
    with pytest.raises(InvalidLink):
        pqrsf.answer_from_link(token=survey_token[:-2] + 'xx', data={'decision': 'accept'})
    with pytest.raises(Invalid):
        pqrsf.survey_from_link(token=survey_token, data={'rating': 9})


def test_every_form_a_diagram_names_exists_and_every_user_task_has_one(procedure):
    from lxml import etree
    keys = set()
    for path in (flow.ROOT / 'processes').glob('*.bpmn'):
        tree = etree.parse(str(path))
        for task in tree.iter('{http://www.omg.org/spec/BPMN/20100524/MODEL}userTask'):
            keys.add(task.get('{http://camunda.org/schema/1.0/bpmn}formKey'))
    assert None not in keys
    assert keys <= {p.stem for p in (flow.ROOT / 'forms').glob('*.json')}


def test_a_diagram_naming_a_missing_email_template_is_not_deployed(app):
    from app.engine.errors import DeployRefused
    from app.processes.deploy import deploy_paths
    text = (flow.ROOT / 'processes' / 'pqrsf.bpmn').read_text(encoding='utf-8')
    broken = flow.ROOT / 'processes' / 'pqrsf.bpmn'
    target = app.instance_path + '/pqrsf.bpmn'
    with open(target, 'w', encoding='utf-8') as handle:
        handle.write(text.replace('name="message_template">acknowledgement<', 'name="message_template">acuse_inexistente<'))
    others = [p for p in sorted(broken.parent.iterdir()) if p.suffix in ('.bpmn', '.dmn') and p != broken]
    with pytest.raises(DeployRefused) as refused:
        deploy_paths([target, *others], 'dueño')
    problems = refused.value.problems
    assert [(p.element_id, 'acuse_inexistente' in p.message) for p in problems] == [('send_acknowledgement', True)]


def test_an_edited_email_template_is_used_by_the_next_message(app, tmp_path):
    """Compiled templates are kept between messages, but never outlive an edit of their file."""
    import os
    import time

    from handlers.emails import render
    app.config['EMAIL_TEMPLATES_DIR'] = str(tmp_path)
    template = tmp_path / 'aviso.txt'
    template.write_text('Subject: Uno\n\nHola {{ nombre }}\n', encoding='utf-8')
    assert render('aviso', {'nombre': 'Ana'}) == ('Uno', 'Hola Ana\n')
    template.write_text('Subject: Dos\n\nAdiós {{ nombre }}\n', encoding='utf-8')
    later = time.time() + 5  # a newer modification time even within the same clock tick
    os.utime(template, (later, later))
    assert render('aviso', {'nombre': 'Ana'}) == ('Dos', 'Adiós Ana\n')
