"""Informe de trazabilidad (seed 001): the follow-up and full history of one case, for auditors
and staff, as a dict the web page renders, plus its CSV (one row per event) and its PDF.

No Flask here: the caller passes the session, whether the reader may see the client's contact
data, the masking function and the time zone. Everything is read from the projections and the
application tables (events, emails, attachments, non-conformities, survey, incidents, jobs),
never from the serialized workflow.
"""
import csv
import io
import json
import os
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from app.engine.clock import clock
from app.engine.models import Case, Event, HumanTask, Incident, Job
from app.cases.models import Attachment, NonConformity, PqrsfCase, SentEmail, SurveyAnswer
from app.cases.privacy import Redactor, contact_values, intake_of

CLIENT_FIELDS = (
    ('client_name', 'Cliente'), ('client_kind', 'Tipo de cliente'),
    ('client_id_document', 'Documento'), ('client_email', 'Correo'),
    ('client_phone', 'Teléfono'), ('product_service', 'Producto o servicio'),
    ('event_date', 'Fecha del hecho'), ('collaborator_named', 'Colaborador mencionado'))
CASE_TYPES = {'P': 'Petición', 'Q': 'Queja', 'R': 'Reclamo', 'S': 'Sugerencia',
              'F': 'Felicitación'}
STATES = {'running': 'En trámite', 'completed': 'Cerrado'}
EVENT_LABELS = {
    'case_started': 'Caso iniciado', 'case_completed': 'Caso cerrado',
    'case_migrated': 'Caso migrado a otra versión',
    'task_created': 'Tarea creada', 'task_completed': 'Tarea completada',
    'task_claimed': 'Tarea reclamada', 'task_released': 'Tarea liberada',
    'task_reassigned': 'Tarea reasignada',
    'assignment_refused': 'Asignación rechazada (el usuario no puede trabajar la tarea)',
    'service_queued': 'Servicio en cola', 'service_completed': 'Servicio ejecutado',
    'job_failed': 'Intento fallido', 'incident_opened': 'Incidente abierto',
    'incident_retried': 'Incidente reintentado', 'step_failed': 'Paso fallido',
    'timer_set': 'Plazo programado', 'timer_fired': 'Plazo cumplido',
    'message_received': 'Mensaje recibido', 'call_started': 'Subproceso iniciado',
    'call_completed': 'Subproceso terminado', 'element_completed': 'Elemento completado',
    'element_cancelled': 'Elemento cancelado', 'element_error': 'Error en elemento',
}
CSV_HEADER = ['id', 'at', 'actor', 'kind', 'process_id', 'element_id', 'element_name', 'changes']
ARROW = '→'
NONE_TEXT = '—'
HIDDEN_NAME = '(nombre reservado)'  # an attachment's name, for roles that may not open it
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


def _text(value) -> str:
    if value is None:
        return NONE_TEXT
    if isinstance(value, bool):
        return 'sí' if value else 'no'
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
    changes = [{'field': key, 'old': _text(masker.value(change[0], key)),
                'new': _text(masker.value(change[1], key))}
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
        'element_type': event.element_type, 'element_name': event.element_name,
        'element': event.element_name or event.element_id or '',
        'changes': changes,
        'changes_text': '; '.join(f"{c['field']}: {c['old']} {ARROW} {c['new']}" for c in changes),
        'topic': data.get('topic') if event.kind == 'service_queued' else None,
        'inputs': {k: _text(v) for k, v in inputs.items()} if isinstance(inputs, dict) else inputs,
        'result': {k: _text(v) for k, v in result.items()} if isinstance(result, dict) else result,
        'timer_due': _local(data.get('due'), zone),
        'retry_at': _local(data.get('retry_at'), zone),
        'error': masker.value(data.get('error')),
        'details': {k: _text(v) for k, v in details.items()},
    }


def _summary_line(row) -> str:
    """Everything an event says beyond its columns, on one line (PDF and plain text)."""
    parts = []
    if row['changes_text']:
        parts.append(row['changes_text'])
    if row['topic']:
        parts.append(f"servicio {row['topic']}")
    if row['inputs']:
        parts.append('entradas: ' + (', '.join(f'{k}={v}' for k, v in row['inputs'].items())
                                     if isinstance(row['inputs'], dict) else _text(row['inputs'])))
    if row['result'] is not None:
        parts.append('resultado: ' + (', '.join(f'{k}={v}' for k, v in row['result'].items())
                                      if isinstance(row['result'], dict) else _text(row['result'])))
    if row['timer_due']:
        parts.append(f"vence {when(row['timer_due'])}")
    if row['error']:
        parts.append(f"error: {row['error']}")
    if row['retry_at']:
        parts.append(f"reintento {when(row['retry_at'])}")
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

    case_type = info.case_type if info else intake.get('case_type')
    received = _local(info.received_at if info else case.created_at, zone)
    due = _local(info.answer_due_at if info else None, zone)
    completed = _local(case.completed_at, zone)
    facts = {
        'radicado': info.radicado if info else case.reference,
        'case_type': case_type, 'case_type_label': CASE_TYPES.get(case_type, case_type or ''),
        'channel': info.channel if info else intake.get('channel'),
        'branch': info.branch if info else intake.get('branch'),
        'received_at': received, 'answer_due_at': due, 'completed_at': completed,
        'state': case.state, 'state_label': STATES.get(case.state, case.state),
        'process_id': case.process_id, 'started_by': case.started_by,
    }
    client = [{'key': key, 'label': label, 'value': _text(masker.value(intake.get(key), key))}
              for key, label in CLIENT_FIELDS if intake.get(key) not in (None, '')]

    rows = [_event_row(event, zone, masker) for event in events]
    for row in rows:
        row['summary'] = _summary_line(row)

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
    nonconformities = [{'detected_at': _local(n.detected_at, zone), 'reason': n.reason,
                        'element_id': n.element_id}
                       for n in session.scalars(select(NonConformity).where(
                           NonConformity.case_id == case_id).order_by(NonConformity.id))]
    incidents = [{'id': i.id, 'created_at': _local(i.created_at, zone), 'element_id': i.element_id,
                  'message': masker.value(i.message), 'resolved_at': _local(i.resolved_at, zone),
                  'resolved_by': i.resolved_by}
                 for i in session.scalars(select(Incident).where(Incident.case_id == case_id)
                                          .order_by(Incident.id))]
    survey_row = session.get(SurveyAnswer, case_id)
    survey = ({'rating': survey_row.rating, 'comment': survey_row.comment,
               'answered_at': _local(survey_row.answered_at, zone)} if survey_row else None)
    open_tasks = [{'name': t.name or t.element_id, 'element_id': t.element_id,
                   'assignee': t.assignee, 'groups': list(t.candidate_groups or []),
                   'created_at': _local(t.created_at, zone)}
                  for t in session.scalars(select(HumanTask).where(
                      HumanTask.case_id == case_id, HumanTask.state == 'open')
                      .order_by(HumanTask.created_at))]
    pending_timers = [{'element_id': j.element_id, 'due_at': _local(j.due_at, zone)}
                      for j in session.scalars(select(Job).where(
                          Job.case_id == case_id, Job.kind == 'timer', Job.state == 'pending')
                          .order_by(Job.due_at))]
    return {
        'case_id': case_id, 'radicado': facts['radicado'], 'facts': facts,
        'contact_visible': bool(show_contact), 'client': client,
        'description': intake.get('description') or '',
        'remedy_sought': intake.get('remedy_sought') or '',
        'events': rows, 'emails': emails, 'attachments': attachments,
        'nonconformities': nonconformities, 'incidents': incidents, 'survey': survey,
        'open_tasks': open_tasks, 'pending_timers': pending_timers,
        'time_zone': zone.key, 'generated_at': clock.now().astimezone(zone),
    }


def events_csv(report: dict) -> str:
    """The history as CSV (UTF-8 text, header row, one row per event, times in local ISO 8601)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator='\r\n')
    writer.writerow(CSV_HEADER)
    for e in report['events']:
        writer.writerow([e['id'], e['at_iso'], e['actor'], e['kind'], e['process_id'] or '',
                         e['element_id'] or '', e['element_name'] or '', e['changes_text']])
    return out.getvalue()


# ---- PDF (fpdf2, core Helvetica: latin-1 only, so a few characters are spelled out) ----------

_PDF_REPLACE = {ARROW: '->', NONE_TEXT: '-', '–': '-', '‘': "'", '’': "'", '“': '"', '”': '"',
                '…': '...', '•': '-', '€': 'EUR', '\u00a0': ' ', '\t': ' '}


def pdf_text(value) -> str:
    text = value if isinstance(value, str) else _text(value)
    for old, new in _PDF_REPLACE.items():
        text = text.replace(old, new)
    return text.encode('latin-1', 'replace').decode('latin-1')


def report_pdf(report: dict, compress: bool = True) -> bytes:
    """The report as a PDF: title, facts, client, then every event one per table row (long
    text wraps inside its cell; rows never split across pages; the header row repeats)."""
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    radicado = report['radicado']

    class Report(FPDF):
        def footer(self):
            self.set_y(-12)
            self.set_font('Helvetica', size=7)
            self.set_text_color(110)
            self.cell(0, 6, pdf_text(f"Informe de trazabilidad {radicado} - generado "
                                     f"{when(report['generated_at'])} ({report['time_zone']}) - "
                                     f"página {self.page_no()}/{{nb}}"), align='C')

    pdf = Report(orientation='L', unit='mm', format='A4')
    pdf.compress = compress
    pdf.set_title(pdf_text(f'Informe de trazabilidad {radicado}'))
    pdf.set_author('PQRSF')
    pdf.set_auto_page_break(True, margin=15)
    pdf.set_margins(12, 12, 12)
    pdf.add_page()
    heading = FontFace(emphasis='BOLD', fill_color=(230, 230, 230))

    def title(text, size=11):
        pdf.ln(2)
        pdf.set_font('Helvetica', 'B', size)
        pdf.multi_cell(0, 6, pdf_text(text), new_x='LMARGIN', new_y='NEXT')
        pdf.set_font('Helvetica', size=8)

    def pieces(text, width, max_lines=38):
        """A cell's text in parts short enough for one page (a table row never splits)."""
        lines = pdf.multi_cell(width - 2, 4, text, dry_run=True, output='LINES')
        if len(lines) <= max_lines:
            return [text]
        return ['\n'.join(lines[i:i + max_lines]) for i in range(0, len(lines), max_lines)]

    def table(rows, widths, header=True):
        pdf.set_font('Helvetica', size=8)
        with pdf.table(col_widths=widths, text_align='LEFT', line_height=4,
                       first_row_as_headings=header, headings_style=heading,
                       repeat_headings=1 if header else 0) as t:
            for number, values in enumerate(rows):
                cells = [pdf_text(value) for value in values]
                if not (header and number == 0):
                    cells = [pieces(text, width) for text, width in zip(cells, widths)]
                    parts = max(len(c) for c in cells)
                    cells = [[c[i] if i < len(c) else (f'{c[0]} (cont.)' if i and not n else '')
                              for n, c in enumerate(cells)] for i in range(parts)]
                else:
                    cells = [cells]
                for part in cells:
                    row = t.row()
                    for text in part:
                        row.cell(text)

    title(f'Informe de trazabilidad {radicado}', 15)
    facts = report['facts']
    table([('Radicado', facts['radicado']), ('Tipo', facts['case_type_label']),
           ('Canal', facts['channel'] or ''), ('Sucursal', facts['branch'] or ''),
           ('Recibido', when(facts['received_at'])),
           ('Responder a más tardar', when(facts['answer_due_at'])),
           ('Estado', f"{facts['state_label']} ({facts['state']})"),
           ('Cerrado el', when(facts['completed_at']) or '-')], (50, 223), header=False)

    title('Cliente' + ('' if report['contact_visible'] else ' (datos de contacto enmascarados)'))
    if report['client']:
        table([(c['label'], c['value']) for c in report['client']], (50, 223), header=False)
    if report['description']:
        title('Descripción del cliente', 10)
        pdf.multi_cell(0, 4, pdf_text(report['description']), align='L', new_x='LMARGIN', new_y='NEXT')
    if report['remedy_sought']:
        title('Solución que espera', 10)
        pdf.multi_cell(0, 4, pdf_text(report['remedy_sought']), align='L', new_x='LMARGIN', new_y='NEXT')

    title(f"Historia ({len(report['events'])} eventos)")
    table([('#', 'Fecha y hora', 'Actor', 'Evento', 'Proceso', 'Elemento', 'Detalle')] +
          [(str(e['id']), e['at_text'], e['actor'], e['kind'], e['process_id'] or '',
            ' '.join(filter(None, (e['element_name'],
                                   f"({e['element_id']})" if e['element_id'] else None))),
            e['summary']) for e in report['events']],
          (10, 28, 22, 30, 38, 52, 93))

    title('Correos enviados')
    if report['emails']:
        table([('Fecha y hora', 'Plantilla', 'Asunto', 'Destinatario')] +
              [(when(m['sent_at']), m['template'], m['subject'], m['recipient'])
               for m in report['emails']], (32, 40, 140, 61))
    else:
        pdf.cell(0, 5, 'Ninguno', new_x='LMARGIN', new_y='NEXT')

    title('Adjuntos')
    if report['attachments']:
        table([('Nombre', 'Tipo', 'Tamaño (bytes)', 'Subido')] +
              [(a['filename'] or HIDDEN_NAME, a['content_type'], str(a['size']),
                f"{when(a['uploaded_at'])} {a['uploaded_by']}") for a in report['attachments']],
              (110, 50, 33, 80))
    else:
        pdf.cell(0, 5, 'Ninguno', new_x='LMARGIN', new_y='NEXT')

    title('Servicios no conformes')
    if report['nonconformities']:
        table([('Detectado', 'Elemento', 'Motivo')] +
              [(when(n['detected_at']), n['element_id'] or '', n['reason'])
               for n in report['nonconformities']], (32, 50, 191))
    else:
        pdf.cell(0, 5, 'Ninguno', new_x='LMARGIN', new_y='NEXT')

    if report['incidents']:
        title('Incidentes')
        table([('#', 'Abierto', 'Elemento', 'Mensaje', 'Resuelto')] +
              [(str(i['id']), when(i['created_at']), i['element_id'] or '', i['message'],
                f"{when(i['resolved_at'])} {i['resolved_by'] or ''}".strip() or '-')
               for i in report['incidents']], (12, 32, 45, 134, 50))

    title('Encuesta de satisfacción')
    survey = report['survey']
    if survey:
        table([('Respondida', when(survey['answered_at'])), ('Calificación', str(survey['rating'])),
               ('Comentario', survey['comment'] or '')], (50, 223), header=False)
    else:
        pdf.cell(0, 5, 'Sin respuesta', new_x='LMARGIN', new_y='NEXT')
    return bytes(pdf.output())
