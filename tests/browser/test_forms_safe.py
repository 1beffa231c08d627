"""Task forms in a real browser: three actions added to GI-FT-04's plan with JavaScript (rows
added in the page) and without it (the "add row" button posts the form back, keeping what was
typed); the classification's "what is missing" field shown when "faltan datos" is ticked,
required then, and refused by the server when left empty, with and without JavaScript.
Screenshots at 1280 and 390 px, in Spanish and English:
test-output/screenshots/forms_<what>-<lang>-<width>[-nojs].png."""
import pytest
from sqlalchemy import func, select

from app.engine.models import HumanTask
from app.platform.extensions import db
from tests.browser.conftest import SCREENSHOTS, TIMEOUT_MS
from tests.support import flow
from tests.support.pqrsf import action_owners, classify, open_opportunity, register
from tests.support.web import browser_login

SIZES = {1280: dict(viewport={'width': 1280, 'height': 800}),
         390: dict(viewport={'width': 390, 'height': 844}, is_mobile=True, has_touch=True)}
ACTIONS = [('Avisar al cliente de todo retraso', 'luis@empresa.example', '2027-03-10'),
           ('Revisar la programación de rutas', 'eva@empresa.example', '2027-03-12'),
           ('Capacitar a los despachadores', 'luis@empresa.example', '2027-03-20')]


class Screen:
    """A browser context in one language, width and JavaScript setting, signed in."""

    def __init__(self, browser, site, lang, width, javascript=True):
        self.site, self.name = site, f'{lang}-{width}{"" if javascript else "-nojs"}'
        self.context = browser.new_context(locale='es-CO', java_script_enabled=javascript, **SIZES[width])
        self.context.set_default_timeout(TIMEOUT_MS)
        self.page = self.context.new_page()
        if lang == 'en':
            self.page.goto(site + '/ingresar')
            self.page.click('button[name=lang]')
            self.page.wait_for_selector('html[lang=en]')
        browser_login(self.page, site, 'lider')

    def shot(self, what):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SCREENSHOTS / f'forms_{what}-{self.name}.png'), full_page=True)
        wide = self.page.evaluate('() => document.documentElement.scrollWidth > window.innerWidth + 1')
        assert not wide, f'{what} {self.name} scrolls sideways'


def _task_id(case_id, element_id):
    return flow.read(lambda s: s.scalar(select(HumanTask.id).where(
        HumanTask.case_id == case_id, HumanTask.state == 'open', HumanTask.element_id == element_id)))


def _open_count(case_id, element_id):
    return flow.read(lambda s: s.scalar(select(func.count()).select_from(HumanTask).where(
        HumanTask.case_id == case_id, HumanTask.state == 'open', HumanTask.element_id == element_id)))


@pytest.fixture
def analysis_task(site, app):
    action_owners()
    case_id, _ = register(app)
    classify(app, case_id)
    open_opportunity(app, case_id)
    db.session.remove()
    return case_id, _task_id(case_id, 'analyse_causes')


def _fill_row(page, index, action):
    description, email, due = action
    page.fill(f'[name="actions-{index}-description"]', description)
    page.select_option(f'[name="actions-{index}-owner"]', index=1 + index % 2)
    page.fill(f'[name="actions-{index}-owner_email"]', email)
    page.fill(f'[name="actions-{index}-due_date"]', due)


@pytest.mark.parametrize('javascript, lang, width', [(True, 'es', 1280), (False, 'en', 390)])
def test_three_actions_are_added_to_the_plan(browser, site, analysis_task, javascript, lang, width):
    case_id, task_id = analysis_task
    screen = Screen(browser, site, lang, width, javascript)
    page = screen.page
    try:
        page.goto(f'{site}/tareas/{task_id}')
        page.select_option('[name=analysis_method]', '5_porques')
        page.fill('[name=root_causes]', 'No hay aviso automático de retrasos.')
        for index, action in enumerate(ACTIONS):
            assert page.locator('.dynamiclist-row').count() == index + 1
            _fill_row(page, index, action)
            if index < len(ACTIONS) - 1:
                page.click('button.add-row')
                if not javascript:  # the page came back from the server: nothing typed was lost
                    page.wait_for_selector(f'[name="actions-{index + 1}-description"]')
                    assert page.locator('.field-error').count() == 0
                assert page.input_value('[name="actions-0-description"]') == ACTIONS[0][0]
                assert page.input_value('[name=root_causes]') == 'No hay aviso automático de retrasos.'
        screen.shot('three-actions')
        page.click('form.task-form button[type=submit]:not([name]):not([hidden])')
        page.wait_for_url(lambda url: f'/tareas/{task_id}' not in url)
        assert _open_count(case_id, 'do_action') == 3
    finally:
        screen.context.close()


def test_rows_are_removed_and_numbered_again_with_javascript(browser, site, analysis_task):
    _case_id, task_id = analysis_task
    screen = Screen(browser, site, 'en', 1280)
    page = screen.page
    try:
        page.goto(f'{site}/tareas/{task_id}')
        for index, action in enumerate(ACTIONS):
            if index:
                page.click('button.add-row')
            _fill_row(page, index, action)
        page.click('button:has-text("Remove row 1")')
        assert page.locator('.dynamiclist-row').count() == 2
        assert page.input_value('[name="actions-0-description"]') == ACTIONS[1][0]
        assert page.input_value('[name="actions-1-description"]') == ACTIONS[2][0]
        assert page.locator('.dynamiclist-row legend').all_inner_texts() == ['Row 1', 'Row 2']
        screen.shot('removed-row')
        page.press('[name="actions-0-description"]', 'Enter')  # completes (and is refused), never removes a row
        page.wait_for_selector('#error-summary')
        assert page.locator('.dynamiclist-row').count() == 2
        assert page.locator('#field-root_causes-error').is_visible()
    finally:
        screen.context.close()


@pytest.mark.parametrize('javascript, lang, width', [(True, 'en', 1280), (False, 'es', 390)])
def test_what_is_missing_is_shown_required_and_enforced(browser, site, app, javascript, lang, width):
    case_id, _ = register(app)
    db.session.remove()
    task_id = _task_id(case_id, 'classify')
    screen = Screen(browser, site, lang, width, javascript)
    page = screen.page
    missing = page.locator('#field-information_request')
    try:
        page.goto(f'{site}/tareas/{task_id}')
        page.select_option('[name=case_type]', 'Q')
        page.select_option('[name=severity]', 'media')
        page.select_option('[name=investigation_level]', 'intermedio')
        page.select_option('[name=responsible_area]', 'operaciones')
        page.select_option('[name=impact]', 'individual')
        page.select_option('[name=motive]', 'disculpa')
        assert not missing.is_visible()  # hidden while "faltan datos" is not ticked
        page.check('[name=needs_information]')
        if javascript:
            assert missing.is_visible()  # shown live
            screen.shot('conditional-shown')
        page.click('form.task-form button[type=submit]:not([name]):not([hidden])')
        page.wait_for_selector('#field-information_request-error')  # the server refuses it empty
        assert missing.is_visible() and page.input_value('[name=responsible_area]') == 'operaciones'
        assert _task_id(case_id, 'classify') == task_id
        screen.shot('conditional-refused')
        page.fill('[name=information_request]', 'El número de la guía de transporte.')
        page.click('form.task-form button[type=submit]:not([name]):not([hidden])')
        page.wait_for_url(lambda url: f'/tareas/{task_id}' not in url)
        assert _task_id(case_id, 'classify') is None
    finally:
        screen.context.close()
