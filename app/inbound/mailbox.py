"""The inbound mailbox: an SMTP endpoint (aiosmtpd) that does almost nothing. It checks the
recipient and the size, stores the raw message in the database (once: a message already stored,
same Message-ID or same bytes, is accepted again and stored nothing more), answers 250 only once
the row is committed, and then queues its processing (app/inbound/processing.py). A message it
could not store is answered 451, so the sending server tries again later; one it could not
queue is found by the sweep."""
import asyncio
import logging

from sqlalchemy.exc import IntegrityError

from app.engine.clock import clock
from app.inbound.mime import envelope_of
from app.inbound.models import InboundEmail
from app.platform.extensions import db
from app.platform.mailcatcher import SmtpEndpoint

log = logging.getLogger(__name__)


def store(raw: bytes, envelope_from: str, recipient: str) -> tuple[int, bool]:
    """(row id, whether it is new) of the message; the caller has an app context."""
    head = envelope_of(raw)
    row = InboundEmail(dedup_key=head.dedup_key, message_id=head.message_id,
                       envelope_from=(envelope_from or '')[:300], recipient=(recipient or '')[:300],
                       sender=head.sender, sender_name=head.sender_name, subject=head.subject,
                       received_at=clock.now(), size=len(raw), raw=raw)
    db.session.add(row)
    try:
        db.session.commit()
        return row.id, True
    except IntegrityError:
        db.session.rollback()
        return db.session.query(InboundEmail.id).filter_by(dedup_key=head.dedup_key).scalar(), False
    finally:
        db.session.remove()


class _Handler:
    def __init__(self, app):
        self.app = app

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        allowed = self.app.config['INBOUND_RECIPIENTS']
        if allowed and address.lower() not in allowed:
            return '550 5.1.1 No such mailbox here'
        envelope.rcpt_tos.append(address)
        return '250 OK'

    async def handle_DATA(self, server, session, envelope):
        raw = envelope.original_content or envelope.content
        if len(raw) > self.app.config['INBOUND_MAX_BYTES']:
            return '552 5.3.4 Message too big'
        loop = asyncio.get_running_loop()
        try:  # the database is called off the event loop, so other sessions go on meanwhile
            email_id, new = await loop.run_in_executor(None, self._store, raw, envelope)
        except Exception:
            log.exception('could not store an inbound message')
            return '451 4.3.0 Could not store the message; try again later'
        if new:
            await loop.run_in_executor(None, self._queue, email_id)
        return '250 2.0.0 Message accepted'

    def _store(self, raw, envelope):
        with self.app.app_context():
            # MAIL FROM:<> (a bounce, an auto-reply) is kept as ''
            return store(raw, (envelope.mail_from or '').strip('<> '), ','.join(envelope.rcpt_tos))

    def _queue(self, email_id):
        from app.inbound.processing import queue_processing
        with self.app.app_context():
            queue_processing(email_id)


class Mailbox(SmtpEndpoint):
    """`with Mailbox(app, port=0) as box:` ... `box.port`; port 0 takes a free one, None the
    configured INBOUND_SMTP_PORT."""

    def __init__(self, app, host=None, port=None):
        super().__init__(_Handler(app), host or app.config['INBOUND_SMTP_HOST'],
                         app.config['INBOUND_SMTP_PORT'] if port is None else port,
                         data_size_limit=app.config['INBOUND_MAX_BYTES'])
