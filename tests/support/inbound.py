"""Sending to the inbound mailbox the way a mail server does: over SMTP on loopback."""
import smtplib
from email.message import EmailMessage

from sqlalchemy import select

from app.inbound.models import InboundEmail
from tests.support import flow

CLIENT_ADDRESS = 'Marta Gómez <marta@example.com>'
OUR_ADDRESS = 'pqrsf@empresa.example'


def email(subject, text=None, sender=CLIENT_ADDRESS, html=None, files=(), message_id=None, **headers):
    message = EmailMessage()
    message['From'] = sender
    message['To'] = OUR_ADDRESS
    message['Subject'] = subject
    if message_id:
        message['Message-ID'] = message_id
    for name, value in headers.items():
        message[name.replace('_', '-')] = value
    if text is not None:
        message.set_content(text)
        if html:
            message.add_alternative(html, subtype='html')
    elif html is not None:
        message.set_content(html, subtype='html')
    for name, content, maintype, subtype in files:
        message.add_attachment(content, maintype=maintype, subtype=subtype, filename=name)
    return message


def send(port, message, envelope_from=None):
    """Hand `message` to the mailbox; `envelope_from=''` sends MAIL FROM:<> (a bounce)."""
    with smtplib.SMTP('127.0.0.1', port, timeout=30) as smtp:
        if envelope_from is None:
            smtp.send_message(message)
        else:
            smtp.sendmail(envelope_from, [OUR_ADDRESS], message.as_bytes())


def received():
    """The stored messages, oldest first, detached (reading them opens no transaction)."""
    def rows(session):
        found = session.scalars(select(InboundEmail).order_by(InboundEmail.id)).all()
        session.expunge_all()
        return found
    return flow.read(rows)
