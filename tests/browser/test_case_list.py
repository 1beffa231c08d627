"""The case list in a real browser, at 1280 px and 390 px, in Spanish and English: search by the
client's name (without its accent), filter by type and branch, save the filter and open it
again; and the task list's check boxes claim tasks. No sideways scroll at 390 px. Screenshots:
test-output/screenshots/test_the_case_list_*.png."""
from tests.support import flow
from tests.support.pqrsf import CLIENT, deploy_processes, register
from tests.support.web import browser_login, demo_users

OTHER = dict(CLIENT, client_name='Jorge Pérez', client_email='jorge@example.org', client_id_document='79111222',
             case_type='P', branch='CTG', description='Solicito el certificado de la carga exportada.')


def _wide(page):
    return page.evaluate('() => document.documentElement.scrollWidth')


def _setup(app):
    deploy_processes()
    demo_users()
    marta = register(app)[1]
    jorge = register(app, **OTHER)[1]
    flow.read(lambda s: None)
    return marta, jorge


def _search_filter_and_save(page, site, marta, jorge):
    page.goto(site + '/casos/')
    page.fill('#f-q', 'gomez')
    page.click('form[role=search] button[type=submit]')
    page.wait_for_selector(f'table.case-list >> text={marta}')
    assert jorge not in page.inner_text('main') and 'Marta Gómez' in page.inner_text('main')
    page.fill('#f-q', '')
    page.select_option('#f-type', 'P')
    page.select_option('#f-branch', 'CTG')
    page.click('form[role=search] button[type=submit]')
    page.wait_for_selector(f'table.case-list >> text={jorge}')
    assert marta not in page.inner_text('table.case-list')
    page.fill('#f-name', 'Peticiones CTG')
    page.click('.saved-filters button.secondary')
    page.wait_for_selector('.saved-filters >> text=Peticiones CTG')
    page.goto(site + '/casos/')
    assert marta in page.inner_text('table.case-list')
    page.click('.saved-filters a:has-text("Peticiones CTG")')
    page.wait_for_selector(f'table.case-list >> text={jorge}')
    assert marta not in page.inner_text('table.case-list')


def test_the_case_list_at_1280(app, live_server, page, shot):
    marta, jorge = _setup(app)
    browser_login(page, live_server, 'colaborador')
    _search_filter_and_save(page, live_server, marta, jorge)
    shot(page, '1280-es')
    page.goto(live_server + '/ingresar')
    page.click('button[name=lang]')
    page.wait_for_selector('html[lang=en]')
    page.goto(live_server + '/casos/?q=gomez')
    assert 'Saved filters' in page.inner_text('main') and 'Search' in page.inner_text('main')
    shot(page, '1280-en')


def test_the_case_list_at_390(app, live_server, phone_page, shot):
    marta, jorge = _setup(app)
    page = phone_page
    browser_login(page, live_server, 'lider')
    _search_filter_and_save(page, live_server, marta, jorge)
    assert _wide(page) <= 390, f'the page scrolls sideways ({_wide(page)}px)'
    shot(page, '390-es')
    page.goto(live_server + '/tareas/')
    page.check('#pick-1')
    page.check('#pick-2')
    page.click('button:has-text("Tomar las marcadas")')
    page.wait_for_selector('text=2 tareas cambiadas.')
    assert _wide(page) <= 390, f'the task list scrolls sideways ({_wide(page)}px)'
    shot(page, '390-tasks-es')
    page.goto(live_server + '/ingresar')
    page.click('button[name=lang]')
    page.wait_for_selector('html[lang=en]')
    page.goto(live_server + '/casos/?q=gomez')
    assert 'Saved filters' in page.inner_text('main')
    assert _wide(page) <= 390, f'the page scrolls sideways ({_wide(page)}px)'
    shot(page, '390-en')
    page.goto(live_server + '/tareas/')
    assert 'Claim the checked ones' in page.inner_text('main')
    assert _wide(page) <= 390, f'the task list scrolls sideways ({_wide(page)}px)'
    shot(page, '390-tasks-en')
