"""In a real browser: the líder extends a term (Ley 1755 art. 14): a date past twice the term is
refused on the form in words, a valid one is taken and the client is told; and the client sees
the reasoned desistimiento (art. 17) on the follow-up page, which staff see among the emails.
Screenshots at 1280 and 390 px, Spanish and English: test-output/screenshots/term_<what>-<lang>-<width>.png."""
from datetime import datetime

import pytest

from app.cases import service as pqrsf
from app.platform.extensions import db
from tests.browser.conftest import language_context, save_screen
from tests.support import flow
from tests.support.pqrsf import CLIENT, ask_information, classify, emails, travel_to, variables
from tests.support.web import browser_login

def _screen(browser, site, lang, width, user=None):
    return language_context(browser, site, lang, width, user)


def _shot(page, what, lang, width):
    save_screen(page, f'term_{what}-{lang}-{width}')


def _register(app):
    case, code = pqrsf.register(dict(CLIENT), 'colaborador1')
    flow.work(app)
    return case.id, case.reference, code


@pytest.mark.parametrize('lang, width', [('es', 1280), ('es', 390), ('en', 390)])
def test_the_lider_extends_the_term_once_within_twice_the_term(browser, site, app, mailbox, lang, width):
    travel_to(app, datetime(2027, 3, 2, 9, 0))
    case_id, radicado, _ = _register(app)
    classify(app, case_id)
    travel_to(app, datetime(2027, 3, 20, 0, 1))            # two business days before the term
    task_id = flow.open_task(case_id, 'decide_extension').id
    db.session.remove()
    context, page = _screen(browser, site, lang, width, 'lider')
    try:
        page.goto(f'{site}/tareas/{task_id}')
        page.check('[name=extend]')
        page.fill('[name=extension_reason]', 'Esperamos el informe del transportador sobre la carga.')
        page.fill('[name=extended_due]', '2027-05-20')
        page.click('form.task-form button[type=submit]:not([name]):not([hidden])')
        page.wait_for_selector('.form-errors')
        assert '16/04/2027' in page.inner_text('.form-errors')
        _shot(page, 'extension_refused', lang, width)
        assert flow.open_task(case_id, 'decide_extension') is not None
        page.fill('[name=extended_due]', '2027-04-09')
        page.click('form.task-form button[type=submit]:not([name]):not([hidden])')
        page.wait_for_load_state()
        flow.work(app)
        _shot(page, 'extension_taken', lang, width)
    finally:
        context.close()
    assert variables(case_id)['extended'] is True
    assert len(emails(case_id, 'extension_notice')) == 1


@pytest.mark.parametrize('lang, width', [('es', 1280), ('es', 390), ('en', 390)])
def test_the_client_sees_the_reasoned_desistimiento(browser, site, app, mailbox, lang, width):
    travel_to(app, datetime(2027, 3, 2, 9, 0))
    case_id, radicado, code = _register(app)
    ask_information(app, case_id)
    travel_to(app, datetime(2027, 4, 2, 9, 30))
    assert flow.case_state(case_id) == 'completed' and len(emails(case_id, 'desistimiento')) == 1
    db.session.remove()
    context, page = _screen(browser, site, lang, width)
    try:
        page.goto(f'{site}/seguimiento')
        page.fill('#radicado', radicado)
        page.fill('#code', code)
        page.click('form button[type=submit]')
        page.wait_for_load_state()
        text = page.inner_text('main')
        assert ('desistimiento' if lang == 'es' else 'withdrawn') in text
        assert ('Plazo legal' if lang == 'es' else 'Legal term') in text and '24/03/2027' in text
        _shot(page, 'desistimiento_client', lang, width)
        browser_login(page, site, 'lider')
        page.goto(f'{site}/casos/{radicado}')
        assert 'desistimiento' in page.inner_text('main').lower()
        _shot(page, 'desistimiento_staff', lang, width)
    finally:
        context.close()


@pytest.mark.parametrize('lang, width', [('es', 1280), ('es', 390), ('en', 390)])
def test_the_client_asks_once_for_one_more_month_and_staff_see_the_term_on_hold(browser, site, app, mailbox,
                                                                               lang, width):
    from tests.support.pqrsf import token_in
    travel_to(app, datetime(2027, 3, 2, 9, 0))
    case_id, radicado, _ = _register(app)
    ask_information(app, case_id)
    other_id, _, _ = _register(app)
    classify(app, other_id)                                # a case whose tasks run beside it
    url = site + '/informacion/' + token_in(emails(case_id, 'information_request')[0].body, 'information')
    db.session.remove()
    context, page = _screen(browser, site, lang, width)
    ask = 'Pedir un mes más' if lang == 'es' else 'Ask for one more month'
    try:
        page.goto(url)
        _shot(page, 'more_time_offered', lang, width)
        page.click(f'button:has-text("{ask}")')
        page.wait_for_load_state()
        assert ('un mes más' if lang == 'es' else 'one more month') in page.inner_text('main')
        _shot(page, 'more_time_taken', lang, width)
        flow.work(app)
        page.goto(url)
        assert page.locator(f'button:has-text("{ask}")').count() == 0     # once only
        browser_login(page, site, 'lider')
        page.goto(f'{site}/tareas/?scope=all')
        assert ('Plazo legal: 24/03/2027' if lang == 'es' else 'Legal term: 24/03/2027') in page.inner_text('main')
        _shot(page, 'tasklist_terms', lang, width)
    finally:
        context.close()
    assert variables(case_id)['more_time_used'] is True
