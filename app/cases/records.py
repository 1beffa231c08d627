"""What the service tasks of a case record on it: the emails it sent (once per key) and its
non-conformities and their treatment. The handlers ask these, and know nothing of the engine."""
from sqlalchemy import select

from app.engine.clock import clock
from app.engine.models import Case, Event
from app.platform.extensions import db
from app.cases.models import NonConformity, SentEmail

SYSTEM_ACTOR = 'sistema'


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


def record_nonconformity(*, case_id: int, key: str, cause: str, reason: str, element_id: str) -> int:
    """Record a Servicio No Conforme once per `key` (a retried job finds the first); its row id."""
    try:
        row_id = db.session.scalar(select(NonConformity.id).where(NonConformity.key == key))
        if row_id is None:
            row = NonConformity(case_id=case_id, key=key, cause=cause, reason=reason,
                                element_id=element_id, detected_at=clock.now())
            db.session.add(row)
            db.session.commit()
            row_id = row.id
        return row_id
    finally:
        db.session.rollback()


def _last_completer(case_id: int) -> str:
    """Who completed the case's latest task (the SER-PD-03 treatment runs right after it), else
    'sistema'."""
    actor = db.session.scalar(select(Event.actor).where(
        Event.case_id == case_id, Event.kind == 'task_completed').order_by(Event.id.desc()).limit(1))
    return actor or SYSTEM_ACTOR


def treat_nonconformity(*, case_id: int, nonconformity_id: int, correction: str, responsible: str,
                        closing_note: str) -> None:
    """Write the treatment of a non-conformity of the case; the same treatment again changes
    nothing (a retried job), a different one replaces it."""
    try:
        row = db.session.get(NonConformity, nonconformity_id)
        if row is None or row.case_id != case_id:
            raise ValueError(f'El servicio no conforme {nonconformity_id} no existe en este caso.')
        treatment = {'correction': correction, 'responsible': responsible, 'closing_note': closing_note}
        if row.treated_at is not None and all(getattr(row, k) == v for k, v in treatment.items()):
            return
        for name, value in treatment.items():
            setattr(row, name, value)
        row.treated_at, row.treated_by = clock.now(), _last_completer(case_id)
        db.session.commit()
    finally:
        db.session.rollback()
