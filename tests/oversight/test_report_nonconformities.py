"""The traceability report lists each non-conformity with its cause, reason, detection and its
treatment (or "sin tratar"), on the page, in the PDF and in its CSV; and the survey's rating per
criterion. The case is written straight into the tables (what the engine would have left)."""
import csv
import io
from datetime import datetime, timedelta, timezone

import pytest

from app.engine.models import Case, ProcessVersion
from app.platform.extensions import db
from app.cases.models import NonConformity, PqrsfCase, SurveyAnswer
from app.oversight.report import case_report
from app.oversight.report_csv import NONCONFORMITY_HEADER, nonconformities_csv
from app.oversight.report_pdf import report_pdf
from tests.support.web import demo_users, login, post_form

UTC = timezone.utc
RECEIVED = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)  # 09:00 in Bogotá
RADICADO = 'PQRSF-2026-000777'


@pytest.fixture
def case_id(app):
    version = ProcessVersion(process_id='pqrsf', version=1, name='PQRSF', content_hash='1' * 64,
                             file_name='pqrsf.bpmn', bpmn_xml='<definitions/>', deployed_at=RECEIVED,
                             deployed_by='test')
    db.session.add(version)
    db.session.flush()
    case = Case(process_id='pqrsf', reference=RADICADO, version_id=version.id, called_versions={},
                state='running', revision=1, workflow='{}', started_by='test', created_at=RECEIVED,
                updated_at=RECEIVED)
    db.session.add(case)
    db.session.flush()
    db.session.add_all([
        PqrsfCase(case_id=case.id, radicado=RADICADO, case_type='Q', channel='correo', branch='BOG',
                  received_at=RECEIVED, answer_due_at=RECEIVED + timedelta(days=14), follow_code_hash='x'),
        NonConformity(case_id=case.id, key='nc-1', cause='not_communicated', element_id='record_x',
                      reason='La decisión no llegó al cliente.', detected_at=RECEIVED + timedelta(days=15),
                      correction='Se reenvió la decisión por correo certificado.', responsible='Coordinación SAC',
                      closing_note='El cliente confirmó la recepción.', treated_by='lider1',
                      treated_at=RECEIVED + timedelta(days=16)),
        NonConformity(case_id=case.id, key='nc-2', cause=None, element_id=None,
                      reason='Registro anterior a las causas.', detected_at=RECEIVED + timedelta(days=20)),
        SurveyAnswer(case_id=case.id, rating=4, ratings={'response_time': 3, 'courtesy': 5},
                     comment=None, answered_at=RECEIVED + timedelta(days=30))])
    db.session.commit()
    return case.id


def test_the_report_data_carry_cause_and_treatment(app, case_id):
    report = case_report(db.session, case_id, True, tz='America/Bogota')
    db.session.rollback()
    treated, legacy = report['nonconformities']
    assert treated['cause_label'] == 'Decisión no comunicada al cliente'
    assert treated['detected_at'].strftime('%d/%m/%Y %H:%M') == '17/03/2026 09:00'
    assert treated['treatment']['responsible'] == 'Coordinación SAC'
    assert treated['treatment']['treated_at'].strftime('%d/%m/%Y') == '18/03/2026'
    assert 'Se reenvió la decisión' in treated['treatment_text'] and 'lider1' in treated['treatment_text']
    assert legacy['cause_label'] == 'Sin causa registrada' and legacy['treatment'] is None
    assert legacy['treatment_text'] == 'sin tratar'
    assert report['survey']['ratings'] == [
        {'key': 'response_time', 'label': 'Tiempos de respuesta', 'rating': 3},
        {'key': 'courtesy', 'label': 'Cortesía', 'rating': 5}]

    rows = list(csv.reader(io.StringIO(nonconformities_csv(report))))
    assert rows[0] == NONCONFORMITY_HEADER and len(rows) == 3
    assert rows[1][2:5] == ['not_communicated', 'Decisión no comunicada al cliente', 'La decisión no llegó al cliente.']
    assert rows[1][6:10] == ['tratado', 'Se reenvió la decisión por correo certificado.', 'Coordinación SAC',
                             'El cliente confirmó la recepción.']
    assert rows[1][10].startswith('2026-03-18T09:00') and rows[1][11] == 'lider1'
    assert rows[2][2:4] == ['', 'Sin causa registrada'] and rows[2][6] == 'sin tratar' and rows[2][10] == ''

    pypdf = pytest.importorskip('pypdf')
    text = ' '.join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(report_pdf(report))).pages)
    text = ' '.join(text.split())
    for words in ('Decisión no comunicada al cliente', 'Sin causa registrada', 'sin tratar',
                  'Coordinación SAC', 'Tiempos de respuesta', '17/03/2026'):
        assert words in text, words


def test_the_page_and_its_csv_download(app, case_id):
    demo_users()
    client = login(app.test_client(), 'auditor')
    page = client.get(f'/casos/{RADICADO}/trazabilidad').get_data(as_text=True)
    listed = page[page.index('<ul id="nonconformities">'):]
    listed = listed[:listed.index('</ul>')]
    assert '<strong>Decisión no comunicada al cliente</strong>' in listed and 'detectado 17/03/2026 09:00' in listed
    assert 'Tratamiento: Se reenvió la decisión por correo certificado. · Responsable: Coordinación SAC' in listed
    assert '<strong>Sin causa registrada</strong>' in listed and 'class="nc-treatment untreated">sin tratar<' in listed
    assert '<li>Cortesía: 5</li>' in page
    response = client.get(f'/casos/{RADICADO}/no-conformidades.csv')
    assert response.status_code == 200 and response.headers['Content-Type'] == 'text/csv; charset=utf-8'
    assert f'no_conformidades_{RADICADO}.csv' in response.headers['Content-Disposition']
    assert response.headers['Cache-Control'] == 'private, no-store'
    assert 'Coordinación SAC' in response.get_data(as_text=True)
    assert f'href="/casos/{RADICADO}/no-conformidades.csv"' in page
    assert app.test_client().get(f'/casos/{RADICADO}/no-conformidades.csv').status_code == 302

    post_form(client, '/idioma', {'lang': 'en', 'next': '/tareas/'}, page='/tareas/')
    english = client.get(f'/casos/{RADICADO}/trazabilidad').get_data(as_text=True)
    assert '<strong>Decision not communicated to the client</strong>' in english
    assert 'No cause recorded' in english and '>not treated<' in english and 'Treatment:' in english
    assert 'Courtesy: 5' in english
