"""What several pages show of a case, read from projections (never from the workflow).

The client's own words stay visible to everyone who handles the case (claridad); the client's
contact data only to the roles that need it (confidencialidad)."""
from flask_login import current_user
from sqlalchemy import select

from app.engine.models import Event
from app.platform.extensions import db
from app.platform.i18n import N_
from app.cases.privacy import redact_intake


def intake_data(case_id) -> dict:
    event = db.session.scalar(select(Event).where(Event.case_id == case_id, Event.kind == 'case_started'))
    return dict(((event.data or {}).get('data') or {}) if event else {})


def case_summary(case_id) -> dict:
    """The intake data as the signed-in user may see it (the personal-data policy decides)."""
    return redact_intake(intake_data(case_id), current_user)


# What a client may see of the history: kind (and element) -> public wording. Nothing else.
PUBLIC_EVENTS = {
    ('case_started', None): N_('Recibimos su solicitud.'),
    ('service_completed', 'send_acknowledgement'): N_('Le enviamos el acuse de recibo.'),
    ('service_completed', 'request_information'): N_('Le pedimos información adicional.'),
    ('message_received', 'information_received'): N_('Recibimos la información que envió.'),
    ('call_started', 'improvement'): N_('Su caso está en análisis.'),
    ('service_completed', 'send_progress_update'): N_('Le informamos el avance de su caso.'),
    ('call_started', 'overdue_escalation'): N_('Su caso fue escalado a la gerencia.'),
    ('service_completed', 'send_decision'): N_('Le enviamos nuestra respuesta.'),
    ('message_received', 'answer_received'): N_('Recibimos su respuesta a nuestra decisión.'),
    ('call_started', 'rejection_escalation'): N_('Su caso fue escalado a la gerencia.'),
    ('service_completed', 'send_final_decision'): N_('Le enviamos la decisión final.'),
    ('case_completed', None): N_('Caso cerrado.'),
}


def public_timeline(case_id) -> list[tuple]:
    events = db.session.scalars(select(Event).where(Event.case_id == case_id).order_by(Event.id)).all()
    return [(e.at, PUBLIC_EVENTS[(e.kind, e.element_id)]) for e in events
            if (e.kind, e.element_id) in PUBLIC_EVENTS]
