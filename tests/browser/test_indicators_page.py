"""The indicators page with the seed-defined figures (per type, legal term, causes, criteria,
retention) in a real browser at 390 px and in English, on the 200 seeded cases of
tests/oversight/test_indicators.py. Screenshots: test-output/screenshots/test_indicators_page*.png."""
from app.platform.extensions import db
from tests.oversight.test_indicators import QUERY, build, expected
from tests.support import flow
from tests.support.web import browser_login, demo_users


def test_the_indicators_on_a_phone_in_spanish_and_english(live_server, phone_page, shot):
    site = live_server  # no process deployed: the cases are written straight into the tables
    build(db.session)
    demo_users()
    flow.read(lambda s: None)
    data = expected()
    page = phone_page
    browser_login(page, site, 'auditor')
    page.goto(f'{site}/indicadores?{QUERY}')
    page.wait_for_selector('#ind-retention')
    assert page.evaluate('document.documentElement.scrollWidth <= window.innerWidth')
    assert page.locator('#ind-legal').get_attribute('data-value') == str(data['timeliness']['legal_on_time_share'])
    assert page.locator('#nonconformities-by-cause tbody tr').count() == len(data['nonconformities']['by_cause'])
    assert page.locator('#satisfaction-by-criterion tbody tr').count() == 6
    shot(page, 'es')
    page.locator('#satisfaction-by-criterion').scroll_into_view_if_needed()
    shot(page, 'es-tables', full_page=False)
    page.click('button[name=lang]')
    page.wait_for_selector('html[lang=en]')
    page.goto(f'{site}/indicadores?{QUERY}')
    assert 'Client retention' in page.locator('.kpis').inner_text()
    assert 'No cause recorded' in page.locator('#nonconformities-by-cause').inner_text()
    assert page.evaluate('document.documentElement.scrollWidth <= window.innerWidth')
    shot(page, 'en')
