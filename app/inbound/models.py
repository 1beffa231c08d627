"""The inbound mailbox's table: every message the SMTP endpoint accepted, raw, once."""
from datetime import datetime

from sqlalchemy import ForeignKey, Index, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from app.engine.models import Base, BigId

# what became of a message: stored, being processed, then one of the outcomes
RECEIVED, PROCESSING = 'received', 'processing'
DRAFT, REGISTERING, REGISTERED, DISCARDED = 'draft', 'registering', 'registered', 'discarded'
IGNORED, CASE_REPLY = 'ignored', 'case_reply'


class InboundEmail(Base):
    """One message received by the mailbox (app/inbound/mailbox.py), deduplicated by
    `dedup_key` (its Message-ID, or the hash of its content when it has none). The raw bytes are
    the record; the other columns are what the list shows and what processing decided."""

    __tablename__ = 'inbound_email'
    __table_args__ = (Index('ix_inbound_email_sender', 'sender', 'received_at'),
                      Index('ix_inbound_email_state', 'state', 'received_at'))

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    dedup_key: Mapped[str] = mapped_column(String(80), unique=True)
    message_id: Mapped[str | None] = mapped_column(String(500))
    envelope_from: Mapped[str] = mapped_column(String(300))  # MAIL FROM ('' for <>)
    recipient: Mapped[str] = mapped_column(String(300))
    sender: Mapped[str] = mapped_column(String(300))  # the From address, lower case
    sender_name: Mapped[str | None] = mapped_column(String(300))
    subject: Mapped[str | None] = mapped_column(String(500))
    received_at: Mapped[datetime]
    size: Mapped[int]
    raw: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    state: Mapped[str] = mapped_column(String(20), default=RECEIVED)
    claimed_at: Mapped[datetime | None]
    processed_at: Mapped[datetime | None]
    ignored_reason: Mapped[str | None] = mapped_column(String(40))  # a code of IGNORED_REASONS
    # the case it landed on (a reply) or that was registered from it (a draft)
    case_id: Mapped[int | None] = mapped_column(BigId, ForeignKey('case.id'), index=True)
    delivered_as: Mapped[str | None] = mapped_column(String(20))  # the client message it became
    not_delivered: Mapped[str | None] = mapped_column(String(40))  # why a reply moved nothing
    refused_files: Mapped[list | None]  # [{'name', 'reason'}]
    decided_by: Mapped[str | None] = mapped_column(String(100))  # who registered or discarded it
    decided_at: Mapped[datetime | None]
