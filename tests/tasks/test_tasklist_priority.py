"""The task list puts higher priorities first (tasks without one last), then the nearest due
date, then the oldest; the page shows a task's priority as a badge and the API says it."""
from datetime import timedelta

from sqlalchemy import select

from app.accounts.models import User
from app.engine.clock import clock
from app.platform.engines import calendar
from app.platform.extensions import db
from app.tasks import queries
from app.tasks.queries import Filters, task_page
from tests.support import flow
from tests.support.web import basic, csrf_token, login

# (urgency, due in days or None): the case each one starts, in the order they are started
CASES = [(1, 5), (None, 1), (3, 9), (None, None), (3, 2), (3, None), (None, None)]
# the order the list shows them in: by index into CASES
EXPECTED = [4, 2, 5, 0, 1, 3, 6]


def _start_cases():
    flow.deploy('business_timers/task_order.bpmn')
    ids = []
    for urgency, days in CASES:
        due = (clock.now() + timedelta(days=days)).isoformat() if days is not None else ''
        ids.append(flow.start('task_order', {'urgency': urgency, 'due': due}))
    return ids


def _listed(username, **filters):
    user = db.session.scalar(select(User).where(User.username == username))
    rows = task_page(db.session, user, Filters(**filters), calendar())[0]
    return [r.task.case_id for r in rows if r.task.element_id == 'to_work']


def test_open_tasks_come_by_priority_then_due_date_then_creation(site):
    ids = _start_cases()
    assert _listed('lider') == [ids[i] for i in EXPECTED]


def test_paging_keeps_the_order(site, monkeypatch):
    ids = _start_cases()
    monkeypatch.setattr(queries, 'PAGE_SIZE', 3)
    pages = [_listed('lider', page=n) for n in (1, 2, 3)]
    assert [case for page in pages for case in page] == [ids[i] for i in EXPECTED]


def test_the_page_shows_the_priority_badge_in_both_languages(site):
    _start_cases()
    client = login(site.test_client(), 'lider')
    page = client.get('/tareas/').get_data(as_text=True)
    assert page.count('class="badge priority">Prioridad 3<') == 3
    assert page.count('class="badge priority">Prioridad 1<') == 1
    assert page.count('class="badge priority"') == 4    # no badge without a priority
    client.post('/idioma', data={'csrf_token': csrf_token(client, '/tareas/'), 'lang': 'en', 'next': '/tareas/'})
    english = client.get('/tareas/').get_data(as_text=True)
    assert english.count('class="badge priority">Priority 3<') == 3 and 'Prioridad' not in english


def test_the_api_says_each_tasks_priority_in_list_order(site, api):
    ids = _start_cases()
    listed = api.get('/api/tasks', headers=basic('lider')).get_json()['tasks']
    mine = [(t['case_id'], t['priority']) for t in listed if t['element_id'] == 'to_work']
    assert mine == [(ids[i], CASES[i][0]) for i in EXPECTED]
