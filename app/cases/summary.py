"""What several pages show of a case, read from projections (never from the workflow).

The client's own words stay visible to everyone who handles the case (claridad); the client's
contact data only to the roles that need it (confidencialidad)."""
from flask_babel import get_locale
from flask_login import current_user
from sqlalchemy import select

from app.engine.models import Event
from app.platform.extensions import db
from app.cases.privacy import redact_intake


def intake_data(case_id) -> dict:
    event = db.session.scalar(select(Event).where(Event.case_id == case_id, Event.kind == 'case_started'))
    return dict(((event.data or {}).get('data') or {}) if event else {})


def case_summary(case_id) -> dict:
    """The intake data as the signed-in user may see it (the personal-data policy decides)."""
    return redact_intake(intake_data(case_id), current_user)


def public_timeline(case_id, locale: str | None = None) -> list[tuple]:
    """(when, text) of what a client may see of the history: the events whose element declares a
    `public_message` in its diagram (see app/engine/facts.py), in the reader's language when the
    element declares one (`public_message_en`), else in Spanish. Nothing else."""
    locale = locale or str(get_locale() or 'es')
    events = db.session.execute(select(Event.at, Event.public_message).where(
        Event.case_id == case_id, Event.public_message.is_not(None)).order_by(Event.id)).all()
    return [(at, message.get(locale.split('_')[0]) or message['es']) for at, message in events
            if isinstance(message, dict) and message.get('es')]
