"""The thread of a case as the person on one of its tasks needs it: what the client sent
(information, answers with their comment) and every earlier step, with who, when and what they
entered, in the words of each task's form (labels, option labels). It is read from the history
(events), never from the workflow, and shown as the personal-data policy allows.

A task done again (an analysis redone after actions that did not work) also gets `redo`: its
last completion and the steps that came after it, which are the verdict that sent it back."""
from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from app.cases.privacy import redactor
from app.cases.service import CLIENT
from app.engine.models import Event, HumanTask
from app.platform.extensions import db
from app.platform.i18n import N_, localized
from app.task_forms.store import FormError
from app.tasks.service import form_of
from app.task_forms.walk import every_component

THREAD_KINDS = ('task_completed', 'message_received', 'email_received')
# what a client's message carries (app.cases.service sends these keys from its pages)
PAYLOAD_LABELS = {'text': N_('Información enviada'), 'decision': N_('Respuesta'), 'comment': N_('Comentario')}
PAYLOAD_VALUES = {'accept': N_('Acepta la respuesta'), 'reject': N_('No está de acuerdo')}
# what an email that landed on the case (app/inbound/replies.py) shows of itself
EMAIL_LABELS = {'sender': N_('Remitente'), 'subject': N_('Asunto'), 'text': N_('Texto del correo'),
                'attachments': N_('Adjuntos')}


@dataclass
class Entry:
    """One step of the thread: when, who, what, and its (label, text) lines."""
    at: object
    actor: str
    title: str
    from_client: bool
    element_id: str | None
    lines: list = field(default_factory=list)
    event_id: int | None = None


@dataclass
class Redo:
    """The last time this task was done and what was decided after it."""
    last: Entry
    since: list


def case_thread(case_id: int, user) -> list[Entry]:
    """The thread of `case_id`, oldest first, as `user` may see it."""
    events = db.session.scalars(select(Event).where(Event.case_id == case_id).order_by(Event.id)).all()
    masker = redactor(user, events)
    rows = {t.id: t for t in db.session.scalars(select(HumanTask).where(HumanTask.case_id == case_id))}
    forms, thread = {}, []
    for event in events:
        if event.kind not in THREAD_KINDS:
            continue
        data = masker.value(dict(event.data or {}))
        if event.kind == 'email_received':
            thread.append(_email_entry(event, data))
            continue
        if event.kind == 'message_received':
            lines = [(_(PAYLOAD_LABELS.get(k, k)), _(PAYLOAD_VALUES[v]) if v in PAYLOAD_VALUES else _text(v))
                     for k, v in (data.get('payload') or {}).items() if v not in (None, '')]
            thread.append(Entry(event.at, event.actor, localized(event.element_name, event.element_names) or _('Mensaje del cliente'),
                                True, event.element_id, lines, event.id))
            continue
        row = rows.get(event.task_id)
        labels = _labels(row, forms)
        changes = data.get('changes') or {}
        lines = [(labels.get(key, (key, {}))[0], _shown(change[1], labels.get(key, (key, {}))[1]))
                 for key, change in changes.items()
                 if isinstance(change, (list, tuple)) and len(change) == 2 and change[1] not in (None, '', [])]
        title = ((localized(row.name, row.names) if row is not None else None)
                 or localized(event.element_name, event.element_names) or event.element_id or '')
        thread.append(Entry(event.at, event.actor, title, False, event.element_id, lines, event.id))
    return thread


def _email_entry(event, data: dict) -> Entry:
    """An email on the case: from its client (actor `cliente`) or from an unknown sender; `data`
    has passed the policy (the sender's address is masked for roles without client data)."""
    from_client = event.actor == CLIENT
    values = {**data, 'attachments': ', '.join(data.get('attachments') or [])}
    lines = [(_(label), _text(values[key])) for key, label in EMAIL_LABELS.items() if values.get(key)]
    lines += [(_('Adjunto no aceptado'), f"{item.get('name')}: {item.get('reason')}")
              for item in data.get('refused_attachments') or []]
    title = _('Correo del cliente') if from_client else _('Correo de un remitente desconocido')
    return Entry(event.at, event.actor, title, from_client, None, lines, event.id)


def redo_of(element_id: str, thread: list[Entry]) -> Redo | None:
    """The last completion of `element_id` in the thread and what came after it, if it was done before."""
    done = [i for i, entry in enumerate(thread) if entry.element_id == element_id and not entry.from_client]
    if not done:
        return None
    return Redo(thread[done[-1]], thread[done[-1] + 1:])


def _labels(row, forms: dict) -> dict:
    """key -> (label, {value: option label}) of the task's form (cached per form key)."""
    if row is None:
        return {}
    key = row.form_key or f'generic:{row.element_id}'
    if key not in forms:
        try:
            definition = form_of(row)
        except FormError:
            definition = {}
        forms[key] = {c['key']: (c.get('label') or c.get('dateLabel') or c['key'],
                                 {str(o.get('value')): o.get('label') for o in c.get('values') or []})
                      for c in every_component(definition.get('components')) if c.get('key')}
    return forms[key]


def _shown(value, options: dict) -> str:
    if isinstance(value, bool):
        return _('Sí') if value else _('No')
    if isinstance(value, list):
        return '; '.join(_shown(v, {}) for v in value)
    if isinstance(value, dict):
        return ' · '.join(_text(v) for v in value.values() if v not in (None, ''))
    return options.get(str(value)) or _text(value)


def _text(value) -> str:
    if isinstance(value, date):
        return value.strftime('%d/%m/%Y')
    return str(value)
