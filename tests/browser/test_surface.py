"""The pages under their Content-Security-Policy in a real browser: the bpmn-js editor, the
version viewer and the case path work with no CSP violation, the indicators and report pages
too; a locked-out login shows the 429 page in the visitor's language. Screenshots land in
test-output/screenshots/.
"""
import pytest

from tests.support import flow
from tests.support.pqrsf import looped_and_escalated_case
from tests.support.web import browser_login

# every violation the page reports, collected before its own scripts run
WATCH_CSP = """document.addEventListener('securitypolicyviolation', e => {
  (window.__csp = window.__csp || []).push(
    e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' ' + (e.sourceFile || '') + ':' + e.lineNumber);
});"""



def _watched(page):
    console = []
    page.on('console', lambda message: console.append(message.text)
            if 'Content Security Policy' in message.text else None)
    page.add_init_script(WATCH_CSP)
    return console


def _violations(page, console):
    return (page.evaluate('() => window.__csp || []'), console)


def test_diagram_pages_work_under_the_policy(app, site, page, shot):
    console = _watched(page)
    case_id, radicado = looped_and_escalated_case(app)
    flow.read(lambda s: None)
    browser_login(page, site, 'dueno')

    response = page.goto(site + '/procesos/pqrsf/editar')
    assert "script-src 'self'" in response.headers['content-security-policy']
    page.wait_for_selector('#editor[data-ready=true]')
    page.wait_for_selector('#canvas .djs-element')
    assert page.locator('#canvas .bjs-powered-by').is_visible()
    page.click('#canvas g.djs-element[data-element-id="attention"]')
    page.wait_for_selector('#properties .bio-properties-panel-group')
    page.click('#validate-btn')
    page.wait_for_selector('#problems .no-problems, #problems ul.problems')
    shot(page, '01-editor')
    assert _violations(page, console) == ([], [])

    page.goto(site + '/procesos/pqrsf/v/1')
    page.wait_for_selector('#viewer[data-ready=true] .djs-element')
    assert _violations(page, console) == ([], [])

    page.goto(site + '/indicadores')
    page.wait_for_selector('#chart-type')
    # the bars are drawn without style attributes: the longest fills its track
    longest, track = page.evaluate('''() => {
        const bars = [...document.querySelectorAll('#chart-type rect.bar')];
        const widths = bars.map(b => b.getBoundingClientRect().width);
        return [Math.max(...widths), bars[0].parentNode.getBoundingClientRect().width]; }''')
    assert longest == pytest.approx(track, abs=1) and longest > 50
    page.goto(f'{site}/casos/{radicado}/trazabilidad')
    assert page.locator('button[data-print]').is_visible()
    assert _violations(page, console) == ([], [])

    page.click('form.inline button.link >> text=Salir')
    browser_login(page, site, 'auditor')
    page.goto(f'{site}/casos/{radicado}/recorrido')
    page.wait_for_selector('#path-view[data-ready=true][data-process="pqrsf"]')
    page.locator('#path-canvas g.djs-element[data-element-id="attention"]').click()
    shot(page, '02-recorrido')
    assert _violations(page, console) == ([], [])


def _sign_in(page, site, password):
    page.goto(site + '/ingresar')
    page.fill('#username', 'lider')
    page.fill('#password', password)
    with page.expect_response(lambda r: r.url.endswith('/ingresar') and r.request.method == 'POST') as answer:
        page.click('button[type=submit]')
    page.wait_for_load_state()
    return answer.value


def test_a_locked_out_login_shows_the_429_page_in_the_visitors_language(app, site, page, shot):
    from app.accounts.demo import DEMO_PASSWORD
    app.config['LIMIT_LOGIN_ACCOUNT'] = '2 per hour'
    for _ in range(2):
        assert _sign_in(page, site, 'not-the-password').status == 401
        assert page.locator('#error-summary').is_visible()
    answer = _sign_in(page, site, DEMO_PASSWORD)  # the right password, too late
    assert answer.status == 429 and int(answer.headers['retry-after']) > 0
    assert 'Demasiados intentos' in page.locator('h1').inner_text()
    shot(page, '01-429-es')
    page.click('button[name=lang]')  # English
    page.wait_for_selector('html[lang=en]')
    assert _sign_in(page, site, DEMO_PASSWORD).status == 429
    assert 'Too many attempts' in page.locator('h1').inner_text()
    shot(page, '02-429-en')
