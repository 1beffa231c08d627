"""The process owner edits a decision table in the browser (dmn-js), deploys it, and the next
case follows the new value; a cell in a FEEL form the engine does not support is refused,
naming the rule. Screenshots at 1280 and 390 px, in Spanish and English, land in
test-output/screenshots/.

Selectors relied upon (app/static/src/processes/dmn-editor.js, dmn-js 17 decision table):
  #dmn-editor[data-ready=true]               the table is imported and open
  td[data-element-id=ID] .content-editable   a cell of the table, by its inputEntry/outputEntry id
  #problems .no-problems / ul.problems button.problem[data-element-id=ID]
  #deploy-result .deploy-summary
"""
from sqlalchemy import select

from app.engine.models import DecisionVersion
from tests.support import flow
from tests.support.web import browser_login, demo_users

CELL = '#dmn-canvas td[data-element-id="{}"] .content-editable'


def _setup():
    flow.deploy('dmn/triage.bpmn', 'dmn/priority.dmn')
    demo_users()
    flow.read(lambda s: None)


def _open_table(page, site):
    page.goto(site + '/procesos/')
    page.click('a[href="/procesos/tablas/priority/editar"]')
    page.wait_for_selector('#dmn-editor[data-ready=true]')
    page.wait_for_selector(CELL.format('r2_priority'))


def _type_into(page, cell_id, text):
    cell = page.locator(CELL.format(cell_id))
    cell.click()
    page.wait_for_selector(f'#dmn-canvas td[data-element-id="{cell_id}"] .cm-content')  # its FEEL editor
    page.keyboard.press('Control+A')
    page.keyboard.insert_text(text)  # as pasted: the editor's bracket and quote closing stays out
    page.locator('h1').click()  # leaving the cell commits the edit


def _saved_cell(page, cell_id):
    return page.evaluate("""async id => {
        const { xml } = await window.pqrsfDmnModeler.saveXML();
        const doc = new DOMParser().parseFromString(xml, 'application/xml');
        const entry = [...doc.getElementsByTagName('*')].find(node => node.getAttribute('id') === id);
        return entry && entry.textContent.trim();
    }""", cell_id)


def _table_versions():
    return flow.read(lambda s: s.scalars(select(DecisionVersion.version).order_by(DecisionVersion.version)).all())


def test_an_edited_table_is_deployed_and_the_next_case_uses_the_new_value(app, live_server, page, shot):
    _setup()
    before = flow.start('triage', {'kind': 'peticion', 'days': 5})
    assert flow.open_tasks(before) == ['normal_review']   # "media" is not urgent
    browser_login(page, live_server, 'dueno')
    page.goto(live_server + '/procesos/')
    assert page.locator('section.decision-table[data-decision-id=priority]').is_visible()
    shot(page, '01-list')
    _open_table(page, live_server)
    assert page.locator(CELL.format('r2_priority')).inner_text().strip() == '"media"'
    shot(page, '02-editor')

    # a test FEEL allows but the engine does not is refused, naming the rule and the column,
    # and nothing is stored
    _type_into(page, 'r2_days', '> 3 and < 10')
    assert _saved_cell(page, 'r2_days') == '> 3 and < 10'
    page.click('#deploy-btn')
    page.wait_for_selector('#problems ul.problems button.problem[data-element-id=rule_mid]')
    assert "regla 2, columna de entrada 'Días'" in page.locator('#problems').inner_text()
    assert page.locator('#deploy-result .deploy-refused').is_visible()
    shot(page, '03-refused')
    assert _table_versions() == [1]

    # back to the range, make "media" urgent, deploy
    _type_into(page, 'r2_days', '[3..10]')
    _type_into(page, 'r2_priority', '"alta"')
    assert _saved_cell(page, 'r2_priority') == '"alta"'
    page.click('#validate-btn')
    page.wait_for_selector('#problems .no-problems')
    page.click('#deploy-btn')
    page.wait_for_selector('#deploy-result .deploy-summary')
    summary = page.locator('#deploy-result').inner_text()
    assert 'Versión 2 desplegada · Tabla priority' in summary and 'Proceso triage' in summary
    shot(page, '04-deployed')
    assert _table_versions() == [1, 2]

    after = flow.start('triage', {'kind': 'peticion', 'days': 5})
    assert flow.open_tasks(after) == ['urgent_review']   # the new value
    assert flow.open_tasks(before) == ['normal_review']  # the running case kept its version
    page.goto(live_server + '/procesos/')
    assert 'triage v2' in page.locator('section.decision-table[data-decision-id=priority]').inner_text()
    shot(page, '05-list-after')


def test_the_table_editor_at_390_px_and_in_english(app, live_server, phone_page, shot):
    _setup()
    page = phone_page
    browser_login(page, live_server, 'dueno')
    _open_table(page, live_server)
    wide = page.evaluate('() => document.documentElement.scrollWidth')
    assert wide <= 390, f'the page scrolls sideways ({wide}px); the table must scroll in its box'
    shot(page, '390-es')
    assert 'Política de coincidencia' in page.locator('#dmn-canvas').inner_text()  # our Spanish of dmn-js
    page.goto(live_server + '/ingresar')
    page.context.clear_cookies()
    page.goto(live_server + '/ingresar')
    page.click('button[name=lang]')
    page.wait_for_selector('html[lang=en]')
    browser_login(page, live_server, 'dueno')
    page.goto(live_server + '/procesos/')
    assert 'Decision tables' in page.inner_text('main')
    shot(page, '390-en-list')
    _open_table(page, live_server)
    assert page.locator('#validate-btn').inner_text().strip() == 'Validate'
    assert 'hit policy' in page.locator('#dmn-canvas').inner_text().lower()  # dmn-js in English too
    shot(page, '390-en-editor')
