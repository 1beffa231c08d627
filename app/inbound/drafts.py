"""The use cases of the received emails, for the pages (/correo) and the API alike: the list
(with a filter by outcome), one message, and what staff do with a draft: register it as a case
with the staff registration form prefilled from it (channel `correo`, the sender as the client's
email and name, the text as the description; its attachments become the case's), or discard it.

Only the intake roles (`can_register`) see the mailbox; the sender's data pass the one
personal-data policy (`Redactor`) like every other output."""
from datetime import timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import and_, or_, select, update

from app.accounts.policy import can_register, can_see_client_data
from app.cases.intake import register_case
from app.cases.privacy import Redactor
from app.engine.clock import clock
from app.engine.models import Case
from app.inbound import mime
from app.inbound.files import email_files, uploads
from app.inbound.models import (CASE_REPLY, DISCARDED, DRAFT, IGNORED, REGISTERED, REGISTERING,
                                InboundEmail)
from app.platform.extensions import db
from app.platform.refusals import Missing, NotAllowed, Stale

CHANNEL = 'correo'  # a code of app.cases.vocabulary.CHANNELS
VIEWS = {'borradores': (DRAFT, REGISTERING), 'respuestas': (CASE_REPLY,), 'registrados': (REGISTERED,),
         'descartados': (DISCARDED,), 'ignorados': (IGNORED,), 'todos': None}
DEFAULT_VIEW = 'borradores'
LIST_LIMIT = 200
# a registration that has not finished after this long was cut short (the web process died
# between taking the draft and recording the case): the draft is offered again, with a warning
INTERRUPTED_AFTER = timedelta(minutes=10)


def _allowed(user) -> Redactor:
    if not can_register(user):
        raise NotAllowed(_('Su rol no atiende los correos recibidos.'))
    return Redactor(can_see_client_data(user))


def _item(row: InboundEmail, policy: Redactor, radicados: dict) -> dict:
    return {'id': row.id, 'received_at': row.received_at, 'state': row.state,
            'sender': policy.text(row.sender), 'sender_name': policy.text(row.sender_name),
            'subject': row.subject or '', 'ignored_reason': row.ignored_reason,
            'radicado': radicados.get(row.case_id), 'delivered_as': row.delivered_as,
            'not_delivered': row.not_delivered, 'decided_by': row.decided_by, 'decided_at': row.decided_at}


def _radicados(case_ids) -> dict:
    ids = {i for i in case_ids if i}
    if not ids:
        return {}
    return dict(db.session.execute(select(Case.id, Case.reference).where(Case.id.in_(ids))).all())


def inbox(user, view: str = DEFAULT_VIEW) -> list[dict]:
    """The received emails of one view (VIEWS), newest first."""
    policy = _allowed(user)
    states = VIEWS.get(view, VIEWS[DEFAULT_VIEW])
    query = select(InboundEmail).order_by(InboundEmail.received_at.desc(), InboundEmail.id.desc()).limit(LIST_LIMIT)
    if states is not None:
        query = query.where(InboundEmail.state.in_(states))
    rows = db.session.scalars(query).all()
    radicados = _radicados(r.case_id for r in rows)
    return [_item(r, policy, radicados) for r in rows]


def _row(email_id: int) -> InboundEmail:
    row = db.session.get(InboundEmail, email_id)
    if row is None:
        raise Missing(_('No existe ese correo recibido.'))
    return row


def prefill(row: InboundEmail, parsed) -> dict:
    """The staff registration form's values taken from the email (staff complete the rest)."""
    zone = ZoneInfo(current_app.config['TIMEZONE'])
    return {'channel': CHANNEL, 'client_email': parsed.sender, 'client_name': parsed.sender_name or '',
            'description': parsed.text[:5000],
            'received_at': row.received_at.astimezone(zone).strftime('%Y-%m-%dT%H:%M')}


def message(user, email_id: int) -> dict:
    """One received email as `user` may see it: who, when, subject, text, its attachments
    (those the intake checks refuse, with the reason), and for a draft the form's values."""
    policy = _allowed(user)
    row = _row(email_id)
    parsed = mime.parse(row.raw)
    accepted, refused = email_files(parsed.attachments)
    item = _item(row, policy, _radicados([row.case_id]))
    return {**item, 'text': policy.value(parsed.text), 'sent_at': parsed.sent_at,
            'attachments': [{'index': i, 'name': name, 'size': len(content)}
                            for i, (name, content) in enumerate(parsed.attachments)],
            'accepted': [name for name, _type, _content in accepted], 'refused': refused,
            'interrupted': _interrupted(row),
            'values': policy.intake(prefill(row, parsed)) if row.state == DRAFT or _interrupted(row) else None}


def attachment(user, email_id: int, index: int) -> tuple[str, bytes]:
    """(name, bytes) of one of the email's attachments, for the roles that open attachments."""
    policy = _allowed(user)
    if not policy.show:
        raise NotAllowed(_('Su rol no abre los adjuntos de los clientes (pueden tener documentos de identidad).'))
    files = mime.parse(_row(email_id).raw).attachments
    if not 0 <= index < len(files):
        raise Missing(_('No existe ese adjunto.'))
    return files[index][0] or 'adjunto', files[index][1]


def _interrupted(row: InboundEmail) -> bool:
    return (row.state == REGISTERING and row.decided_at is not None
            and row.decided_at < clock.now() - INTERRUPTED_AFTER)


def _open_draft():
    """A draft, or a registration cut short (see INTERRUPTED_AFTER)."""
    return or_(InboundEmail.state == DRAFT, and_(InboundEmail.state == REGISTERING,
                                                InboundEmail.decided_at < clock.now() - INTERRUPTED_AFTER))


def _take(email_id: int, to_state: str, user) -> InboundEmail:
    """Move a draft on (committed, with who and when), or Stale when it is no longer a draft
    (done by someone else)."""
    _row(email_id)
    taken = db.session.execute(update(InboundEmail).where(InboundEmail.id == email_id, _open_draft())
                               .values(state=to_state, decided_by=user.username, decided_at=clock.now())).rowcount
    db.session.commit()
    if taken != 1:
        raise Stale(_('Este correo ya no es un borrador: alguien lo registró o lo descartó.'))
    return db.session.get(InboundEmail, email_id)


def register_draft(user, email_id: int, data, files=(), fill: bool = False) -> tuple[Case, str]:
    """Register the draft as a case with the staff form's `data` (the same `register_case` as
    /casos/nuevo) and the email's accepted attachments besides the `files` staff add; the draft
    then points at the case. Refused (Invalid) it stays a draft. With `fill` (the API), what
    `data` leaves out is taken from the email as the page prefills it."""
    _allowed(user)
    row = _take(email_id, REGISTERING, user)
    parsed = mime.parse(row.raw)
    if fill:
        data = {**prefill(row, parsed), **data}
    accepted, _refused = email_files(parsed.attachments)
    try:
        case, code = register_case(user=user, data=data, files=[
            *uploads((name, content) for name, _type, content in accepted), *files])
    except BaseException:
        db.session.rollback()
        db.session.execute(update(InboundEmail).where(InboundEmail.id == email_id).values(
            state=DRAFT, decided_by=None, decided_at=None))
        db.session.commit()
        raise
    db.session.execute(update(InboundEmail).where(InboundEmail.id == email_id).values(
        state=REGISTERED, case_id=case.id, decided_by=user.username, decided_at=clock.now()))
    db.session.commit()
    return case, code


def discard_draft(user, email_id: int) -> InboundEmail:
    """The draft is not a PQRSF (spam, a wrong address): kept, marked discarded, with who and when."""
    _allowed(user)
    return _take(email_id, DISCARDED, user)
