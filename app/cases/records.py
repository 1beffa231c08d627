"""What the service tasks of a case record on it: the emails it sent (once per key) and its
nonconformities. The handlers ask these, and know nothing of the engine."""
from sqlalchemy import select

from app.engine.clock import clock
from app.engine.models import Case
from app.platform.extensions import db
from app.cases.models import NonConformity, SentEmail


def radicado_and_sent(case_id: int, key: str) -> tuple[str, bool]:
    """The case's radicado, and whether an email with `key` was sent already (one round trip)."""
    try:
        radicado, sent = db.session.execute(select(
            Case.reference, select(SentEmail.id).where(SentEmail.key == key).exists())
            .where(Case.id == case_id)).one()
    finally:
        db.session.rollback()
    return radicado, sent


def sent_email(*, case_id: int, key: str, template: str, recipient: str, subject: str, body: str) -> SentEmail:
    """The row of an email sent now (not yet added to the session)."""
    return SentEmail(case_id=case_id, key=key, template=template, recipient=recipient,
                     subject=subject, body=body, sent_at=clock.now())


def record_nonconformity(*, case_id: int, key: str, reason: str, element_id: str) -> None:
    """Record a Servicio No Conforme once per `key` (a retried job finds the first)."""
    try:
        if db.session.scalar(select(NonConformity.id).where(NonConformity.key == key)) is None:
            db.session.add(NonConformity(case_id=case_id, key=key, reason=reason,
                                         element_id=element_id, detected_at=clock.now()))
            db.session.commit()
    finally:
        db.session.rollback()
