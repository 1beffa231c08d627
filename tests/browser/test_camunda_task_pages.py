"""A Camunda user task with its own due date, follow-up date and candidate users, and a
generic form, as its candidate user reads the list and the task page: at 1280 and 390 px, in
Spanish and in English. Screenshots: test-output/screenshots/test_camunda_task_pages*.png."""
import pytest

from tests.support import flow
from tests.support.web import browser_login


@pytest.fixture
def dated_task(site):
    flow.deploy('camunda_forms/task_dates.bpmn')
    case_id = flow.start('cf_task_dates', {'reviewer': 'gerente'})
    return flow.open_task(case_id, 'revisar')


@pytest.mark.parametrize('lang', ['es', 'en'])
@pytest.mark.parametrize('fixture', ['page', 'phone_page'])
def test_the_list_and_the_task_show_due_and_follow_up(site, dated_task, request, shot, lang, fixture):
    page = request.getfixturevalue(fixture)
    if lang == 'en':
        page.goto(site + '/ingresar')
        page.click('button[name=lang]')
        page.wait_for_selector('html[lang=en]')
    browser_login(page, site, 'responsable')
    page.goto(site + '/tareas/')
    row = page.locator('table.tasks tbody tr').filter(has_text='Revisar')
    assert row.count() == 1
    assert ('Follow-up date' if lang == 'en' else 'Fecha de seguimiento') in row.inner_text()
    shot(page, f'list-{lang}')
    width = page.viewport_size['width']
    assert page.evaluate('document.documentElement.scrollWidth') <= width + 1
    page.goto(site + f'/tareas/{dated_task.id}')
    assert page.locator('textarea[name=comment]').count() == 1
    shot(page, f'task-{lang}')
    page.fill('textarea[name=comment]', 'Revisado')
    page.click('button[type=submit]:not(.secondary):not([hidden])')
    page.wait_for_url(site + '/tareas/')
    assert flow.open_task(dated_task.case_id, 'revisar') is None
