"""`email.send`: render a message template from `processes/emails/` and send it once;
`email.render`: render it only, for a staff member to tell a client who has no email.

Inputs (from the diagram's camunda:inputParameter): `template` (file name without .txt), `to`
(one address) and `context` (a camunda:map of what the message may show). The template's first
line is `Subject: …`; it can use the context, `radicado`, and the client links (`follow_url`,
`accept_url`, `reject_url`, `information_url`, `survey_url`). Each message is sent once per
case and service task: a retried job finds the row of the earlier send and stops there. Once
the message is out, recording it is retried through a database outage (a restart takes seconds),
so only a worker killed between the send and that commit can make a retry send it again.
"""
import os
import time

from flask import current_app
from marshmallow import Schema, ValidationError, fields, validate
from sqlalchemy.exc import IntegrityError, OperationalError

from app.platform import mail
from app.platform.i18n import N_, Words
from app.platform.mail_templates import render
from app.platform.extensions import db
from app.cases.links import case_links
from app.cases.records import radicado_and_sent, sent_email

from app.platform.handlers import handler

RECORD_ATTEMPTS = 60
RECORD_PAUSE_SECONDS = 0.5


class EmailInputs(Schema):
    template = fields.String(required=True, validate=validate.Regexp(r'^[a-z0-9_]+$'))
    to = fields.Email(required=True)
    context = fields.Dict(keys=fields.String(), load_default=dict)


def _check(literal_inputs):
    """At deploy: the template a diagram names must exist (one given by an expression is
    checked when the message is rendered)."""
    if 'template' not in literal_inputs or literal_inputs['template'] == '':
        return [Words(N_('Este tema necesita el parámetro de entrada template.'))]
    template = literal_inputs['template']
    if template is None:
        return []
    path = os.path.join(current_app.config['EMAIL_TEMPLATES_DIR'], f'{template}.txt')
    if not os.path.isfile(path):
        return [Words(N_("No existe la plantilla de correo '%(template)s' (%(path)s)."), template=template, path=path)]
    return []


@handler('email.send', outputs=('last_email',))
def send_email(inputs, context):
    try:
        data = EmailInputs().load(inputs)
    except ValidationError as error:
        raise ValueError(f'Datos del correo inválidos: {error.messages}') from None
    key = f"{context['idempotency_key']}:{data['template']}"
    radicado, sent = radicado_and_sent(context['case_id'], key)  # sent by an earlier run?
    if sent:
        return {'last_email': data['template']}
    subject, body = render(data['template'], {
        **data['context'], 'radicado': radicado, **case_links(context['case_id'], radicado)})
    mail.send(data['to'], subject, body, key=key)
    _record_sent(lambda: sent_email(case_id=context['case_id'], key=key, template=data['template'],
                                    recipient=data['to'], subject=subject, body=body))
    return {'last_email': data['template']}


def _record_sent(make_row) -> None:
    """Commit the row of a message already sent, waiting out a database that is unreachable
    (failing here would make the retried job send the message a second time)."""
    for attempt in range(1, RECORD_ATTEMPTS + 1):
        try:
            db.session.add(make_row())
            db.session.commit()
            return
        except IntegrityError:  # a concurrent run of the same job recorded it first
            db.session.rollback()
            return
        except OperationalError:
            db.session.rollback()
            if attempt == RECORD_ATTEMPTS:
                raise
            time.sleep(RECORD_PAUSE_SECONDS)


send_email.check = _check


class RenderInputs(Schema):
    template = fields.String(required=True, validate=validate.Regexp(r'^[a-z0-9_]+$'))
    context = fields.Dict(keys=fields.String(), load_default=dict)


@handler('email.render', outputs=('message_subject', 'message_text'))
def render_message(inputs, context):
    """The text of a message for a client without email, for the staff member who phones or
    writes to them: the same template and links the email would carry."""
    try:
        data = RenderInputs().load(inputs)
    except ValidationError as error:
        raise ValueError(f'Datos del mensaje inválidos: {error.messages}') from None
    radicado, _ = radicado_and_sent(context['case_id'], '')
    subject, body = render(data['template'], {
        **data['context'], 'radicado': radicado, **case_links(context['case_id'], radicado)})
    return {'message_subject': subject, 'message_text': body}


render_message.check = _check
