"""Attachments on the intake pages: each refusal is an error on the attachments field of the form,
shown again with what the client typed (422) and nothing stored; good files are kept as sent."""
import io

from sqlalchemy import select

from app.engine.models import Case
from app.cases.models import Attachment
from tests.support import files, flow
from tests.support.pqrsf import CLIENT
from tests.support.web import login, post_form

TYPED = {**{k: ('on' if v is True else v) for k, v in CLIENT.items() if k != 'channel' and v is not False},
         'description': 'El contenedor llegó con dos días de retraso; adjunto la factura.'}


def _intake(client, uploads, url='/radicar', data=TYPED):
    body = {**data, 'attachments': [(io.BytesIO(content), name) for name, content in uploads]}
    return post_form(client, url, body, content_type='multipart/form-data')


def _stored():
    return flow.read(lambda s: (s.scalars(select(Case.id)).all(),
                                s.execute(select(Attachment.filename, Attachment.content_type,
                                                 Attachment.content)).all()))


def _field_error(page: str) -> str:
    start = page.index('id="attachments-error"')
    return page[start:page.index('</p>', start)]


def test_a_renamed_program_is_a_field_error_and_the_form_keeps_what_was_typed(site):
    response = _intake(site.test_client(), [('factura.pdf', files.EXECUTABLE)])
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'factura.pdf: el contenido no corresponde a su extensión (parece EXE).' in _field_error(page)
    assert 'aria-invalid="true"' in page.split('id="attachments"', 1)[1].split('>', 1)[0]
    assert 'value="Marta Gómez"' in page and 'adjunto la factura.' in page
    assert _stored() == ([], [])


def test_an_empty_file_is_refused_on_the_staff_form_too(site):
    client = login(site.test_client(), 'colaborador')
    response = _intake(client, [('vacio.png', b'')], url='/casos/nuevo', data={**TYPED, 'channel': 'correo'})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and 'vacio.png: el archivo está vacío.' in _field_error(page)
    assert 'value="Marta Gómez"' in page
    assert _stored() == ([], [])


def test_the_english_page_says_it_in_english(site):
    client = site.test_client()
    with client.session_transaction() as session:
        session['lang'] = 'en'
    page = _intake(client, [('foto.jpg', files.image('PNG'))]).get_data(as_text=True)
    assert 'foto.jpg: the content does not match its extension (it looks like PNG).' in _field_error(page)


def test_good_files_are_stored_as_sent_under_a_clean_name(site):
    pdf, png = files.pdf(), files.image('PNG')
    response = _intake(site.test_client(), [('../../fac\x07tura\u202e.pdf', pdf), ('foto\x1b.png', png)])
    assert response.status_code == 201, response.get_data(as_text=True)[:2000]
    cases, attachments = _stored()
    assert len(cases) == 1
    assert sorted(attachments) == [('factura.pdf', 'application/pdf', pdf), ('foto.png', 'image/png', png)]
