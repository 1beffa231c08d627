"""Keyboard and screen-reader basics in a real browser: axe-core finds no WCAG A/AA violation
on the main pages (as the demo users who use them), the skip link is the first Tab stop and
leads into <main>, and after a failed submit the focus is on the error summary, whose links
lead to the fields. Screenshots land in test-output/screenshots/."""
import pytest

from tests.browser.axe import assert_no_violations, require_axe
from tests.browser.conftest import TIMEOUT_MS
from tests.support import flow
from tests.support.pqrsf import register
from tests.support.web import browser_login


@pytest.fixture
def axe_page(browser, request):
    """A desktop page whose context lets axe's injected script run despite the CSP."""
    require_axe()
    context = browser.new_context(locale='es-CO', viewport={'width': 1280, 'height': 800}, bypass_csp=True)
    context.set_default_timeout(TIMEOUT_MS)
    try:
        yield context.new_page()
    finally:
        context.close()


def _case(app):
    case_id, radicado = register(app)
    task = flow.open_task(case_id, 'classify')
    flow.read(lambda s: None)
    return radicado, task.id


def _check(page, url, shot, name):
    page.goto(url)
    page.wait_for_load_state('load')
    shot(page, name)
    assert_no_violations(page)


def test_client_pages_have_no_axe_violations(app, site, axe_page, shot):
    radicado, _ = _case(app)
    for path, name in (('/radicar', 'radicar'), (f'/seguimiento?radicado={radicado}', 'seguimiento'),
                       ('/ingresar', 'ingresar')):
        _check(axe_page, site + path, shot, name)
    axe_page.click('button[type=submit]')  # the intake, sent empty: errors everywhere
    _check(axe_page, site + '/radicar', shot, 'radicar-vacio')
    axe_page.click('form[enctype] button[type=submit]')
    axe_page.wait_for_selector('#error-summary')
    assert_no_violations(axe_page)


@pytest.mark.parametrize('user, paths', [
    ('lider', ['/tareas/', '/tareas/{task}', '/casos/', '/casos/{radicado}']),
    ('director', ['/indicadores']),
    ('dueno', ['/procesos/']),
    ('colaborador', ['/casos/nuevo']),
])
def test_staff_pages_have_no_axe_violations(app, site, axe_page, shot, user, paths):
    radicado, task = _case(app)
    browser_login(axe_page, site, user)
    for n, path in enumerate(paths):
        _check(axe_page, site + path.format(task=task, radicado=radicado), shot, f'{user}-{n}')


def test_skip_link_is_the_first_tab_stop(site, page, shot):
    page.goto(site + '/radicar')
    page.keyboard.press('Tab')
    assert page.evaluate('() => document.activeElement.className') == 'skip-link'
    assert page.locator('.skip-link').is_visible()
    shot(page, 'skip-link', full_page=False)
    page.keyboard.press('Tab')  # the next stop shows the focus ring
    assert page.evaluate('() => getComputedStyle(document.activeElement).outlineWidth') == '3px'
    page.keyboard.press('Shift+Tab')
    page.keyboard.press('Enter')
    assert page.evaluate('() => document.activeElement.id') == 'main'


def _summary_focused(page):
    """The focused element's id once the page's deferred script ran (the load event)."""
    page.wait_for_selector('#error-summary')
    page.wait_for_load_state('load')
    return page.evaluate('() => document.activeElement.id')


def test_failed_submits_put_the_focus_on_the_error_summary(app, site, page, shot):
    _, task = _case(app)
    page.goto(site + '/radicar')
    page.click('form[enctype] button[type=submit]')
    assert _summary_focused(page) == 'error-summary'
    shot(page, 'radicar')
    page.click('#error-summary a[href="#field-description"]')
    assert page.evaluate('() => location.hash') == '#field-description'

    page.goto(site + '/seguimiento')
    page.fill('#radicado', 'PQRSF-2026-999999')
    page.fill('#code', 'NOPE')
    page.click('form button[type=submit]')
    assert _summary_focused(page) == 'error-summary'

    page.goto(site + '/ingresar')
    page.fill('#username', 'lider')
    page.fill('#password', 'wrong password')
    page.click('form button[type=submit]')
    assert _summary_focused(page) == 'error-summary'
    shot(page, 'ingresar')

    browser_login(page, site, 'lider')
    page.goto(site + f'/tareas/{task}')
    page.click('form.task-form > button[type=submit]:not([hidden])')
    assert _summary_focused(page) == 'error-summary'
    assert page.locator('#error-summary li a').count() > 0
    shot(page, 'tarea')


def test_axe_really_runs(axe_page):
    """The helper finds what it should: an image without text, a field without a label."""
    axe_page.set_content('<html lang="es"><title>t</title><main><img src="x.png"><input></main></html>')
    from tests.browser.axe import violations
    assert {'image-alt', 'label'} <= {v['id'] for v in violations(axe_page)}
