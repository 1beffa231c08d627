"""What the staff case page shows, gathered in one place: a summary at the top (state, both
terms, the next step and who holds it), the client's data, emails and attachments, the thread
in words, and the full history with each event's kind and element named, filtered on request.
Everything passes the personal-data policy (`redactor`) of the reader."""
from flask_babel import gettext as _
from sqlalchemy import select

from app.accounts.areas import all_areas
from app.accounts.policy import can_download_attachments
from app.accounts.roles import AREA_PREFIX, ROLES
from app.cases.models import Attachment, SentEmail
from app.cases.intake import FORM_KEY as INTAKE_FORM
from app.cases.privacy import intake_of, redactor
from app.engine.audit import verify as verify_chain
from app.engine.models import Event, HumanTask, Job
from app.platform.engines import calendar
from app.platform.extensions import db
from app.platform.i18n import N_, localized
from app.tasks.queries import deadline_of
from app.task_forms.schema import FormError
from app.task_forms.store import shown_form
from app.task_forms.walk import every_component
from app.tasks.thread import case_thread

# filter of the case history: name -> (label, event kinds)
HISTORY_KINDS = {
    'tareas': (N_('Tareas'), ('task_created', 'task_completed', 'task_claimed', 'task_released',
                              'task_reassigned', 'assignment_refused', 'element_cancelled')),
    'servicios': (N_('Servicios y correos'), ('service_queued', 'service_completed', 'job_failed')),
    'temporizadores': (N_('Temporizadores'), ('timer_set', 'timer_fired')),
    'mensajes': (N_('Mensajes del cliente'), ('message_received', 'email_received')),
    'incidentes': (N_('Incidentes'), ('incident_opened', 'incident_retried', 'step_failed', 'element_error')),
    'proceso': (N_('Proceso'), ('case_started', 'case_completed', 'call_started', 'call_completed',
                                'case_migrated', 'element_completed')),
}
FILTER_KEYS = ('tipo', 'actor', 'elemento')


def holder(task: HumanTask, areas: dict) -> str:
    """Who holds an open task: its assignee, else its groups by their names (an area group,
    `area:<code>`, by the area's name)."""
    def named(group):
        if group.startswith(AREA_PREFIX):
            code = group[len(AREA_PREFIX):].split(':')[0]
            return _('Área %(name)s', name=areas.get(code, code))
        return _(ROLES[group]) if group in ROLES else group
    return task.assignee or ', '.join(named(g) for g in task.candidate_groups or [])


def case_page(info, case, user, args) -> dict:
    """The template values of the case page of `case` for `user`, its history filtered by `args`."""
    history = db.session.scalars(select(Event).where(Event.case_id == case.id).order_by(Event.id)).all()
    policy = redactor(user, history)
    wanted = {key: (args.get(key) or '').strip() for key in FILTER_KEYS}
    thread = case_thread(case.id, user)
    names = {e.element_id: localized(e.element_name, e.element_names) for e in history if e.element_name}
    areas = {a.code: a.name for a in all_areas()}
    tasks = db.session.scalars(select(HumanTask).where(HumanTask.case_id == case.id,
                                                       HumanTask.state == 'open')).all()
    return {
        'info': info, 'case': case, 'summary': policy.intake(intake_of(history)),
        'deadline': deadline_of(info, calendar()), 'thread': thread,
        'tasks': [(t, holder(t, areas)) for t in tasks],
        'timers': [(names.get(j.element_id, j.element_id), j.due_at) for j in db.session.scalars(
            select(Job).where(Job.case_id == case.id, Job.kind == 'timer', Job.state == 'pending')
            .order_by(Job.due_at))],
        'emails': [{'sent_at': e.sent_at, 'subject': e.subject, 'recipient': policy.text(e.recipient)}
                   for e in db.session.scalars(select(SentEmail).where(SentEmail.case_id == case.id)
                                               .order_by(SentEmail.id))],
        'attachments': db.session.execute(select(Attachment.id, Attachment.filename, Attachment.size)
                                          .where(Attachment.case_id == case.id)).all(),
        'show_attachments': can_download_attachments(user),
        'events': [policy.event(e) for e in history if _kept(e, wanted)],
        'lines': {entry.event_id: entry.lines for entry in thread},
        'history_filter': wanted, 'history_open': any(wanted.values()),
        'history_kinds': HISTORY_KINDS, 'history_total': len(history),
        'actors': sorted({e.actor for e in history if e.actor}),
        'chain_breaks': verify_chain(db.session, case.id),
        'intake_options': intake_options(),
    }


def intake_options() -> dict:
    """{field: {value: option label in the page's language}} of the intake form's choices, so
    the case page shows 'Client' where the data say 'cliente'."""
    try:
        definition = shown_form(INTAKE_FORM)
    except FormError:
        return {}
    return {c['key']: {str(o.get('value')): o.get('label') for o in c['values'] if isinstance(o, dict)}
            for c in every_component(definition.get('components'))
            if c.get('key') and isinstance(c.get('values'), list)}


def _kept(event, wanted) -> bool:
    kinds = HISTORY_KINDS.get(wanted['tipo'], (None, None))[1]
    return ((kinds is None or event.kind in kinds) and (not wanted['actor'] or event.actor == wanted['actor'])
            and (not wanted['elemento'] or event.element_id == wanted['elemento']))
