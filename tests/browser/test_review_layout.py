"""The pages a person reads at each step, at 1280 px and at 390 px, in Spanish and in English:
the GI-FT-04 analysis form (its action owner a choice of eligible users) with the reassign
control, the case and report pages as the auditor sees them (contact masked, attachment name
withheld), the 429 page after wrong passwords and the 503 page of a filing whose first step
fails. None scrolls sideways at 390 px, and in English no text on them is Spanish the app
marks for translation (a catalogue entry, or a marked text the catalogue lacks), nor a process
owner's text that has its English (a form text with its `_en`, an element name with its
`name_en`). The indicators page is looked at too. Screenshots:
test-output/screenshots/review_<page>-<lang>-<width>.png.
"""
import functools
import json
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from sqlalchemy import select

from app.engine.clock import clock
from app.engine.facts import properties_of
from app.engine.lint.languages import SHOWN
from app.task_forms.languages import OPTION_TEXTS, TEXTS as FORM_TEXTS
from app.task_forms.walk import every_component
from app.engine.models import HumanTask
from app.platform.extensions import db
from app.cases.models import Attachment
from tests.browser.conftest import SCREENSHOTS, TIMEOUT_MS
from tests.support import flow
from tests.support.pqrsf import CLIENT, classify, open_opportunity, register
from tests.support.web import browser_login

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / 'app/translations/en/LC_MESSAGES/messages.po'
WIDTHS = {1280: dict(viewport={'width': 1280, 'height': 800}),
          390: dict(viewport={'width': 390, 'height': 844}, is_mobile=True, has_touch=True)}

# every visible text node and the words people read in attributes, trimmed
TEXTS = """() => {
  const out = [];
  const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walk.nextNode()) { const t = walk.currentNode.textContent.trim(); if (t) out.push(t); }
  for (const el of document.querySelectorAll('[aria-label],[title],[placeholder]'))
    for (const a of ['aria-label', 'title', 'placeholder']) if (el.getAttribute(a)) out.push(el.getAttribute(a).trim());
  document.title && out.push(document.title);
  return out; }"""
# elements wider than the viewport, for the failure message
WIDE = """width => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > width + 1)
  .slice(-8).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className && e.className.baseVal === undefined ? '.' + e.className : ''))"""


@functools.cache
def _spanish_left():
    """The app's texts that must not show in English: catalogue entries whose English differs,
    and texts marked for translation (templates, app/**.py) that the catalogue lacks."""
    with CATALOGUE.open('rb') as handle:
        catalogue = read_po(handle)
    english = {m.id for m in catalogue if isinstance(m.id, str) and m.string}
    marked = {message for _file, _line, message, _comments, _context in extract_from_dir(
        ROOT / 'app', [('**.py', 'python'), ('templates/**.html', 'jinja2')]) if isinstance(message, str)}
    return ({m.id for m in catalogue if isinstance(m.id, str) and m.string and m.string != m.id}
            | (marked - english) | _owners_spanish())


def _owners_spanish() -> set:
    """The Spanish texts of the shipped forms and diagrams that declare a different English."""
    from lxml import etree
    found = set()

    def pair(item, keys):
        for key in keys:
            spanish, english = item.get(key), item.get(f'{key}_en')
            if isinstance(spanish, str) and english and english.strip() != spanish.strip():
                found.add(spanish.strip())
    for path in (ROOT / 'forms').glob('*.json'):
        for component in every_component(json.loads(path.read_text(encoding='utf-8')).get('components')):
            pair(component, FORM_TEXTS)
            for option in component.get('values') or ():
                pair(option, OPTION_TEXTS)
    for path in (ROOT / 'processes').glob('*.bpmn'):
        for node in etree.parse(str(path)).getroot().iter():
            if isinstance(node.tag, str) and node.tag.split('}')[-1] in SHOWN:
                pair({'name': node.get('name'), 'name_en': properties_of(node).get('name_en')}, ('name',))
    return found



@pytest.fixture
def analysis_case(site, app):
    """A queja at the GI-FT-04 analysis task, with a client attachment."""
    case_id, radicado = register(app)
    classify(app, case_id)
    open_opportunity(app, case_id)
    db.session.add(Attachment(case_id=case_id, filename='cedula_marta.pdf', content_type='application/pdf',
                              size=40, content=b'%PDF-1.4 cedula', uploaded_at=clock.now(), uploaded_by='cliente'))
    db.session.commit()
    task_id = flow.read(lambda s: s.scalar(select(HumanTask.id).where(
        HumanTask.case_id == case_id, HumanTask.state == 'open', HumanTask.element_id == 'analyse_causes')))
    db.session.remove()
    assert task_id
    return radicado, task_id


class Look:
    """One browser context per language and width: screenshots, overflow and catalogue checks."""

    def __init__(self, browser, site, lang, width):
        self.site, self.lang, self.width = site, lang, width
        self.context = browser.new_context(locale='es-CO', **WIDTHS[width])
        self.context.set_default_timeout(TIMEOUT_MS)
        self.page = self.context.new_page()
        self.problems = []
        self.spanish = _spanish_left() if lang == 'en' else set()

    def language(self):
        if self.lang == 'en':
            self.page.goto(self.site + '/ingresar')
            self.page.click('button[name=lang]')
            self.page.wait_for_selector('html[lang=en]')

    def login(self, username):
        self.context.clear_cookies()
        self.language()
        browser_login(self.page, self.site, username)

    def look(self, name):
        page = self.page
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f'review_{name}-{self.lang}-{self.width}.png'), full_page=True)
        # a mobile page zooms out to fit what overflows (innerWidth grows with it): compare with
        # the device's width too
        wide = page.evaluate('w => Math.max(document.documentElement.scrollWidth, window.innerWidth) > w', self.width)
        if wide:
            self.problems.append(f'{name} {self.lang} {self.width}px scrolls sideways: {page.evaluate(WIDE, self.width)}')
        if self.lang == 'en':
            assert page.locator('html').get_attribute('lang') == 'en', name
            left = sorted({t for t in page.evaluate(TEXTS) if t in self.spanish})
            if left:
                self.problems.append(f'{name}: Spanish left in English: {left}')


@pytest.mark.parametrize('width', [1280, 390])
@pytest.mark.parametrize('lang', ['es', 'en'])
def test_the_pages_read_well_at_each_width_and_language(app, site, analysis_case, browser, lang, width):
    radicado, task_id = analysis_case
    look = Look(browser, site, lang, width)
    page = look.page
    try:
        look.login('lider')
        page.goto(f'{site}/tareas/?case_type=Q&channel=correo')  # filters offered from the vocabulary
        assert page.locator(f'a[href="/tareas/{task_id}"]').count() == 1
        look.look('tasklist')
        page.goto(f'{site}/tareas/{task_id}')
        owner = page.locator('select[name$="owner"]').first
        assert owner.count() == 1 and 'responsable' in owner.inner_text()
        assert page.locator('select#assignee').is_visible()
        look.look('analysis')

        look.login('auditor')
        page.goto(f'{site}/casos/{radicado}')
        assert page.locator('#attachments').inner_text().count('cedula') == 0
        assert CLIENT['client_email'] not in page.content()
        look.look('case-auditor')
        page.goto(f'{site}/casos/{radicado}/trazabilidad')
        assert CLIENT['client_email'] not in page.content()
        look.look('report-auditor')
        page.goto(f'{site}/indicadores')
        look.look('indicators-auditor')

        app.config['LIMIT_LOGIN_ACCOUNT'] = '2 per hour'
        look.context.clear_cookies()
        look.language()
        for _ in range(3):
            page.goto(site + '/ingresar')
            page.fill('#username', 'dueno')
            page.fill('#password', 'not-the-password')
            with page.expect_response(lambda r: r.url.endswith('/ingresar') and r.request.method == 'POST') as answer:
                page.click('button[type=submit]')
            page.wait_for_load_state()
        assert answer.value.status == 429
        look.look('429')

        flow.store_pqrsf_whose_start_fails()
        look.login('colaborador')
        page.goto(site + '/casos/nuevo')
        page.evaluate("""values => { for (const [name, value] of Object.entries(values)) {
            const el = document.querySelector(`[name="${name}"]`); if (!el) continue;
            if (el.type === 'checkbox') el.checked = !!value;
            else if (el.type === 'radio') { const r = document.querySelector(`[name="${name}"][value="${value}"]`); if (r) r.checked = true; }
            else el.value = value; } }""", CLIENT)
        with page.expect_response(lambda r: r.request.method == 'POST') as answer:
            page.click('main button[type=submit]')
        page.wait_for_load_state()
        assert answer.value.status == 503
        look.look('503')
    finally:
        look.context.close()
    assert not look.problems, '\n'.join(look.problems)
