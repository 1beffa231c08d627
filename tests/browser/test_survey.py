"""The client's satisfaction survey in a real browser: a phone (390 px) fills in the six criteria
and a comment, and is told which one is missing; without JavaScript the form still works; in
English the criteria are English. Screenshots: test-output/screenshots/test_survey*.png."""
from app.cases.links import make_token
from app.cases.models import SurveyAnswer
from app.cases.vocabulary import SURVEY_CRITERIA
from tests.support import flow
from tests.support.pqrsf import register

CHOICES = {'response_time': 4, 'communication': 5, 'courtesy': 5, 'commitments': 3, 'accessibility': 4,
           'facilities': 2}
ENGLISH = {'response_time': 'Response times', 'communication': 'Communication', 'courtesy': 'Courtesy',
           'commitments': 'Commitments kept', 'accessibility': 'Accessibility',
           'facilities': 'State of the facilities'}


def _survey_url(site_url, app):
    case_id, _ = register(app)
    flow.read(lambda s: None)
    return case_id, f'{site_url}/encuesta/{make_token(case_id, "survey")}'


def _fits(page):
    return page.evaluate('document.documentElement.scrollWidth <= window.innerWidth')


def _choose(page, choices, labels):
    for criterion, rating in choices.items():
        page.get_by_role('group', name=str(labels[criterion])).get_by_label(str(rating), exact=True).check()


def _answer(case_id):
    return flow.read(lambda s: s.get(SurveyAnswer, case_id))


def test_a_client_fills_the_survey_on_a_phone(site, app, phone_page, shot):
    case_id, url = _survey_url(site, app)
    page = phone_page
    page.goto(url)
    assert page.locator('fieldset.rating-scale').count() == len(SURVEY_CRITERIA)
    assert _fits(page)
    shot(page, 'empty')
    _choose(page, {'response_time': 4}, SURVEY_CRITERIA)
    page.locator('button[type=submit]').click()  # the browser asks for the rest itself (required)
    assert page.locator('#survey-form').is_visible() and _answer(case_id) is None
    _choose(page, {k: v for k, v in CHOICES.items() if k != 'commitments'}, SURVEY_CRITERIA)
    page.evaluate("document.getElementById('survey-form').noValidate = true")  # as a browser without the check
    page.locator('button[type=submit]').click()
    page.wait_for_selector('[role=alert]')
    assert 'Falta: Cumplimiento de compromisos.' in page.locator('[role=alert]').inner_text()
    assert page.locator('#rating_commitments-error').inner_text() == 'Califique «Cumplimiento de compromisos» de 1 a 5.'
    assert page.get_by_role('group', name='Cortesía').get_by_label('5', exact=True).is_checked()
    assert _fits(page)
    shot(page, 'missing-one')
    _choose(page, {'commitments': 3}, SURVEY_CRITERIA)
    page.fill('#comment', 'La respuesta llegó a tiempo, pero nadie nos llamó.')
    shot(page, 'filled')
    page.locator('button[type=submit]').click()
    page.wait_for_selector('text=Gracias por su opinión.')
    answer = _answer(case_id)
    assert answer.ratings == CHOICES and answer.rating == 4  # 23 / 6 = 3.83
    assert answer.comment == 'La respuesta llegó a tiempo, pero nadie nos llamó.'


def test_without_javascript_the_survey_still_works(site, app, browser, shot):
    case_id, url = _survey_url(site, app)
    context = browser.new_context(locale='es-CO', java_script_enabled=False,
                                  viewport={'width': 390, 'height': 844}, is_mobile=True)
    try:
        page = context.new_page()
        page.goto(url)
        for criterion, rating in CHOICES.items():  # keyboard only: focus a radio, pick with the space bar
            page.get_by_role('group', name=str(SURVEY_CRITERIA[criterion])).get_by_label(str(rating), exact=True).focus()
            page.keyboard.press('Space')
        shot(page, 'no-js')
        page.locator('button[type=submit]').click()
        page.wait_for_selector('text=Gracias por su opinión.')
    finally:
        context.close()
    assert _answer(case_id).ratings == CHOICES


def test_the_survey_in_english(site, app, page, phone_page, shot):
    case_id, url = _survey_url(site, app)
    for name, browser_page in (('desktop', page), ('phone', phone_page)):
        browser_page.goto(url)
        browser_page.click('button[name=lang]')
        browser_page.wait_for_selector('html[lang=en]')
        legends = browser_page.locator('fieldset.rating-scale legend').all_inner_texts()
        assert legends == list(ENGLISH.values())
        assert _fits(browser_page)
        shot(browser_page, f'english-{name}')
    _choose(phone_page, CHOICES, ENGLISH)
    phone_page.locator('button[type=submit]').click()
    phone_page.wait_for_selector('html[lang=en]')
    assert _answer(case_id).ratings == CHOICES
