"""A message whose subject names an existing case's radicado lands on that case: a history
event `email_received` (sender, subject, text, attachments stored on the case) and, when the
sender is the case's client and the case waits for a message the client may send by email, that
message, delivered by the same use case as the client's links (`send_client_message`):

- the information the case asked for: the email's text;
- the answer to a decision: only when the first line the client wrote is one of the words
  declared in EMAIL_TEMPLATES_DIR/reply_words.json (free text is ambiguous: staff read it and
  record the answer with the usual form).

From anyone else it is recorded as from an unknown sender and delivers nothing."""
import json
import os

from flask import current_app
from sqlalchemy import select

from app.cases import service as pqrsf
from app.cases.attachments import store_files
from app.cases.privacy import intake_of
from app.engine.clock import clock
from app.engine.errors import Conflict, EngineError
from app.engine.models import Event
from app.inbound import mime
from app.inbound.files import email_files
from app.inbound.models import CASE_REPLY, InboundEmail
from app.platform.extensions import db

EVENT_KIND = 'email_received'
UNKNOWN_SENDER = 'correo'  # the actor of a reply from someone who is not the case's client
WORDS_FILE = 'reply_words.json'
# why a reply moved nothing (the list and the case page say it in words: app/inbound/labels.py)
NOT_CLIENT, NOT_AWAITED, AMBIGUOUS = 'unknown_sender', 'not_awaited', 'ambiguous_answer'


def answer_words() -> dict:
    path = os.path.join(current_app.config['EMAIL_TEMPLATES_DIR'], WORDS_FILE)
    with open(path, encoding='utf-8') as handle:
        return json.load(handle)['answer']


def _client_email(case_id: int) -> str:
    history = db.session.scalars(select(Event).where(Event.case_id == case_id, Event.kind == 'case_started')).all()
    return (intake_of(history).get('client_email') or '').strip().lower()


def _delivery(case_id: int, text: str, from_client: bool) -> tuple[str | None, dict | None, str | None]:
    """(client message kind, payload, why not) of what this reply may deliver."""
    if not from_client:
        return None, None, NOT_CLIENT
    if len(text) >= 3 and pqrsf.awaits_client(case_id, pqrsf.INFORMATION):
        return pqrsf.INFORMATION, {'text': text[:pqrsf.MAX_INFORMATION]}, None
    if pqrsf.awaits_client(case_id, pqrsf.ANSWER):
        decision = mime.answer_word(text, answer_words())
        if decision is None:
            return None, None, AMBIGUOUS
        return pqrsf.ANSWER, {'decision': decision, 'comment': text[:pqrsf.MAX_COMMENT]}, None
    return None, None, NOT_AWAITED


def _record(row: InboundEmail, case_id: int, parsed, actor: str, finish, delivered, why_not) -> None:
    """The history event, the accepted files on the case, and the row's outcome (not committed)."""
    accepted, refused = email_files(parsed.attachments)
    store_files(case_id, accepted, actor)
    db.session.add(Event(case_id=case_id, at=clock.now(), actor=actor, kind=EVENT_KIND, data={
        'inbound_email_id': row.id, 'sender': parsed.sender, 'subject': parsed.subject,
        'text': parsed.text, 'attachments': [name for name, _type, _content in accepted],
        'refused_attachments': refused, 'delivered_as': delivered, 'not_delivered': why_not}))
    finish(row, CASE_REPLY, case_id=case_id, delivered_as=delivered, not_delivered=why_not,
           refused_files=refused or None)


def land_reply(row: InboundEmail, case_id: int, finish) -> None:
    """Record the reply on its case and deliver what it may; commits once, with the outcome."""
    parsed = mime.parse(row.raw)
    from_client = bool(parsed.sender) and parsed.sender == _client_email(case_id)
    actor = pqrsf.CLIENT if from_client else UNKNOWN_SENDER
    kind, payload, why_not = _delivery(case_id, parsed.text, from_client)
    _record(row, case_id, parsed, actor, finish, kind, why_not)
    if kind is None:
        db.session.commit()
        return
    email_id = row.id
    try:  # the step commits the event, the files and the outcome with the message
        pqrsf.send_client_message(case_id, kind, payload, pqrsf.CLIENT)
    except (Conflict, EngineError):  # no longer awaited (or the step failed): recorded only
        db.session.rollback()
        row = db.session.get(InboundEmail, email_id)
        _record(row, case_id, parsed, actor, finish, None, NOT_AWAITED)
        db.session.commit()
