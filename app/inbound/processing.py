"""What becomes of a stored message, run by an RQ job (`process`) any number of times: the row
is claimed first (`received` -> `processing`, a conditional UPDATE: one job wins), and what it
does is committed in the same transaction as the row's outcome, so a job run again, a message
delivered twice or a worker killed after its claim changes nothing more. A claim older than
STALE_CLAIM (a worker killed before it acted) is taken again by the sweep's next run.

An automatic message (auto-reply, list, bounce, our own, a flood from one sender) is kept as
ignored with its reason and never answered; a subject naming an existing case's radicado is a
reply to it (app/inbound/replies.py); anything else is a draft for staff to register."""
import logging
from datetime import timedelta
from email.utils import parseaddr

from flask import current_app
from sqlalchemy import func, or_, select, update

from app.engine.clock import clock
from app.cases.models import PqrsfCase
from app.inbound import mime
from app.inbound.models import (CASE_REPLY, DRAFT, IGNORED, PROCESSING, RECEIVED, InboundEmail)
from app.platform.extensions import db
from app.platform.queue import app_queue

log = logging.getLogger(__name__)
STALE_CLAIM = timedelta(minutes=10)
FLOOD_WINDOW = timedelta(hours=1)


def process(email_id: int) -> str:
    """RQ entry point: process one stored message (see the module's docstring)."""
    from app.jobs import worker_app
    with worker_app().app_context():
        try:
            return process_email(email_id)
        finally:
            db.session.remove()


def claim(email_id: int) -> bool:
    """Take the row for this run (committed), unless another run has it or it is done."""
    now = clock.now()
    taken = db.session.execute(
        update(InboundEmail).where(InboundEmail.id == email_id, or_(
            InboundEmail.state == RECEIVED,
            (InboundEmail.state == PROCESSING) & (InboundEmail.claimed_at < now - STALE_CLAIM)))
        .values(state=PROCESSING, claimed_at=now)).rowcount
    db.session.commit()
    return taken == 1


def process_email(email_id: int) -> str:
    """The outcome of the message (its new state), or 'skipped' when it is not this run's."""
    clock.refresh(db.session)
    if not claim(email_id):
        return 'skipped'
    row = db.session.get(InboundEmail, email_id)
    reason = _ignored(row)
    if reason:
        _finish(row, IGNORED, ignored_reason=reason)
        db.session.commit()
        return IGNORED
    radicado = mime.radicado_in(row.subject)
    case_id = radicado and db.session.scalar(select(PqrsfCase.case_id).where(PqrsfCase.radicado == radicado))
    if case_id:
        from app.inbound.replies import land_reply
        land_reply(row, case_id, _finish)
        return CASE_REPLY
    _finish(row, DRAFT)
    db.session.commit()
    return DRAFT


def _finish(row: InboundEmail, state: str, **values) -> None:
    row.state, row.processed_at = state, clock.now()
    for name, value in values.items():
        setattr(row, name, value)


def _ignored(row: InboundEmail) -> str | None:
    own = parseaddr(current_app.config['MAIL_FROM'])[1]
    reason = mime.ignored_reason(row.raw, row.envelope_from, own)
    if reason or not row.sender:
        return reason or mime.NULL_SENDER
    earlier = db.session.scalar(select(func.count(InboundEmail.id)).where(
        InboundEmail.sender == row.sender, InboundEmail.id < row.id,
        InboundEmail.received_at > row.received_at - FLOOD_WINDOW))
    return mime.FLOOD if earlier >= current_app.config['INBOUND_LIMIT_PER_HOUR'] else None


def queue_processing(email_id: int) -> None:
    """Queue the processing of one message (Redis down: the sweep queues it later)."""
    try:
        app_queue('inbound').enqueue(process, email_id, result_ttl=0, failure_ttl=86400,
                         description=f'inbound email {email_id}')
    except Exception:
        log.exception('could not queue inbound email %s; the sweep will', email_id)


def queue_pending(grace: timedelta = timedelta(seconds=30)) -> int:
    """Called by the sweep: queue the messages stored but never processed (their job lost) and
    those whose claim went stale."""
    now = clock.now()
    ids = db.session.scalars(select(InboundEmail.id).where(or_(
        (InboundEmail.state == RECEIVED) & (InboundEmail.received_at < now - grace),
        (InboundEmail.state == PROCESSING) & (InboundEmail.claimed_at < now - STALE_CLAIM)))
        .order_by(InboundEmail.id).limit(500)).all()
    db.session.rollback()
    for email_id in ids:
        queue_processing(email_id)
    return len(ids)
