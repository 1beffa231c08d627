"""Informe de trazabilidad: the printable page, its PDF and the events as CSV, on a real case
driven through the procedure up to the decision."""
import csv
import io
import re

import pytest
from sqlalchemy import select

from app.engine.clock import clock
from app.engine.models import Event
from app.platform.extensions import db
from app.cases.models import Attachment, NonConformity, PqrsfCase, SurveyAnswer
from app.oversight.report import case_report
from app.oversight.report_csv import CSV_HEADER, events_csv
from app.oversight.report_pdf import report_pdf
from tests.support import flow
from tests.support.pqrsf import BOGOTA, CLIENT, drive_to_decision, register
from tests.support.web import login

CONTACT = (CLIENT['client_email'], CLIENT['client_id_document'], CLIENT['client_phone'])


@pytest.fixture
def case(site):
    """A queja classified, analysed and decided (the decision email is out), plus an
    attachment, a non-conformity and a survey answer written beside it."""
    case_id, radicado = register(site)
    drive_to_decision(site, case_id)
    now = clock.now()
    db.session.add_all([
        Attachment(case_id=case_id, filename='factura_flete.pdf', content_type='application/pdf',
                   size=2048, content=b'%PDF-1.4 test', uploaded_at=now, uploaded_by='cliente'),
        NonConformity(case_id=case_id, key=f'test:{case_id}', element_id='record_late_answer',
                      reason='Respuesta fuera de plazo (prueba).', detected_at=now),
        SurveyAnswer(case_id=case_id, rating=4, comment='Buena atención al final.', answered_at=now)])
    db.session.commit()
    return case_id, radicado


def _events(case_id):
    return flow.read(lambda s: s.scalars(select(Event).where(Event.case_id == case_id)
                                         .order_by(Event.id)).all())


def _pdf_text(data: bytes) -> str:
    pypdf = pytest.importorskip('pypdf')
    reader = pypdf.PdfReader(io.BytesIO(data))
    return '\n'.join(page.extract_text() for page in reader.pages)


def test_html_report_lists_every_event_in_order_with_what_changed(site, case):
    case_id, radicado = case
    client = login(site.test_client(), 'lider')
    response = client.get(f'/casos/{radicado}/trazabilidad')
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert response.headers['Cache-Control'] == 'private, no-store'
    events = _events(case_id)
    assert len(events) > 20
    shown = [int(i) for i in re.findall(r'<tr id="event-(\d+)"', page)]
    assert shown == [e.id for e in events]  # all of them, oldest first
    kinds = re.findall(r'<tr id="event-\d+" data-kind="([a-z_]+)"', page)
    assert kinds == [e.kind for e in events]
    assert kinds[0] == 'case_started'

    classified = next(e for e in events if e.kind == 'task_completed' and e.element_id == 'classify')
    assert classified.data['changes']['motive'] == [None, 'disculpa']   # severity keeps its default
    row = page[page.index(f'<tr id="event-{classified.id}"'):]
    row = row[:row.index('</tr>')]
    assert 'motive: — → disculpa' in row and 'investigation_level: — → intermedio' in row
    assert 'lider1' in row and 'Clasificar y evaluar' in row

    assert radicado in page and 'Queja' in page and 'correo' in page and 'BOG' in page
    assert 'En trámite' in page
    legal = flow.read(lambda s: s.get(PqrsfCase, case_id).legal_due_at).astimezone(BOGOTA)
    assert f"<dt>Plazo legal</dt><dd>{legal.strftime('%d/%m/%Y %H:%M:%S')}</dd>" in page  # beside the target
    assert 'El contenedor llegó con dos días de retraso' in page
    assert 'Vence:' in page  # timers set, with their due time
    assert 'email.send' in page and 'template=decision' in page  # a service call and its inputs
    assert 'Le reconocemos el 20 % del flete.' in page
    assert 'factura_flete.pdf' in page and '2048 bytes' in page and '%PDF-1.4 test' not in page
    assert 'Respuesta fuera de plazo (prueba).' in page
    assert 'Calificación: 4' in page and 'Buena atención al final.' in page
    emails = re.search(r'<table class="report" id="emails">(.*?)</table>', page, re.DOTALL).group(1)
    assert 'acknowledgement' in emails and 'decision' in emails
    for value in CONTACT:  # the lead handles clients: contact data in full
        assert value in page
    # printable: buttons (app.js prints on data-print) and a print stylesheet hiding navigation and buttons
    assert '<button type="button" data-print>' in page and 'Imprimir' in page
    assert f'/casos/{radicado}/trazabilidad.pdf' in page and f'/casos/{radicado}/eventos.csv' in page
    assert '/static/report.css' in page
    stylesheet = client.get('/static/report.css').get_data(as_text=True)
    assert '@media print' in stylesheet and 'header.topbar' in stylesheet and '.report-actions' in stylesheet


def test_case_page_links_to_the_report(site, case):
    _, radicado = case
    client = login(site.test_client(), 'auditor')
    page = client.get(f'/casos/{radicado}').get_data(as_text=True)
    assert f'href="/casos/{radicado}/trazabilidad"' in page and 'Informe de trazabilidad' in page


def test_csv_has_a_header_and_one_row_per_event(site, case):
    case_id, radicado = case
    client = login(site.test_client(), 'lider')
    response = client.get(f'/casos/{radicado}/eventos.csv')
    assert response.status_code == 200
    assert response.headers['Content-Type'] == 'text/csv; charset=utf-8'
    assert f'eventos_{radicado}.csv' in response.headers['Content-Disposition']
    rows = list(csv.reader(io.StringIO(response.get_data().decode('utf-8'))))
    assert rows[0] == CSV_HEADER == ['id', 'at', 'actor', 'kind', 'process_id', 'element_id',
                                     'element_name', 'changes']
    events = _events(case_id)
    assert [int(r[0]) for r in rows[1:]] == [e.id for e in events]
    assert [r[3] for r in rows[1:]] == [e.kind for e in events]
    by_id = {int(r[0]): r for r in rows[1:]}
    classified = next(e for e in events if e.kind == 'task_completed' and e.element_id == 'classify')
    row = by_id[classified.id]
    assert row[2] == 'lider1' and row[4] == 'pqrsf_attention' and row[5] == 'classify'
    assert row[6] == 'Clasificar y evaluar'
    assert 'motive: — → disculpa' in row[7] and 'case_type: Q → Q' not in row[7]
    assert re.match(r'\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?-05:00$', row[1])  # Bogotá time
    assert all(len(r) == len(CSV_HEADER) for r in rows)


def test_pdf_holds_the_radicado_facts_and_every_event(site, case):
    case_id, radicado = case
    client = login(site.test_client(), 'lider')
    response = client.get(f'/casos/{radicado}/trazabilidad.pdf')
    assert response.status_code == 200 and response.mimetype == 'application/pdf'
    assert response.headers['Content-Disposition'] == f'attachment; filename=trazabilidad_{radicado}.pdf'
    data = response.get_data()
    assert data.startswith(b'%PDF')
    events = _events(case_id)
    # without compression the text is in the page streams as it is
    raw = report_pdf(case_report(db.session, case_id, True), compress=False)
    db.session.rollback()
    assert raw.startswith(b'%PDF') and radicado.encode() in raw and b'classify' in raw
    text = _pdf_text(data)
    flat = re.sub(r'\s+', '', text)
    assert radicado in text and 'Informe de trazabilidad' in text
    for fact in ('Queja', 'correo', 'BOG', 'En trámite', 'Marta Gómez', CLIENT['client_email'], 'Plazo legal'):
        assert fact in text
    for kind in {e.kind for e in events}:  # every kind, even when wrapped inside its cell
        assert kind in flat
    assert f'Historia ({len(events)} eventos)' in text
    assert 'motive:-->disculpa' in flat  # "→" and "—" spelled in latin-1
    assert 'factura_flete.pdf' in text and 'Respuesta fuera de plazo' in text


def test_contact_data_masked_for_auditors_and_shown_to_leads(site, case):
    _, radicado = case
    auditor = login(site.test_client(), 'auditor')
    page = auditor.get(f'/casos/{radicado}/trazabilidad')
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'm***@example.com' in html and '*******567' in html and '*****456' in html
    assert 'El contenedor llegó con dos días de retraso' in html  # the client's own words stay
    assert 'enmascarados' in html
    pdf_text = _pdf_text(auditor.get(f'/casos/{radicado}/trazabilidad.pdf').get_data())
    assert 'm***@example.com' in pdf_text and 'El contenedor llegó' in pdf_text
    csv_text = auditor.get(f'/casos/{radicado}/eventos.csv').get_data(as_text=True)
    for value in CONTACT:  # not in the page, service inputs, email recipients, PDF or CSV
        assert value not in html and value not in pdf_text and value not in csv_text

    lead = login(site.test_client(), 'lider')
    html = lead.get(f'/casos/{radicado}/trazabilidad').get_data(as_text=True)
    assert 'm***@example.com' not in html and 'enmascarados' not in html
    for value in CONTACT:
        assert value in html


def test_case_report_masks_with_the_function_given_and_csv_follows_events(site, case):
    case_id, radicado = case
    report = case_report(db.session, case_id, False, mask=lambda v: '[oculto]', tz='UTC')
    db.session.rollback()
    assert report['radicado'] == radicado and report['contact_visible'] is False
    client = {c['key']: c['value'] for c in report['client']}
    assert client['client_email'] == client['client_phone'] == '[oculto]'
    assert client['client_name'] == 'Marta Gómez'
    assert all(m['recipient'] == '[oculto]' for m in report['emails'])
    assert report['facts']['received_at'].utcoffset().total_seconds() == 0
    assert report['survey']['rating'] == 4 and report['attachments'][0]['size'] == 2048
    lines = events_csv(report).splitlines()
    assert len(lines) == len(report['events']) + 1 and lines[0] == ','.join(CSV_HEADER)


def test_unknown_radicado_is_404_and_anonymous_goes_to_login(site, case):
    _, radicado = case
    anonymous = site.test_client()
    for path in ('trazabilidad', 'trazabilidad.pdf', 'eventos.csv'):
        response = anonymous.get(f'/casos/{radicado}/{path}')
        assert response.status_code == 302 and '/ingresar' in response.headers['Location']
    client = login(site.test_client(), 'auditor')
    for path in ('trazabilidad', 'trazabilidad.pdf', 'eventos.csv'):
        assert client.get(f'/casos/PQRSF-1999-000000/{path}').status_code == 404
    for user in ('colaborador', 'responsable', 'gerente', 'director', 'rrhh', 'dueno', 'admin'):
        other = login(site.test_client(), user)
        assert other.get(f'/casos/{radicado}/trazabilidad').status_code == 200


def test_the_pending_timers_are_named_in_the_pages_language(site):
    from tests.web.test_language import choose
    _, radicado = register(site)
    client = login(site.test_client(), 'auditor')

    def timers(heading):
        page = client.get(f'/casos/{radicado}/trazabilidad').get_data(as_text=True)
        listed = page[page.index('<ul>', page.index(f'<h3>{heading}</h3>')):]
        return re.findall(r'<li>([^<:]+):', listed[:listed.index('</ul>')])
    spanish = timers('Plazos pendientes')
    assert spanish and all(' ' in name for name in spanish), spanish  # names, not element ids
    choose(client, 'en', on=f'/casos/{radicado}/trazabilidad')
    english = timers('Pending deadlines')
    assert len(english) == len(spanish) and english != spanish
