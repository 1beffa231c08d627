"""The notifications table and each user's choice of how to get them by email."""
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from app.engine.models import Base, BigId

IMMEDIATE, DIGEST = 'immediate', 'digest'
MODES = (IMMEDIATE, DIGEST)


class Notification(Base):
    """One thing a staff member is told about, once: `key` names the event (e.g. the new task
    and its recipient), so a job run twice finds the row of the first run. `claimed_at` is set,
    and committed, before its email goes out, and `sent_at` after: an email is sent at most once
    (a worker killed between the two leaves it claimed, and the in-app list still shows it)."""

    __tablename__ = 'notification'
    __table_args__ = (Index('ix_notification_user_unread', 'username', 'read_at'),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    username: Mapped[str] = mapped_column(String(100), ForeignKey('app_user.username'))
    kind: Mapped[str] = mapped_column(String(20))  # task_new | assigned | due_soon | overdue | digest | lead_digest
    task_id: Mapped[str | None] = mapped_column(String(36), index=True)
    case_id: Mapped[int | None] = mapped_column(BigId, ForeignKey('case.id'), index=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime]
    claimed_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    read_at: Mapped[datetime | None]


class NotificationPreference(Base):
    """How a user wants their notifications by email: each at once, or one digest a day."""

    __tablename__ = 'notification_preference'

    username: Mapped[str] = mapped_column(String(100), ForeignKey('app_user.username'), primary_key=True)
    mode: Mapped[str] = mapped_column(String(20), default=IMMEDIATE)
