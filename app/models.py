"""Tables of the PQRSF application around the engine's: radicados, emails, non-conformities,
survey answers."""
from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .engine.models import Base, BigId


class RadicadoSequence(Base):
    """Last radicado number given in a year; incremented under a row lock (gaps allowed)."""

    __tablename__ = 'radicado_sequence'

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last: Mapped[int] = mapped_column(BigInteger)


class SentEmail(Base):
    """Every email sent for a case; `key` makes each message go out once per case."""

    __tablename__ = 'sent_email'

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    case_id: Mapped[int] = mapped_column(BigId, ForeignKey('case.id'), index=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    template: Mapped[str] = mapped_column(String(100))
    recipient: Mapped[str] = mapped_column(String(300))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    sent_at: Mapped[datetime]


class NonConformity(Base):
    """A Servicio No Conforme (SER-PD-03) detected on a case, with its reason."""

    __tablename__ = 'nonconformity'

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    case_id: Mapped[int] = mapped_column(BigId, ForeignKey('case.id'), index=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    reason: Mapped[str] = mapped_column(Text)
    element_id: Mapped[str | None] = mapped_column(String(200))
    detected_at: Mapped[datetime]


class SurveyAnswer(Base):
    """The client's satisfaction survey, one per case."""

    __tablename__ = 'survey_answer'

    case_id: Mapped[int] = mapped_column(BigId, ForeignKey('case.id'), primary_key=True)
    rating: Mapped[int]
    comment: Mapped[str | None] = mapped_column(Text)
    answered_at: Mapped[datetime]
