"""Email as a channel, through a real SMTP peer on loopback and the RQ worker: a new email is a
draft that staff register as a case; a reply naming a radicado lands on its case and, from the
case's client, delivers what the case waits for; automatic messages and loops make nothing; the
same message or the same job twice acts once."""
import re
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select, update

from app.cases.models import Attachment, PqrsfCase
from app.cases import service as pqrsf
from app.engine.clock import clock
from app.engine.models import Event
from app.inbound import processing
from app.inbound.mailbox import Mailbox
from app.inbound.models import InboundEmail
from app.platform.extensions import db
from tests.support import flow
from tests.support.files import pdf
from tests.support.inbound import email, received, send
from tests.support.pqrsf import ask_information, drive_to_decision, procedure_at, register
from tests.support.web import basic, demo_users, login, post_form

FILED = datetime(2027, 3, 2, 9, 0)
PDF = ('factura.pdf', pdf(), 'application', 'pdf')
EXE = ('programa.exe', b'MZ\x90\x00' + b'\x00' * 60, 'application', 'octet-stream')
REGISTRATION = {'case_type': 'Q', 'branch': 'BOG', 'client_kind': 'cliente', 'client_id_document': '52123456',
                'event_date': '2027-02-20', 'product_service': 'Transporte de contenedor', 'data_consent': 'on'}


@pytest.fixture
def procedure(any_app, mailbox):
    any_app.config['MAIL_FROM'] = 'PQRSF <pqrsf@empresa.example>'
    procedure_at(any_app, FILED)
    demo_users()
    return any_app


@pytest.fixture
def port(procedure):
    with Mailbox(procedure, port=0) as box:
        yield box.port


def awaits(case_id, kind):
    return flow.read(lambda s: pqrsf.awaits_client(case_id, kind))


def history(case_id, kind):
    return flow.read(lambda s: s.scalars(select(Event).where(Event.case_id == case_id, Event.kind == kind)
                                         .order_by(Event.id)).all())


def test_a_new_email_is_a_draft_that_staff_register_as_a_case_with_its_attachment(procedure, port):
    send(port, email('Contenedor retrasado', 'El contenedor llegó con dos días de retraso y nadie avisó.',
                     files=[PDF, EXE]))
    flow.work(procedure)
    [row] = received()
    assert (row.state, row.sender, row.sender_name) == ('draft', 'marta@example.com', 'Marta Gómez')
    staff = login(procedure.test_client(), 'colaborador')
    listing = staff.get('/correo/').get_data(as_text=True)
    assert 'Contenedor retrasado' in listing and 'marta@example.com' in listing
    page = staff.get(f'/correo/{row.id}').get_data(as_text=True)
    assert 'value="marta@example.com"' in page and 'value="Marta Gómez"' in page
    assert 'El contenedor llegó con dos días de retraso' in page and 'programa.exe' in page
    assert '<option value="correo" selected' in page
    received_at = re.search(r'name="received_at"[^>]*value="([^"]+)"', page).group(1)
    form = {'channel': 'correo', 'received_at': received_at, 'client_email': 'marta@example.com', 'client_name': 'Marta Gómez',
            'description': 'El contenedor llegó con dos días de retraso y nadie avisó.', **REGISTRATION}
    refused = post_form(staff, f'/correo/{row.id}', {**form, 'client_id_document': ''})
    assert refused.status_code == 422 and received()[0].state == 'draft'
    done = post_form(staff, f'/correo/{row.id}', form)
    assert done.status_code == 302 and '/casos/PQRSF-' in done.headers['Location']
    [row] = received()
    info = flow.read(lambda s: s.get(PqrsfCase, row.case_id))
    assert (row.state, row.decided_by, info.channel) == ('registered', 'colaborador', 'correo')
    assert abs(info.received_at - row.received_at) < timedelta(minutes=1)  # its terms run from the email
    files = flow.read(lambda s: s.scalars(select(Attachment.filename).where(Attachment.case_id == row.case_id)).all())
    assert files == ['factura.pdf']
    again = post_form(staff, f'/correo/{row.id}', form, page=f'/correo/{row.id}')
    assert again.status_code == 302 and flow.read(lambda s: s.scalar(select(db.func.count(PqrsfCase.case_id)))) == 1


def test_an_html_only_email_gives_its_text_without_markup(procedure, port):
    send(port, email('Consulta', html='<html><head><style>p{}</style></head><body><p>Buenos días,</p>'
                     '<script>alert(1)</script><p>quiero saber el estado de mi envío &amp; factura.</p></body></html>'))
    flow.work(procedure)
    [row] = received()
    from app.inbound.drafts import message
    from app.accounts.models import User
    item = message(db.session.scalar(select(User).where(User.username == 'colaborador')), row.id)
    assert item['values']['description'] == 'Buenos días,\nquiero saber el estado de mi envío & factura.'
    assert 'alert' not in item['text']


def test_a_reply_with_the_radicado_lands_on_its_case_and_gives_the_information_it_waits_for(procedure, port):
    case_id, radicado = register(procedure)
    ask_information(procedure, case_id)
    assert awaits(case_id, pqrsf.INFORMATION)
    send(port, email(f'Re: Necesitamos más información sobre su caso {radicado}',
                     'La factura es la 4711.\n\n> Para atender su caso necesitamos...', files=[PDF],
                     sender='MARTA@example.com'))
    flow.work(procedure)
    [row] = received()
    assert (row.state, row.case_id, row.delivered_as) == ('case_reply', case_id, 'information')
    [event] = history(case_id, 'email_received')
    assert event.actor == 'cliente' and event.data['attachments'] == ['factura.pdf']
    assert history(case_id, 'message_received')[-1].data['payload']['text'].startswith('La factura es la 4711.')
    assert flow.open_tasks(case_id) == ['classify'] and not awaits(case_id, pqrsf.INFORMATION)
    page = login(procedure.test_client(), 'lider').get(f'/casos/{radicado}').get_data(as_text=True)
    assert 'Correo del cliente' in page and 'La factura es la 4711.' in page


def test_a_reply_from_another_sender_is_recorded_and_moves_nothing(procedure, port):
    case_id, radicado = register(procedure)
    ask_information(procedure, case_id)
    send(port, email(f'RE: {radicado}', 'Soy otra persona y envío esto.', sender='otro@example.com'))
    flow.work(procedure)
    [row] = received()
    assert (row.state, row.delivered_as, row.not_delivered) == ('case_reply', None, 'unknown_sender')
    [event] = history(case_id, 'email_received')
    assert event.actor == 'correo' and history(case_id, 'message_received') == []
    assert awaits(case_id, pqrsf.INFORMATION)
    page = login(procedure.test_client(), 'lider').get(f'/casos/{radicado}').get_data(as_text=True)
    assert 'Correo de un remitente desconocido' in page and 'otro@example.com' in page
    masked = login(procedure.test_client(), 'auditor').get(f'/casos/{radicado}').get_data(as_text=True)
    assert 'Correo de un remitente desconocido' in masked and 'otro@example.com' not in masked
    events = procedure.test_client().get(f'/api/cases/{radicado}/events', headers=basic('auditor')).get_json()
    assert [e['data']['sender'] for e in events if e['kind'] == 'email_received'] == ['o***@example.com']


def test_an_answer_is_delivered_only_when_its_first_line_is_a_declared_word(procedure, port):
    case_id, radicado = register(procedure)
    drive_to_decision(procedure, case_id)
    assert awaits(case_id, pqrsf.ANSWER)
    send(port, email(f'Re: Respuesta a su caso {radicado}', 'Bueno, creo que sí, aunque...'))
    flow.work(procedure)
    assert received()[-1].not_delivered == 'ambiguous_answer' and awaits(case_id, pqrsf.ANSWER)
    send(port, email(f'Re: Respuesta a su caso {radicado}', '¡Acepto!\n\n> ¿Está de acuerdo con esta respuesta?'))
    flow.work(procedure)
    assert received()[-1].delivered_as == 'answer'
    assert history(case_id, 'message_received')[-1].data['payload']['decision'] == 'accept'


def test_a_reply_to_a_radicado_that_does_not_exist_is_a_draft(procedure, port):
    send(port, email('Re: PQRSF-2027-999999', 'Sigo esperando respuesta de mi caso anterior.'))
    flow.work(procedure)
    assert [r.state for r in received()] == ['draft']


def test_automatic_messages_loops_and_floods_are_ignored_with_their_reason_and_never_answered(procedure, port, mailbox):
    procedure.config['INBOUND_LIMIT_PER_HOUR'] = 2
    text = 'Estaré fuera de la oficina hasta el lunes.'
    send(port, email('Fuera de la oficina', text, Auto_Submitted='auto-replied'))
    send(port, email('Fuera', text, sender='b@example.com', X_Autoreply='yes'))
    send(port, email('Boletín', text, sender='c@example.com', Precedence='bulk'))
    send(port, email('Lista', text, sender='d@example.com', List_Id='<lista.example.com>'))
    send(port, email('No entregado', text, sender='mailer-daemon@example.com'), envelope_from='')
    send(port, email('Recibimos su solicitud', text, sender='PQRSF <pqrsf@empresa.example>'))
    for n in range(3):
        send(port, email(f'Correo {n}', 'Texto de un correo más entre muchos.', sender='f@example.com'))
    flow.work(procedure)
    assert [(r.state, r.ignored_reason) for r in received()] == [
        ('ignored', 'auto_submitted'), ('ignored', 'autoreply'), ('ignored', 'precedence'), ('ignored', 'list'),
        ('ignored', 'null_sender'), ('ignored', 'own_address'), ('draft', None), ('draft', None),
        ('ignored', 'flood')]
    assert mailbox.messages == []
    listing = login(procedure.test_client(), 'colaborador').get('/correo/?vista=ignorados').get_data(as_text=True)
    assert 'Respuesta automática (Auto-Submitted)' in listing and 'Fuera de la oficina' in listing


def test_the_same_message_twice_makes_one_draft_and_a_job_run_again_acts_once(procedure, port):
    message = email('Reclamo', 'El contenedor llegó abierto y faltan cajas.', message_id='<uno@example.com>')
    send(port, message)
    send(port, message)
    flow.work(procedure)
    [row] = received()
    assert row.state == 'draft'
    assert processing.process_email(row.id) == 'skipped'
    db.session.remove()
    case_id, radicado = register(procedure)
    ask_information(procedure, case_id)
    send(port, email(f'Re: {radicado}', 'Aquí está la información pedida.', message_id='<dos@example.com>'))
    reply = received()[-1]
    assert processing.claim(reply.id)  # a worker took it and was killed before it acted
    db.session.remove()
    flow.work(procedure)
    assert received()[-1].state == 'processing' and history(case_id, 'email_received') == []
    db.session.execute(update(InboundEmail).where(InboundEmail.id == reply.id).values(
        claimed_at=clock.now() - timedelta(minutes=11)))
    db.session.commit()
    assert processing.queue_pending() == 1
    flow.work(procedure)
    processing.queue_processing(reply.id)
    flow.work(procedure)
    assert received()[-1].state == 'case_reply' and len(history(case_id, 'email_received')) == 1
    assert len(history(case_id, 'message_received')) == 1 and flow.open_tasks(case_id) == ['classify']


def test_the_api_lists_the_drafts_and_registers_one_filling_in_from_the_email(procedure, port):
    send(port, email('Petición', 'Solicito copia de la factura del servicio de enero.'))
    flow.work(procedure)
    api = procedure.test_client()
    [item] = api.get('/api/inbound-emails', headers=basic('colaborador')).get_json()
    assert item['sender'] == 'marta@example.com' and item['state'] == 'draft'
    assert api.get('/api/inbound-emails', headers=basic('auditor')).status_code == 403
    created = api.post(f"/api/inbound-emails/{item['id']}/register", headers=basic('colaborador'),
                       json={**REGISTRATION, 'case_type': 'P', 'data_consent': True})
    assert created.status_code == 201, created.get_json()
    info = flow.read(lambda s: s.scalar(select(PqrsfCase).where(PqrsfCase.radicado == created.get_json()['radicado'])))
    assert info.channel == 'correo'


def test_our_emails_say_they_are_automatic(procedure, mailbox):
    case_id, _radicado = register(procedure)
    [sent] = [m for m in mailbox.messages if 'Recibimos' in m['Subject']]
    assert sent['Auto-Submitted'] == 'auto-generated'


def test_a_registration_cut_short_is_offered_again_with_a_warning(procedure, port):
    """The web process died between taking the draft and recording the case: the draft is not
    stuck; after INTERRUPTED_AFTER it is a draft again, with who started and a warning."""
    send(port, email('Contenedor retrasado', 'El contenedor llegó con dos días de retraso y nadie avisó.'))
    flow.work(procedure)
    [row] = received()
    from app.accounts.models import User
    from app.inbound.drafts import _take
    _take(row.id, 'registering', flow.read(lambda s: s.scalar(select(User).where(User.username == 'colaborador'))))
    db.session.remove()
    staff = login(procedure.test_client(), 'colaborador')
    assert 'name="received_at"' not in staff.get(f'/correo/{row.id}').get_data(as_text=True)  # in progress
    flow.advance(procedure, timedelta(minutes=11), run=False)
    page = staff.get(f'/correo/{row.id}').get_data(as_text=True)
    assert 'name="received_at"' in page and 'no terminó' in page and 'colaborador' in page
    received_at = re.search(r'name="received_at"[^>]*value="([^"]+)"', page).group(1)
    done = post_form(staff, f'/correo/{row.id}', {
        'channel': 'correo', 'received_at': received_at, 'client_email': 'marta@example.com',
        'client_name': 'Marta Gómez', 'description': 'El contenedor llegó con dos días de retraso.', **REGISTRATION})
    assert done.status_code == 302 and received()[0].state == 'registered'
