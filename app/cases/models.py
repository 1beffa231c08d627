"""Tables of the PQRSF application around the engine's: radicados, emails, non-conformities,
survey answers."""
from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, LargeBinary, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from app.engine.models import Base, BigId


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
    # which cause of SER-PD-01 4.12 (a code of vocabulary.NONCONFORMITY_CAUSES)
    cause: Mapped[str | None] = mapped_column(String(40), index=True)
    # its treatment (SER-PD-03): the correction made, who answers for it, the closing note
    correction: Mapped[str | None] = mapped_column(Text)
    responsible: Mapped[str | None] = mapped_column(String(200))
    closing_note: Mapped[str | None] = mapped_column(Text)
    treated_at: Mapped[datetime | None]
    treated_by: Mapped[str | None] = mapped_column(String(100))


class SurveyAnswer(Base):
    """The client's satisfaction survey, one per case."""

    __tablename__ = 'survey_answer'

    case_id: Mapped[int] = mapped_column(BigId, ForeignKey('case.id'), primary_key=True)
    rating: Mapped[int]  # overall: the rounded mean of `ratings` (1-5)
    # one rating 1-5 per criterion of seed 001 (vocabulary.SURVEY_CRITERIA code -> rating)
    ratings: Mapped[dict | None]
    comment: Mapped[str | None] = mapped_column(Text)
    answered_at: Mapped[datetime]


class PqrsfCase(Base):
    """What the task list, client pages and reports need of a PQRSF case, without reading the
    workflow: type, channel, branch, deadlines, and the hash of the client's follow-up code."""

    __tablename__ = 'pqrsf_case'
    # the staff search (app/cases/case_list.py): full text on PostgreSQL; SQLite reads LIKE
    __table_args__ = (
        Index('ix_pqrsf_case_search', text("to_tsvector('spanish', coalesce(search_text, ''))"),
              postgresql_using='gin').ddl_if(dialect='postgresql'),
        Index('ix_pqrsf_case_contact', text("to_tsvector('simple', coalesce(contact_text, ''))"),
              postgresql_using='gin').ddl_if(dialect='postgresql'))

    case_id: Mapped[int] = mapped_column(BigId, ForeignKey('case.id'), primary_key=True)
    radicado: Mapped[str] = mapped_column(String(40), unique=True)
    case_type: Mapped[str] = mapped_column(String(1), index=True)
    channel: Mapped[str] = mapped_column(String(20), index=True)
    branch: Mapped[str] = mapped_column(String(20), index=True)
    received_at: Mapped[datetime]
    # the organisation's own answer target (SER-PD-01 4.7), as extended or moved by a pause
    answer_due_at: Mapped[datetime] = mapped_column(index=True)
    # the legal maximum (Ley 1755 art. 14 / Ley 1480 art. 58), as extended or moved by a pause
    legal_due_at: Mapped[datetime | None] = mapped_column(index=True)
    follow_code_hash: Mapped[str] = mapped_column(String(300))
    sub_type: Mapped[str | None] = mapped_column(String(40))  # e.g. consulta, documentos
    priority: Mapped[int | None]  # from the priority table: higher first
    responsible_area: Mapped[str | None] = mapped_column(String(120))
    paused_since: Mapped[datetime | None]  # the clock stopped for the client (art. 17)
    extended: Mapped[bool] = mapped_column(default=False)  # the term was extended (art. 14)
    anonymous: Mapped[bool] = mapped_column(default=False)
    # a case opened by a late answer after a desistimiento points at the case it continues
    previous_case_id: Mapped[int | None] = mapped_column(BigId, ForeignKey('case.id'))
    # what the case list shows and searches, written at registration (app/cases/search_text.py):
    # the client's name; radicado, name and description, lower case and without accents; and,
    # apart, the email and id document, which only the roles that see contact data search
    client_name: Mapped[str | None] = mapped_column(String(200))
    search_text: Mapped[str | None] = mapped_column(Text)
    contact_text: Mapped[str | None] = mapped_column(Text)


class Attachment(Base):
    """A file the client or staff attached to a case (kept in the database: small, and it
    travels with backups)."""

    __tablename__ = 'attachment'

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    case_id: Mapped[int] = mapped_column(BigId, ForeignKey('case.id'), index=True)
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int]
    content: Mapped[bytes] = mapped_column(LargeBinary)
    uploaded_at: Mapped[datetime]
    uploaded_by: Mapped[str] = mapped_column(String(100))


class SavedFilter(Base):
    """A filter of the case list a user saved under a name: the list's query string."""

    __tablename__ = 'saved_filter'
    __table_args__ = (UniqueConstraint('username', 'name'),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    username: Mapped[str] = mapped_column(String(100), ForeignKey('app_user.username'), index=True)
    name: Mapped[str] = mapped_column(String(80))
    query: Mapped[str] = mapped_column(String(1000))
    created_at: Mapped[datetime]
