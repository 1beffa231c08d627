"""The decision a case sent its client, for the client's pages (the answer page, the status
page): the case-wide `decision` variable, once an email to the client carried that text. Before
that email went out the decision is a draft of the staff and is not shown."""
from sqlalchemy import select

from app.cases.models import SentEmail
from app.engine.models import Case
from app.platform.extensions import db


def sent_decision(case_id: int) -> str | None:
    """The text of the last decision sent to the client, or None when none was sent yet."""
    case = db.session.get(Case, case_id)
    decision = (case.variables or {}).get('decision') if case else None
    if not isinstance(decision, str) or not decision.strip():
        return None
    bodies = db.session.scalars(select(SentEmail.body).where(SentEmail.case_id == case_id)).all()
    return decision if any(decision in body for body in bodies) else None
