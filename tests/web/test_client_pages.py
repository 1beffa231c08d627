"""The client's pages through the Flask test client: the filing confirmation (radicado, code,
due date, whether an email went out, the PDF receipt from a signed link), the answer page and
/seguimiento showing the decision sent, and files sent with the information page."""
import io
import re

import pytest
from sqlalchemy import select

from app.cases.links import make_token
from app.cases.models import Attachment, PqrsfCase
from tests.support import files, flow
from tests.support.pqrsf import CLIENT, ask_information, drive_to_decision, emails, register, token_in
from tests.support.web import login, post_form

TYPED = {k: ('on' if v is True else v) for k, v in CLIENT.items() if k != 'channel' and v is not False}
DECISION = 'Le reconocemos el 20 % del flete & <b>el seguro</b>.'


def _file(client, **changes):
    response = post_form(client, '/radicar', {**TYPED, 'data_consent': 'on', **changes})
    body = response.get_data(as_text=True)
    assert response.status_code == 201, body[:1500]
    return body


def _pdf_text(content: bytes) -> str:
    pypdf = pytest.importorskip('pypdf')
    return ' '.join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(content)).pages)


def test_the_confirmation_shows_the_due_date_the_email_and_a_receipt_without_the_code(site):
    client = site.test_client()
    body = _file(client)
    radicado = re.search(r'id="radicado">([^<]+)<', body).group(1)
    code = re.search(r'id="code">([^<]+)<', body).group(1)
    due = flow.read(lambda s: s.scalar(select(PqrsfCase.answer_due_at).where(PqrsfCase.radicado == radicado)))
    assert 'Le enviamos un correo electrónico' in body
    assert re.search(r'id="answer-due">\d\d/\d\d/\d{4}<', body)
    receipt_url = re.search(r'id="receipt" href="([^"]+)"', body).group(1)

    receipt = site.test_client().get(receipt_url)  # another browser, no session: the link is enough
    assert receipt.status_code == 200 and receipt.mimetype == 'application/pdf'
    assert receipt.headers['Cache-Control'] == 'no-store'
    text = _pdf_text(receipt.data)
    assert radicado in text and 'Queja' in text and 'Recibido' in text
    assert due.strftime('%Y') in text
    assert code not in text and CLIENT['client_name'] not in text and CLIENT['client_email'] not in text


def test_an_anonymous_filing_says_that_no_email_went_out(site):
    body = _file(site.test_client(), anonymous='on', client_email='',
                 description='El conductor del turno de la noche trató mal al personal de portería.')
    assert 'No le enviamos ningún correo' in body and 'Guarde el radicado y el código' in body


def test_a_bad_foreign_or_expired_receipt_link_is_a_clear_400(site):
    client = site.test_client()
    case_id, _ = register(site)
    bad = client.get('/comprobante/not-a-token')
    assert bad.status_code == 400 and 'El enlace no es válido.' in bad.get_data(as_text=True)
    with site.test_request_context():
        other_purpose = make_token(case_id, 'answer')  # a real link, but for another page
    assert client.get(f'/comprobante/{other_purpose}').status_code == 400
    with site.test_request_context():
        receipt = make_token(case_id, 'receipt')
    assert client.get(f'/comprobante/{receipt}').status_code == 200
    site.config['LINK_MAX_AGE_DAYS'] = -1  # every link is now older than its age limit
    expired = client.get(f'/comprobante/{receipt}')
    assert expired.status_code == 400 and 'El enlace venció' in expired.get_data(as_text=True)


def test_the_answer_and_status_pages_show_the_decision_sent_escaped(site):
    case_id, radicado = register(site)
    client = site.test_client()
    code = re.search(r'Código de consulta: (\S+)', emails(case_id, 'acknowledgement')[0].body).group(1)
    status = post_form(client, '/seguimiento', {'radicado': radicado, 'code': code}).get_data(as_text=True)
    assert 'id="decision-text"' not in status  # nothing decided yet

    drive_to_decision(site, case_id, decision=DECISION)
    token = token_in(emails(case_id, 'decision')[0].body, 'answer')
    page = client.get(f'/respuesta/{token}?decision=accept').get_data(as_text=True)
    escaped = 'Le reconocemos el 20 % del flete &amp; &lt;b&gt;el seguro&lt;/b&gt;.'
    assert escaped in page and '<b>el seguro</b>' not in page
    status = post_form(client, '/seguimiento', {'radicado': radicado, 'code': code}).get_data(as_text=True)
    assert escaped in status


def test_the_information_page_takes_files_listed_on_the_staff_case_page(site):
    case_id, radicado = register(site)
    ask_information(site, case_id)
    token = token_in(emails(case_id, 'information_request')[0].body, 'information')
    client = site.test_client()
    assert 'type="file"' in client.get(f'/informacion/{token}').get_data(as_text=True)

    refused = post_form(client, f'/informacion/{token}', {'text': 'La factura.', 'attachments': [
        (io.BytesIO(b'MZ...'), 'virus.exe')]}, content_type='multipart/form-data')
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422 and 'virus.exe: tipo no permitido' in page
    assert 'id="error-summary"' in page and 'La factura.' in page  # what was typed stays
    assert flow.read(lambda s: s.scalars(select(Attachment).where(Attachment.case_id == case_id)).all()) == []

    sent = post_form(client, f'/informacion/{token}', {'text': 'La factura.', 'attachments': [
        (io.BytesIO(files.pdf()), 'factura.pdf')]}, content_type='multipart/form-data')
    assert sent.status_code == 200, sent.get_data(as_text=True)[:1500]
    stored = flow.read(lambda s: s.execute(select(Attachment.filename, Attachment.uploaded_by)
                                            .where(Attachment.case_id == case_id)).all())
    assert stored == [('factura.pdf', 'cliente')]
    staff = login(site.test_client(), 'lider')
    assert 'factura.pdf' in staff.get(f'/casos/{radicado}').get_data(as_text=True)
