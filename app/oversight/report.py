"""Informe de trazabilidad (seed 001): the follow-up and full history of one case, for auditors
and staff, as a dict: the web page renders it, `report_csv` writes its events as CSV and
`report_pdf` prints it.

No request here: the caller passes the session, whether the reader may see the client's contact
data, the masking function and the time zone. Everything is read from the projections and the
application tables (events, emails, attachments, non-conformities, survey, incidents, jobs),
never from the serialized workflow. Words (states, labels, element names) are in the reader's
language through flask_babel's `gettext`, which gives the Spanish outside a request.
"""
import json
import os
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from sqlalchemy import select

from app.engine.clock import clock
from app.engine.models import Case, Event, HumanTask, Incident, Job
from app.platform.i18n import N_, localized
from app.cases.case_list import STATES
from app.cases.models import Attachment, NonConformity, PqrsfCase, SentEmail, SurveyAnswer
from app.cases.privacy import Redactor, contact_values, intake_of
from app.cases.vocabulary import (CASE_TYPES, CHANNELS, CLIENT_FIELDS, EVENT_LABELS, NONCONFORMITY_CAUSES, SURVEY_CRITERIA,
                                  label_of)

ARROW = '→'
NONE_TEXT = '—'
NO_CAUSE = N_('Sin causa registrada')  # a non-conformity recorded before causes were kept
UNTREATED = N_('sin tratar')
HIDDEN_NAME = N_('(nombre reservado)')  # an attachment's name, for roles that may not open it
# data keys shown in their own column; anything else an event carries goes to "details"
_KNOWN_KEYS = {'changes', 'inputs', 'result', 'topic', 'due', 'error', 'attempt', 'retry_at',
               'incident', 'called', 'version', 'data'}


def _zone(tz):
    if isinstance(tz, ZoneInfo):
        return tz
    return ZoneInfo(tz or os.environ.get('PQRSF_TIMEZONE') or 'America/Bogota')


def _local(value, zone):
    """An aware datetime in the local zone (from a datetime or an ISO string), or None."""
    if value is None or value == '':
        return None
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return None
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(zone)
    return None


def as_text(value) -> str:
    """A value as the report writes it (yes/no in words, JSON for structures, ISO dates)."""
    if value is None:
        return NONE_TEXT
    if isinstance(value, bool):
        return _('sí') if value else _('no')
    if isinstance(value, (dict, list, tuple)):
        return json.dumps(value, ensure_ascii=False, default=str, separators=(', ', ': '))
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return str(value)


def when(value) -> str:
    """dd/mm/yyyy HH:MM:SS of a local datetime ('' for none)."""
    return value.strftime('%d/%m/%Y %H:%M:%S') if value else ''


def _event_row(event, zone, masker) -> dict:
    data = dict(event.data or {})
    changes = [{'field': key, 'old': as_text(masker.value(change[0], key)),
                'new': as_text(masker.value(change[1], key))}
               for key, change in (data.get('changes') or {}).items()
               if isinstance(change, (list, tuple)) and len(change) == 2]
    inputs = masker.value(data.get('inputs'))
    result = masker.value(data.get('result'))
    details = {k: masker.value(v, k) for k, v in data.items() if k not in _KNOWN_KEYS}
    for key in ('version', 'called', 'attempt', 'incident', 'topic'):
        if data.get(key) is not None and not (key == 'topic' and event.kind == 'service_queued'):
            details[key] = data[key]
    at = _local(event.at, zone)
    return {
        'id': event.id, 'at': at, 'at_text': when(at), 'at_iso': at.isoformat() if at else '',
        'actor': event.actor, 'kind': event.kind, 'label': EVENT_LABELS.get(event.kind, event.kind),
        'process_id': event.process_id, 'element_id': event.element_id,
        'element_type': event.element_type,
        'element_name': localized(event.element_name, event.element_names),
        'element': localized(event.element_name, event.element_names) or event.element_id or '',
        'changes': changes,
        'changes_text': '; '.join(f"{c['field']}: {c['old']} {ARROW} {c['new']}" for c in changes),
        'topic': data.get('topic') if event.kind == 'service_queued' else None,
        'inputs': {k: as_text(v) for k, v in inputs.items()} if isinstance(inputs, dict) else inputs,
        'result': {k: as_text(v) for k, v in result.items()} if isinstance(result, dict) else result,
        'timer_due': _local(data.get('due'), zone),
        'retry_at': _local(data.get('retry_at'), zone),
        'error': masker.value(data.get('error')),
        'details': {k: as_text(v) for k, v in details.items()},
    }


def _summary_line(row) -> str:
    """Everything an event says beyond its columns, on one line (PDF and plain text)."""
    parts = []
    if row['changes_text']:
        parts.append(row['changes_text'])
    if row['topic']:
        parts.append(_('servicio %(topic)s', topic=row['topic']))
    if row['inputs']:
        parts.append(_('entradas') + ': ' + (', '.join(f'{k}={v}' for k, v in row['inputs'].items())
                                     if isinstance(row['inputs'], dict) else as_text(row['inputs'])))
    if row['result'] is not None:
        parts.append(_('resultado') + ': ' + (', '.join(f'{k}={v}' for k, v in row['result'].items())
                                      if isinstance(row['result'], dict) else as_text(row['result'])))
    if row['timer_due']:
        parts.append(_('vence %(when)s', when=when(row['timer_due'])))
    if row['error']:
        parts.append(_('error: %(error)s', error=row['error']))
    if row['retry_at']:
        parts.append(_('reintento %(when)s', when=when(row['retry_at'])))
    parts.extend(f'{k}: {v}' for k, v in row['details'].items())
    return ' | '.join(parts)


def case_report(session, case_id: int, show_contact: bool, *, mask=None, tz=None) -> dict:
    """Everything the traceability report shows of a case. `mask` hides one contact value
    (defaults to app.privacy.mask, as on the case page); `tz` is the local time zone
    (a name or ZoneInfo; defaults to PQRSF_TIMEZONE or America/Bogota). Raises LookupError
    for an unknown case."""
    zone = _zone(tz)
    case = session.get(Case, case_id)
    if case is None:
        raise LookupError(f'El caso {case_id} no existe.')
    info = session.get(PqrsfCase, case_id)
    events = session.scalars(select(Event).where(Event.case_id == case_id).order_by(Event.id)).all()
    intake = intake_of(events)
    masker = Redactor(show_contact, () if show_contact else contact_values(intake, events), mask)
    facts = _facts(case, info, intake, zone)
    rows = [_event_row(event, zone, masker) for event in events]
    for row in rows:
        row['summary'] = _summary_line(row)
    return {
        'case_id': case_id, 'radicado': facts['radicado'], 'facts': facts,
        'contact_visible': bool(show_contact), 'client': _client(intake, masker),
        'description': intake.get('description') or '',
        'remedy_sought': intake.get('remedy_sought') or '',
        'events': rows, **_records(session, case_id, zone, masker), **_pending(session, case_id, zone),
        'time_zone': zone.key, 'generated_at': clock.now().astimezone(zone),
    }


def _facts(case, info, intake, zone) -> dict:
    """The case's own facts, from its PQRSF row (or, without one, from the intake data)."""
    case_type = info.case_type if info else intake.get('case_type')
    return {
        'radicado': info.radicado if info else case.reference,
        'case_type': case_type, 'case_type_label': label_of(CASE_TYPES, case_type),
        'channel': info.channel if info else intake.get('channel'),
        'channel_label': label_of(CHANNELS, info.channel if info else intake.get('channel')),
        'branch': info.branch if info else intake.get('branch'),
        'received_at': _local(info.received_at if info else case.created_at, zone),
        'answer_due_at': _local(info.answer_due_at if info else None, zone),
        'legal_due_at': _local(info.legal_due_at if info else None, zone),
        'extended': bool(info and info.extended),
        'completed_at': _local(case.completed_at, zone),
        'state': case.state, 'state_label': _(STATES[case.state]) if case.state in STATES else case.state,
        'process_id': case.process_id, 'started_by': case.started_by,
    }


def _client(intake, masker) -> list[dict]:
    return [{'key': key, 'label': label, 'value': as_text(masker.value(intake.get(key), key))}
            for key, label in CLIENT_FIELDS if intake.get(key) not in (None, '')]


def _records(session, case_id, zone, masker) -> dict:
    """What was kept beside the history: emails, attachments, non-conformities, incidents and
    the survey answer."""
    emails = [{'sent_at': _local(e.sent_at, zone), 'template': e.template, 'subject': e.subject,
               'recipient': masker.text(e.recipient)}
              for e in session.scalars(select(SentEmail).where(SentEmail.case_id == case_id)
                                       .order_by(SentEmail.id))]
    attachments = [{'id': a.id, 'filename': masker.attachment_name(a.filename),
                    'content_type': a.content_type,
                    'size': a.size, 'uploaded_at': _local(a.uploaded_at, zone),
                    'uploaded_by': a.uploaded_by}
                   for a in session.execute(
                       select(Attachment.id, Attachment.filename, Attachment.content_type,
                              Attachment.size, Attachment.uploaded_at, Attachment.uploaded_by)
                       .where(Attachment.case_id == case_id).order_by(Attachment.id))]
    nonconformities = _nonconformities(session, case_id, zone)
    incidents = [{'id': i.id, 'created_at': _local(i.created_at, zone), 'element_id': i.element_id,
                  'message': masker.value(i.message), 'resolved_at': _local(i.resolved_at, zone),
                  'resolved_by': i.resolved_by}
                 for i in session.scalars(select(Incident).where(Incident.case_id == case_id)
                                          .order_by(Incident.id))]
    survey_row = session.get(SurveyAnswer, case_id)
    survey = ({'rating': survey_row.rating, 'comment': survey_row.comment,
               'answered_at': _local(survey_row.answered_at, zone),
               'ratings': [{'key': key, 'label': label_of(SURVEY_CRITERIA, key), 'rating': value}
                           for key, value in (survey_row.ratings or {}).items()]}
              if survey_row else None)
    return {'emails': emails, 'attachments': attachments, 'nonconformities': nonconformities,
            'incidents': incidents, 'survey': survey}


def _nonconformities(session, case_id, zone) -> list[dict]:
    """Each Servicio No Conforme: its cause (label), reason, when detected, and its treatment
    (None while untreated; `treatment_text` says so in words for the PDF)."""
    rows = []
    for n in session.scalars(select(NonConformity).where(NonConformity.case_id == case_id)
                             .order_by(NonConformity.id)):
        treated = n.treated_at is not None
        treatment = {'correction': n.correction, 'responsible': n.responsible,
                     'closing_note': n.closing_note, 'treated_at': _local(n.treated_at, zone),
                     'treated_by': n.treated_by} if treated else None
        rows.append({
            'id': n.id, 'detected_at': _local(n.detected_at, zone), 'reason': n.reason,
            'element_id': n.element_id, 'cause': n.cause,
            'cause_label': label_of(NONCONFORMITY_CAUSES, n.cause) if n.cause else _(NO_CAUSE),
            'treatment': treatment,
            'treatment_text': _('%(correction)s — responsable: %(responsible)s — cierre: %(note)s '
                                '(%(when)s, %(by)s)', correction=n.correction, responsible=n.responsible,
                                note=n.closing_note, when=when(treatment['treated_at']), by=n.treated_by)
                              if treated else _(UNTREATED)})
    return rows


def _pending(session, case_id, zone) -> dict:
    """What the case still waits for: its open tasks and its pending timers."""
    open_tasks = [{'name': localized(t.name, t.names) or t.element_id, 'element_id': t.element_id,
                   'assignee': t.assignee, 'groups': list(t.candidate_groups or []),
                   'created_at': _local(t.created_at, zone)}
                  for t in session.scalars(select(HumanTask).where(
                      HumanTask.case_id == case_id, HumanTask.state == 'open')
                      .order_by(HumanTask.created_at))]
    timers = session.scalars(select(Job).where(
        Job.case_id == case_id, Job.kind == 'timer', Job.state == 'pending').order_by(Job.due_at)).all()
    # a timer not fired yet is named by the history's events of its element (it was scheduled)
    names = {element_id: localized(name, others) for element_id, name, others in session.execute(
        select(Event.element_id, Event.element_name, Event.element_names).where(
            Event.case_id == case_id, Event.element_id.in_({j.element_id for j in timers}),
            Event.element_name.is_not(None)))} if timers else {}
    pending_timers = [{'element_id': j.element_id, 'name': names.get(j.element_id) or j.element_id,
                       'due_at': _local(j.due_at, zone)} for j in timers]
    return {'open_tasks': open_tasks, 'pending_timers': pending_timers}
