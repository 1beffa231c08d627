"""The admin's area pages in a real browser, at 390 px and in English: create an area (a bad
code first, marked on its field), add a member for one branch, deactivate it; no sideways scroll.
Screenshots land in test-output/screenshots/."""
from sqlalchemy import select

from app.accounts.models import Area, AreaMember
from tests.support import flow
from tests.support.web import browser_login, demo_users


def _wide(page):
    return page.evaluate('() => document.documentElement.scrollWidth')


def test_the_area_pages_at_390_px_and_in_english(app, live_server, phone_page, shot):
    demo_users()
    flow.read(lambda s: None)
    page = phone_page
    browser_login(page, live_server, 'admin')
    page.click('nav >> text=Áreas')
    page.wait_for_selector('h1:has-text("Áreas responsables")')
    assert 'Operaciones' in page.inner_text('main')
    page.fill('#code', 'Mal código')
    page.fill('#name', 'Cartera')
    page.click('button:has-text("Crear área")')
    assert page.locator('#code[aria-invalid=true]').count() == 1
    assert 'código del área' in page.inner_text('#code-error')
    shot(page, '390-error')
    page.fill('#code', 'cartera')
    page.click('button:has-text("Crear área")')
    page.wait_for_selector('h1:has-text("Cartera")')
    page.select_option('#username', 'gerente')
    page.select_option('#branch', 'BOG')
    page.click('button:has-text("Añadir")')
    page.wait_for_selector('text=gerente ahora es miembro del área.')
    assert _wide(page) <= 390, f'the page scrolls sideways ({_wide(page)}px)'
    shot(page, '390-es')
    page.click('button:has-text("Desactivar el área")')
    page.wait_for_selector('text=ya no se ofrece en la clasificación')
    assert flow.read(lambda s: (s.get(Area, 'cartera').active, [
        (m.username, m.branch) for m in s.scalars(select(AreaMember).where(
            AreaMember.area_code == 'cartera'))])) == (False, [('gerente', 'BOG')])

    page.click('button[name=lang]')
    page.wait_for_selector('html[lang=en]')
    page.goto(live_server + '/areas/cartera')
    assert 'Add a member' in page.inner_text('main') and 'Activate the area' in page.inner_text('main')
    assert _wide(page) <= 390, f'the page scrolls sideways ({_wide(page)}px)'
    shot(page, '390-en')
