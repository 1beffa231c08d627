"""The browser infrastructure works end to end: the live server answers, Chromium renders the
status page on a desktop and on a phone, and screenshots are written."""


def test_status_page_in_a_real_browser(live_server, page, phone_page, shot):
    response = page.goto(live_server + '/')
    assert response is not None and response.ok
    assert page.locator('h1').inner_text() == 'PQRSF sobre BPMN'
    assert 'Ninguno todavía.' in page.locator('table').inner_text()
    assert shot(page, 'escritorio').stat().st_size > 0

    phone_page.goto(live_server + '/')
    assert phone_page.locator('h1').inner_text() == 'PQRSF sobre BPMN'
    widths = phone_page.evaluate(
        '() => [document.documentElement.scrollWidth, window.innerWidth]')
    assert widths[1] == 390
    assert widths[0] <= widths[1], f'horizontal scroll on a phone: {widths}'
    shot(phone_page, 'telefono')
