"""A colaborador opens "Correos recibidos", opens a draft made from an email (sent over SMTP to
the inbound mailbox) and registers it with the prefilled staff form, at 1280 and 390 px, in
Spanish and English; axe finds no violation, no page scrolls sideways and the English pages
show no Spanish of the catalogue outside the registration form (whose labels are the form
definition's, as on /casos/nuevo).
Screenshots: test-output/screenshots/inbound_<what>-<lang>-<width>.png."""
import itertools

from sqlalchemy import select

from app.cases.models import Attachment, PqrsfCase
from app.inbound.mailbox import Mailbox
from tests.browser.axe import assert_no_violations, require_axe
from tests.browser.conftest import language_context, save_screen
from tests.browser.test_review_layout import _spanish_left
from tests.support import flow
from tests.support.files import pdf
from tests.support.inbound import email, received, send

FILES = [('factura.pdf', pdf(), 'application', 'pdf'), ('programa.exe', b'MZ' + b'\x00' * 60, 'application', 'octet-stream')]


# the page's texts outside the registration form, whose labels and options are the SER-FT-01
# definition's (forms/ser_ft_01_registro.json, Spanish like every form of the process owners)
TEXTS_OUTSIDE_FORM = """() => {
  const out = [];
  const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walk.nextNode()) {
    const node = walk.currentNode, t = node.textContent.trim();
    if (t && !node.parentElement.closest('form[enctype]')) out.push(t);
  }
  return out;
}"""


def _shot(page, what, lang, width):
    save_screen(page, f'inbound_{what}-{lang}-{width}')
    assert_no_violations(page)
    if lang == 'en':
        left = sorted({t for t in page.evaluate(TEXTS_OUTSIDE_FORM) if t in _spanish_left()})
        assert not left, f'{what}: Spanish left in English: {left}'


def _register(page, subject):
    page.click(f'table.inbox a:has-text("{subject}")')
    page.wait_for_selector('#field-description')
    assert page.input_value('#field-client_email') == 'marta@example.com'
    assert page.input_value('#field-client_name') == 'Marta Gómez'
    assert page.input_value('#field-channel') == 'correo'
    assert 'dos días de retraso' in page.input_value('#field-description')
    return page


def _complete(page):
    page.select_option('#field-case_type', 'Q')
    page.select_option('#field-branch', 'CTG')
    page.check('#field-client_kind-0')
    page.fill('#field-client_id_document', '52123456')
    page.fill('#field-event_date', '2026-11-20')
    page.fill('#field-product_service', 'Transporte de contenedor')
    page.check('#field-data_consent')
    page.click('form[enctype] button[type=submit]')
    page.wait_for_url(lambda url: '/casos/PQRSF-' in url)


def test_a_colaborador_registers_a_received_email_as_a_case(app, site, live_server, browser):
    require_axe()
    combinations = list(itertools.product(('es', 'en'), (1280, 390)))
    with Mailbox(app, port=0) as box:
        for lang, width in combinations:
            send(box.port, email(f'Contenedor retrasado {lang} {width}',
                                 'El contenedor llegó con dos días de retraso y nadie nos avisó.', files=FILES))
    flow.work(app)
    assert [r.state for r in received()] == ['draft'] * 4
    for lang, width in combinations:
        context, page = language_context(browser, live_server, lang, width, 'colaborador', bypass_csp=True)
        try:
            page.click('nav[aria-label] a[href="/correo/"]') if width == 1280 else page.goto(live_server + '/correo/')
            page.wait_for_selector('table.inbox')
            _shot(page, 'list', lang, width)
            _register(page, f'Contenedor retrasado {lang} {width}')
            assert 'programa.exe' in page.inner_text('main')
            _shot(page, 'draft', lang, width)
            _complete(page)
            _shot(page, 'case', lang, width)
        finally:
            context.close()
    rows = received()
    assert [r.state for r in rows] == ['registered'] * 4
    cases = flow.read(lambda s: s.scalars(select(PqrsfCase.channel).where(
        PqrsfCase.case_id.in_([r.case_id for r in rows]))).all())
    assert cases == ['correo'] * 4
    files = flow.read(lambda s: s.scalars(select(Attachment.filename).where(Attachment.case_id == rows[0].case_id)).all())
    assert files == ['factura.pdf']
