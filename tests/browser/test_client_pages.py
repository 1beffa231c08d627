"""The client's pages in a real browser, at 1280 and 390 px, in Spanish and English: the filing
confirmation (due date, email notice, the receipt link, which serves a PDF to a browser with no
session), the answer page and /seguimiento with the decision sent, and the information page
with its file field. No page scrolls sideways and axe finds no violation.
Screenshots: test-output/screenshots/client_<what>-<lang>-<width>.png."""
import itertools
import re

import pytest

from tests.browser.axe import assert_no_violations, require_axe
from tests.browser.conftest import language_context, save_screen
from tests.support import flow
from tests.support.pqrsf import ask_information, drive_to_decision, emails, register, token_in

DECISION = 'Le reconocemos el 20 % del flete y le devolvemos el seguro.'


def _screen(browser, site, lang, width):
    return language_context(browser, site, lang, width, bypass_csp=True)  # bypass: axe's script


def _shot(page, what, lang, width):
    save_screen(page, f'client_{what}-{lang}-{width}')
    assert_no_violations(page)


def _file(page, site):
    page.goto(site + '/radicar')
    page.select_option('#field-case_type', 'Q')
    page.select_option('#field-branch', 'CTG')
    page.check('#field-client_kind-0')
    page.fill('#field-client_name', 'Marta Gómez')
    page.fill('#field-client_id_document', '52123456')
    page.fill('#field-client_email', 'marta@example.com')
    page.fill('#field-event_date', '2026-11-20')
    page.fill('#field-product_service', 'Transporte de contenedor')
    page.fill('#field-description', 'El contenedor llegó con dos días de retraso y nadie nos avisó.')
    page.check('#field-data_consent')
    page.click('form[enctype] button[type=submit]')
    page.wait_for_selector('#radicado')


def _receipt_opens_elsewhere(browser, url):
    """The receipt link opens in another browser, with no session at all."""
    other = browser.new_context()
    try:
        receipt = other.request.get(url)
        assert receipt.status == 200 and receipt.body().startswith(b'%PDF')
    finally:
        other.close()


def test_client_pages_at_both_widths_in_both_languages(app, site, browser):
    require_axe()
    decided, radicado = register(app)
    drive_to_decision(app, decided, decision=DECISION)
    answer = token_in(emails(decided, 'decision')[0].body, 'answer')
    code = re.search(r'Código de consulta: (\S+)', emails(decided, 'acknowledgement')[0].body).group(1)
    waiting, _ = register(app)
    ask_information(app, waiting)
    information = token_in(emails(waiting, 'information_request')[0].body, 'information')
    flow.read(lambda s: None)

    for lang, width in itertools.product(('es', 'en'), (1280, 390)):
        context, page = _screen(browser, site, lang, width)
        try:
            _file(page, site)
            assert page.locator('#answer-due').inner_text().strip()
            assert page.locator('#email-notice').is_visible()
            _shot(page, 'confirmation', lang, width)
            _receipt_opens_elsewhere(browser, site + page.locator('#receipt').get_attribute('href'))

            page.goto(f'{site}/respuesta/{answer}?decision=accept')
            assert page.locator('#decision-text').inner_text().strip() == DECISION
            _shot(page, 'answer', lang, width)

            page.goto(f'{site}/seguimiento?radicado={radicado}')
            page.fill('#code', code)
            page.click('form button[type=submit]')
            assert page.locator('#decision-text').inner_text().strip() == DECISION
            _shot(page, 'status', lang, width)

            page.goto(f'{site}/informacion/{information}')
            assert page.locator('#attachments').is_visible()
            _shot(page, 'information', lang, width)
        finally:
            context.close()


@pytest.mark.parametrize('lang', ['es', 'en'])
def test_a_bad_receipt_link_is_a_400_page(site, browser, lang):
    context, page = _screen(browser, site, lang, 390)
    try:
        response = page.goto(site + '/comprobante/not-a-token')
        assert response.status == 400
        _shot(page, 'bad-receipt', lang, 390)
    finally:
        context.close()
