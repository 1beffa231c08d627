"""The staff's notifications in a real browser: the counter in the top bar, the list (at 1280
and 390 px, and in English) with the link to the task, the counter gone once the list is open,
and the account page's choice. Screenshots land in test-output/screenshots/."""
from tests.support import flow
from tests.support.pqrsf import OWNER_PASSWORD, action_owners, classify, deploy_processes, open_opportunity, plan, register


def _wide(page):
    return page.evaluate('() => document.documentElement.scrollWidth')


def _login(page, site, username):
    page.goto(site + '/ingresar')
    page.fill('#username', username)
    page.fill('#password', OWNER_PASSWORD)
    page.click('button[type=submit]')
    page.wait_for_url(lambda url: '/ingresar' not in url)


def test_the_counter_and_the_notifications_page(app, live_server, mailbox, page, phone_page, shot):
    app.config['NOTIFY_STAFF'] = True
    deploy_processes()
    action_owners()
    case_id, radicado = register(app)
    classify(app, case_id)
    open_opportunity(app, case_id)
    plan(app, case_id)
    flow.read(lambda s: None)

    _login(page, live_server, 'luis')
    page.goto(live_server + '/tareas/')
    assert page.inner_text('header .counter') == '1'
    shot(page, '1280-counter')
    page.click('header a.notices-link')
    page.wait_for_selector('h1:has-text("Avisos")')
    assert radicado in page.inner_text('main') and 'Nueva tarea' in page.inner_text('main')
    shot(page, '1280-es')
    assert page.locator('header .counter').count() == 0  # the list was opened: all read
    page.click('main .notice a:has-text("Ejecutar la acción")')
    page.wait_for_url(lambda url: '/tareas/' in url and '/avisos' not in url)
    page.click('header a.who')
    page.wait_for_selector('h1:has-text("Mi cuenta")')
    page.check('input[value=digest]')
    page.click('button:has-text("Guardar")')
    page.wait_for_selector('text=Preferencia guardada.')
    shot(page, '1280-account')

    _login(phone_page, live_server, 'eva')
    phone_page.goto(live_server + '/tareas/')
    assert phone_page.inner_text('header .counter') == '1'
    shot(phone_page, '390-counter')
    phone_page.goto(live_server + '/avisos')
    assert _wide(phone_page) <= 390, f'the page scrolls sideways ({_wide(phone_page)}px)'
    shot(phone_page, '390-es')
    phone_page.click('button[name=lang]')
    phone_page.wait_for_selector('html[lang=en]')
    phone_page.goto(live_server + '/avisos')
    assert 'Notifications' in phone_page.inner_text('main') and 'New task' in phone_page.inner_text('main')
    assert _wide(phone_page) <= 390, f'the page scrolls sideways ({_wide(phone_page)}px)'
    shot(phone_page, '390-en')
    phone_page.goto(live_server + '/cuenta')
    assert 'One daily digest' in phone_page.inner_text('main')
    shot(phone_page, '390-en-account')
