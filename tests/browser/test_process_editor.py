"""The process owner edits the PQRSF diagram in the browser (bpmn-js with the Camunda 7
properties panel), validates and deploys it, and the running product follows the new version:
cases registered before the edit keep the 5-business-day answer deadline, cases registered
after it get 3 days. A broken upload lists each problem at its element and deploys nothing.
Screenshots of every step land in test-output/screenshots/.

Selectors relied upon (app/static/src/processes/editor.js, bpmn-js-properties-panel 6):
  #editor[data-ready]                         the diagram is imported
  g.djs-element[data-element-id=ID]           an element on the canvas
  .bio-properties-panel-group[data-group-id=group-timer]   the Timer group of the panel
  #bio-properties-panel-timerEventDefinitionValue          the timer expression input
  #problems .no-problems / ul.problems button.problem[data-element-id=ID]
  #deploy-result .deploy-summary
"""
import re
from datetime import datetime

from sqlalchemy import select

from app.engine.models import ProcessVersion
from tests.support import flow
from tests.support.pqrsf import drive_to_decision, register, travel_to
from tests.support.web import browser_login

FIVE_DAYS = '${business_deadline(now(), 5)}'
THREE_DAYS = '${business_deadline(now(), 3)}'



def _login(page, site, username='dueno'):
    browser_login(page, site, username)


def _open_editor(page, url):
    page.goto(url)
    page.wait_for_selector('#editor[data-ready=true]')
    page.wait_for_selector('#canvas .djs-element')
    assert page.locator('#canvas .bjs-powered-by').is_visible()  # bpmn.io watermark (licence)


def _selected_id(page):
    return page.evaluate("() => (window.pqrsfModeler.get('selection').get()[0] || {}).id || null")


def _versions(process_id='pqrsf'):
    return flow.read(lambda s: s.scalars(select(ProcessVersion.version).where(
        ProcessVersion.process_id == process_id).order_by(ProcessVersion.version)).all())


def _timer_body(page, element_id):
    return page.evaluate("""id => {
        const element = window.pqrsfModeler.get('elementRegistry').get(id);
        const definition = element.businessObject.eventDefinitions[0];
        return definition.timeDate && definition.timeDate.body;
    }""", element_id)


def _edit_answer_deadline(page, site, shot):
    _open_editor(page, site + '/procesos/pqrsf/editar')
    shot(page, '01-editor')

    # select the client-answer timer after the event-based gateway, as a user does: on the canvas
    timer = page.locator('#canvas g.djs-element[data-element-id="answer_timeout"]')
    timer.scroll_into_view_if_needed()
    timer.click()
    assert _selected_id(page) == 'answer_timeout'
    page.wait_for_selector('.bio-properties-panel-header-label:has-text("5 días hábiles sin respuesta")')

    # the Timer group of the properties panel, and its value field
    group = page.locator('#properties .bio-properties-panel-group[data-group-id="group-timer"]')
    group.locator('.bio-properties-panel-group-header').click()
    value = page.locator('#bio-properties-panel-timerEventDefinitionValue')
    value.wait_for(state='visible')
    assert value.input_value() == FIVE_DAYS
    assert page.locator('#bio-properties-panel-timerEventDefinitionType').input_value() == 'timeDate'
    shot(page, '02-temporizador-seleccionado')
    value.click()
    value.press('Control+A')
    value.press_sequentially(THREE_DAYS, delay=10)
    page.wait_for_function("""([id, body]) => {
        const element = window.pqrsfModeler.get('elementRegistry').get(id);
        const definition = element.businessObject.eventDefinitions[0];
        return definition.timeDate && definition.timeDate.body === body;
    }""", arg=['answer_timeout', THREE_DAYS])
    shot(page, '03-temporizador-editado')

    page.click('#validate-btn')
    page.wait_for_selector('#problems .no-problems')
    assert page.locator('#problems').inner_text().strip() == 'Sin problemas'
    shot(page, '04-validado')

    page.click('#deploy-btn')
    page.wait_for_selector('#deploy-result .deploy-summary')
    result = page.locator('#deploy-result').inner_text()
    assert 'Versión 2 desplegada' in result, result
    shot(page, '05-desplegado')
    return page.locator('#deploy-result ul.diff-changed li').all_inner_texts()


def test_owner_edits_the_answer_deadline_and_new_cases_follow_it(app, site, page, shot):
    travel_to(app, datetime(2027, 3, 1, 9, 0))  # Monday
    five_days = register(app)[0]

    _login(page, site)
    changed = _edit_answer_deadline(page, site, shot)
    assert _versions() == [1, 2]
    xml, deployed_by = flow.read(lambda s: s.execute(select(ProcessVersion.bpmn_xml, ProcessVersion.deployed_by).where(
        ProcessVersion.process_id == 'pqrsf', ProcessVersion.version == 2)).one())  # plain values: no lazy load later
    assert THREE_DAYS in xml and deployed_by == 'dueno'

    # the earlier version, read-only, with what changed since
    page.goto(site + '/procesos/pqrsf/v/1')
    page.wait_for_selector('#viewer[data-ready=true] .djs-element')
    assert page.evaluate("() => !!window.pqrsfViewer.get('elementRegistry').get('answer_timeout')")
    assert 'answer_timeout' in page.locator('main').inner_text()
    shot(page, '06-version-anterior')

    three_days = register(app)[0]
    for case_id in (five_days, three_days):
        drive_to_decision(app, case_id)
    def closed(case_id):  # closed for want of an answer (the survey follows five business days later)
        return ('element_completed', 'auto_close') in flow.history(case_id)
    travel_to(app, datetime(2027, 3, 4, 23, 30))  # just before 3 business days after Monday 1 March
    assert (closed(five_days), closed(three_days)) == (False, False)
    travel_to(app, datetime(2027, 3, 5, 0, 1))
    assert (closed(five_days), closed(three_days)) == (False, True)
    travel_to(app, datetime(2027, 3, 9, 0, 1))  # 5 business days: Tue 2 ... Mon 8
    assert closed(five_days)

    # the deploy summary named only the edited timer: bpmn-js re-indents the whole file when it
    # saves, and layout (whitespace included) is no change
    assert changed == ['answer_timeout'], changed


def test_a_broken_upload_points_at_each_problem_and_deploys_nothing(app, site, page, shot, tmp_path):
    text = (flow.ROOT / 'processes' / 'pqrsf.bpmn').read_text(encoding='utf-8')
    topic = 'id="send_survey" name="Invitar a la encuesta de satisfacción" camunda:type="external" camunda:topic="email.send"'
    condition = '<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">${not clock_stopped_at}</bpmn:conditionExpression>'
    assert text.count(topic) == 1 and text.count(condition) == 1
    broken = text.replace(topic, topic.replace('email.send', 'no.such.topic')).replace(
        condition, condition.replace('${not clock_stopped_at}', '${approved ==}'))
    path = tmp_path / 'pqrsf-roto.bpmn'
    path.write_text(broken, encoding='utf-8')

    _login(page, site)
    page.goto(site + '/procesos/subir')
    page.wait_for_selector('#editor[data-ready=true]')
    shot(page, '01-subir')
    page.set_input_files('#upload-input', str(path))
    page.wait_for_selector('#problems ul.problems')
    assert page.get_attribute('#editor', 'data-file-name') == 'pqrsf-roto.bpmn'
    problems = page.locator('#problems button.problem')
    listed = {problems.nth(i).get_attribute('data-element-id') for i in range(problems.count())}
    assert listed == {'send_survey', 'f_client_waits'}, page.locator('#problems').inner_text()
    texts = page.locator('#problems').inner_text()
    assert 'no.such.topic' in texts and 'línea' in texts, texts
    for element_id in listed:
        assert page.evaluate("id => window.pqrsfModeler.get('canvas').hasMarker(id, 'has-problem')", element_id)
        assert page.locator(f'#canvas g.djs-element.has-problem[data-element-id="{element_id}"]').count() == 1
        stroke = page.evaluate("""id => {
            const visual = document.querySelector(`#canvas g.djs-element[data-element-id="${id}"] .djs-visual`);
            return getComputedStyle(visual.querySelector(':scope > rect, :scope > path')).stroke;
        }""", element_id)
        assert stroke == 'rgb(180, 35, 24)', (element_id, stroke)  # drawn in red (#b42318)
    shot(page, '02-problemas')

    page.click('#problems button.problem[data-element-id="send_survey"]')
    assert _selected_id(page) == 'send_survey'
    page.wait_for_selector('.bio-properties-panel-header-label:has-text("Invitar a la encuesta de satisfacción")')
    # the topic field offers the handlers' topics (pick list from /procesos/catalogo)
    topic = page.locator('#bio-properties-panel-externalTopic')
    page.locator('#properties .bio-properties-panel-group:has(#bio-properties-panel-externalTopic) '
                 '.bio-properties-panel-group-header').click()
    assert topic.input_value() == 'no.such.topic' and topic.get_attribute('list') == 'pqrsf-topics'
    assert 'email.send' in page.eval_on_selector_all('#pqrsf-topics option', 'os => os.map(o => o.value)')
    shot(page, '03-problema-seleccionado')
    page.click('#problems button.problem[data-element-id="f_client_waits"]')
    assert _selected_id(page) == 'f_client_waits'
    condition = page.locator('#bio-properties-panel-conditionExpression')  # the flow's condition
    page.locator('#properties .bio-properties-panel-group:has(#bio-properties-panel-conditionExpression) '
                 '.bio-properties-panel-group-header').click()
    assert condition.input_value() == '${approved ==}'
    shot(page, '04-condicion-seleccionada')

    page.click('#deploy-btn')
    page.wait_for_selector('#deploy-result .deploy-refused')
    assert page.locator('#problems button.problem').count() == 2
    shot(page, '05-despliegue-rechazado')
    assert _versions() == [1]
    page.goto(site + '/procesos/')
    assert 'v2' not in page.locator('main').inner_text()


def test_editor_stacks_canvas_and_properties_on_a_phone(app, site, phone_page, shot):
    _login(phone_page, site)
    _open_editor(phone_page, site + '/procesos/pqrsf/editar')
    canvas = phone_page.locator('#canvas').bounding_box()
    properties = phone_page.locator('#properties').bounding_box()
    assert properties['y'] >= canvas['y'] + canvas['height'] - 1, (canvas, properties)
    widths = phone_page.evaluate('() => [document.documentElement.scrollWidth, window.innerWidth]')
    assert widths[0] <= widths[1], f'horizontal scroll on a phone: {widths}'
    shot(phone_page, 'editor-telefono')


def test_the_editor_speaks_the_page_language(app, site, browser):
    """bpmn-js and its properties panel in Spanish on a Spanish page (our dictionary through the
    `translate` service), in English on an English one; the linter's problems too."""
    from tests.browser.conftest import language_context, save_screen
    for lang, create_task, documentation in (('es', 'Crear tarea', 'Documentación'),
                                             ('en', 'Create task', 'Documentation')):
        context, page = language_context(browser, site, lang, 1280, user='dueno')
        try:
            _open_editor(page, site + '/procesos/pqrsf/editar')
            assert page.locator(f'.djs-palette .entry[aria-label="{create_task}"]').count() == 1
            header = page.locator('.bio-properties-panel-group[data-group-id=group-documentation] '
                                  '.bio-properties-panel-group-header-title')
            assert header.inner_text().strip() == documentation
            page.click('g.djs-element[data-element-id=answer_timeout]')
            page.wait_for_selector('.djs-context-pad')
            page.click('#validate-btn')                                   # our own words too
            page.wait_for_selector('#problems .no-problems, #problems .problems-count')
            kind = page.inner_text('.bio-properties-panel-header-type').strip().lower()
            assert kind == ('evento intermedio de temporizador' if lang == 'es' else 'timer intermediate catch event')
            said = page.inner_text('#problems .no-problems, #problems .problems-count')
            assert re.fullmatch(r'Sin problemas|\d+ problemas?' if lang == 'es' else r'No problems|\d+ problems?', said)
            save_screen(page, f'editor-language-{lang}')
            # the linter's own sentences too (the values in them stay as written)
            page.goto(site + '/procesos/subir')
            page.wait_for_selector('#editor[data-ready=true]')
            page.set_input_files('#upload-input', str(flow.DIAGRAMS / 'broken' / 'dangling_flow.bpmn'))
            said = page.locator('#problems button.problem[data-element-id=f_cerrar_fin] .problem-message')
            said.filter(has_text="'fin_que_no_existe' (targetRef)").wait_for()  # the server's, after the import's
            assert ("La conexión apunta a 'fin_que_no_existe' (targetRef), que no existe en este proceso."
                    if lang == 'es' else "The connection points to 'fin_que_no_existe' (targetRef), which does "
                    "not exist in this process.") in said.all_inner_texts()
            save_screen(page, f'editor-lint-problems-{lang}')
        finally:
            context.close()
