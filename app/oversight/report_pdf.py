"""The traceability report as a PDF (fpdf2, A4 landscape): title, facts, client, then every
event one per table row, then emails, attachments, non-conformities, incidents and the survey.
Long text wraps inside its cell; rows never split across pages; a table's header row repeats.

The core Helvetica font is latin-1 only, so a few characters are spelled out (`pdf_text`).
fpdf2 is imported when a PDF is asked for, not when the app starts. Its words are in the
reader's language (the catalogue; Spanish outside a request)."""
from flask_babel import gettext as _

from app.oversight.report import ARROW, HIDDEN_NAME, NONE_TEXT, as_text, when

_PDF_REPLACE = {ARROW: '->', NONE_TEXT: '-', '–': '-', '‘': "'", '’': "'", '“': '"', '”': '"',
                '…': '...', '•': '-', '€': 'EUR', '\u00a0': ' ', '\t': ' '}
_MAX_LINES = 38  # of a table cell on one page
_LABEL_VALUE = (50, 223)  # column widths of a two-column table (label, value)


def pdf_text(value) -> str:
    text = value if isinstance(value, str) else as_text(value)
    for old, new in _PDF_REPLACE.items():
        text = text.replace(old, new)
    return text.encode('latin-1', 'replace').decode('latin-1')


def report_pdf(report: dict, compress: bool = True) -> bytes:
    """The report (`app.oversight.report.case_report`) as the bytes of a PDF file."""
    page = PdfPage(_document(report, compress))
    for section in (_title_and_facts, _client, _history, _emails, _attachments,
                    _nonconformities, _incidents, _survey):
        section(page, report)
    return bytes(page.pdf.output())


def _document(report, compress):
    """An empty A4 landscape PDF whose every page ends with the report's footer."""
    radicado = report['radicado']
    title = _('Informe de trazabilidad %(radicado)s', radicado=radicado)
    footer = _('generado %(when)s (%(zone)s) - página', when=when(report['generated_at']),
               zone=report['time_zone'])
    return new_document(title, lambda number: f"{title} - {footer} {number}/{{nb}}", compress=compress)


def new_document(title: str, footer, orientation: str = 'L', compress: bool = True):
    """An empty A4 PDF (fpdf2) with `title`, whose every page ends with `footer(page number)`;
    the report and the client's filing receipt (app.cases.receipt) are written on it."""
    from fpdf import FPDF

    class Document(FPDF):
        def footer(self):
            self.set_y(-12)
            self.set_font('Helvetica', size=7)
            self.set_text_color(110)
            self.cell(0, 6, pdf_text(footer(self.page_no())), align='C')

    pdf = Document(orientation=orientation, unit='mm', format='A4')
    pdf.compress = compress
    pdf.set_title(pdf_text(title))
    pdf.set_author('PQRSF')
    pdf.set_auto_page_break(True, margin=15)
    pdf.set_margins(12, 12, 12)
    pdf.add_page()
    return pdf


class PdfPage:
    """The PDF being written, with the few shapes the report and the receipt are made of."""

    def __init__(self, pdf):
        from fpdf.fonts import FontFace
        self.pdf = pdf
        self.heading = FontFace(emphasis='BOLD', fill_color=(230, 230, 230))

    def title(self, text, size=11):
        self.pdf.ln(2)
        self.pdf.set_font('Helvetica', 'B', size)
        self.pdf.multi_cell(0, 6, pdf_text(text), new_x='LMARGIN', new_y='NEXT')
        self.pdf.set_font('Helvetica', size=8)

    def paragraph(self, text):
        self.pdf.multi_cell(0, 4, pdf_text(text), align='L', new_x='LMARGIN', new_y='NEXT')

    def line(self, text):
        self.pdf.cell(0, 5, text, new_x='LMARGIN', new_y='NEXT')

    def table(self, rows, widths, header=True):
        """A table of `rows` (the first one is the header unless `header` is false); a row
        whose text is too long for one page goes on as several rows."""
        self.pdf.set_font('Helvetica', size=8)
        with self.pdf.table(col_widths=widths, text_align='LEFT', line_height=4,
                            first_row_as_headings=header, headings_style=self.heading,
                            repeat_headings=1 if header else 0) as t:
            for number, values in enumerate(rows):
                cells = [pdf_text(value) for value in values]
                for part in [cells] if header and number == 0 else self._parts(cells, widths):
                    row = t.row()
                    for text in part:
                        row.cell(text)

    def _parts(self, cells, widths) -> list[list[str]]:
        """One row's cells as rows short enough for a page; the first column says '(cont.)'."""
        cells = [self._pieces(text, width) for text, width in zip(cells, widths)]
        return [[c[i] if i < len(c) else (f'{c[0]} (cont.)' if i and not n else '')
                 for n, c in enumerate(cells)] for i in range(max(len(c) for c in cells))]

    def _pieces(self, text, width) -> list[str]:
        """A cell's text in parts short enough for one page (a table row never splits)."""
        lines = self.pdf.multi_cell(width - 2, 4, text, dry_run=True, output='LINES')
        if len(lines) <= _MAX_LINES:
            return [text]
        return ['\n'.join(lines[i:i + _MAX_LINES]) for i in range(0, len(lines), _MAX_LINES)]

    def table_or_none(self, title, rows, widths, none=None):
        self.title(title)
        if len(rows) > 1:
            self.table(rows, widths)
        else:
            self.line(none or _('Ninguno'))


def _title_and_facts(page, report):
    facts = report['facts']
    page.title(_('Informe de trazabilidad %(radicado)s', radicado=report['radicado']), 15)
    page.table([(_('Radicado'), facts['radicado']), (_('Tipo'), facts['case_type_label']),
                (_('Canal'), f"{facts['channel_label']} ({facts['channel']})" if facts['channel'] else ''), (_('Sucursal'), facts['branch'] or ''),
                (_('Recibido'), when(facts['received_at'])),
                (_('Responder a más tardar'), when(facts['answer_due_at'])),
                (_('Plazo legal'), when(facts['legal_due_at']) + (' (' + _('prorrogado') + ')' if facts['extended'] else '')),
                (_('Estado'), f"{_(facts['state_label'])} ({facts['state']})"),
                (_('Cerrado el'), when(facts['completed_at']) or '-')], _LABEL_VALUE, header=False)


def _client(page, report):
    page.title(_('Cliente') + ('' if report['contact_visible'] else ' (' + _('datos de contacto enmascarados') + ')'))
    if report['client']:
        page.table([(_(c['label']), c['value']) for c in report['client']], _LABEL_VALUE, header=False)
    if report['description']:
        page.title(_('Descripción del cliente'), 10)
        page.paragraph(report['description'])
    if report['remedy_sought']:
        page.title(_('Solución que espera'), 10)
        page.paragraph(report['remedy_sought'])


def _history(page, report):
    page.title(_('Historia (%(n)s eventos)', n=len(report['events'])))
    page.table([('#', _('Fecha y hora'), _('Actor'), _('Evento'), _('Proceso'), _('Elemento'), _('Detalle'))] +
               [(str(e['id']), e['at_text'], e['actor'], f"{_(e['label'])}\n{e['kind']}", e['process_id'] or '',
                 ' '.join(filter(None, (e['element_name'],
                                        f"({e['element_id']})" if e['element_id'] else None))),
                 e['summary']) for e in report['events']],
               (10, 28, 22, 30, 38, 52, 93))


def _emails(page, report):
    page.table_or_none(_('Correos enviados'), [(_('Fecha y hora'), _('Plantilla'), _('Asunto'), _('Destinatario'))] +
                       [(when(m['sent_at']), m['template'], m['subject'], m['recipient'])
                        for m in report['emails']], (32, 40, 140, 61))


def _attachments(page, report):
    page.table_or_none(_('Adjuntos'), [(_('Nombre'), _('Tipo'), _('Tamaño (bytes)'), _('Subido'))] +
                       [(a['filename'] or _(HIDDEN_NAME), a['content_type'], str(a['size']),
                         f"{when(a['uploaded_at'])} {a['uploaded_by']}") for a in report['attachments']],
                       (110, 50, 33, 80))


def _nonconformities(page, report):
    page.table_or_none(_('Servicios no conformes'), [(_('Detectado'), _('Causa'), _('Motivo'), _('Tratamiento'))] +
                       [(when(n['detected_at']), n['cause_label'], n['reason'], n['treatment_text'])
                        for n in report['nonconformities']], (32, 50, 91, 100))


def _incidents(page, report):
    if report['incidents']:  # the section is left out when the case had none
        page.title(_('Incidentes'))
        page.table([('#', _('Abierto'), _('Elemento'), _('Mensaje'), _('Resuelto'))] +
                   [(str(i['id']), when(i['created_at']), i['element_id'] or '', i['message'],
                     f"{when(i['resolved_at'])} {i['resolved_by'] or ''}".strip() or '-')
                    for i in report['incidents']], (12, 32, 45, 134, 50))


def _survey(page, report):
    page.title(_('Encuesta de satisfacción'))
    survey = report['survey']
    if survey:
        page.table([(_('Respondida'), when(survey['answered_at'])), (_('Calificación'), str(survey['rating'])),
                    *[(r['label'], str(r['rating'])) for r in survey['ratings']],
                    (_('Comentario'), survey['comment'] or '')], _LABEL_VALUE, header=False)
    else:
        page.line(_('Sin respuesta'))
