"""The task list's counts (by deadline state and by scope) agree with its filters."""
from datetime import timedelta

from sqlalchemy import select

from app.engine import assignments
from app.platform.engines import calendar
from app.platform.extensions import db
from app.accounts.models import User
from app.tasks.queries import Filters, task_page
from tests.support import flow
from tests.support.pqrsf import register


def _page(username, **filters):
    user = db.session.scalar(select(User).where(User.username == username))
    rows, total, by_state, by_scope = task_page(db.session, user, Filters(**filters), calendar())
    return [r.task.case_id for r in rows], total, by_state, by_scope


def test_counts_follow_scope_deadline_and_filters(site):
    cases = [register(site, branch=branch)[0] for branch in ('BOG', 'BOG', 'MED')]
    claimed = flow.open_task(cases[0], 'classify')
    assignments.claim(db.session, claimed.id, 'lider')
    db.session.commit()

    ids, total, by_state, by_scope = _page('lider')
    assert sorted(ids) == sorted(cases) and total == 3
    # classification is due in 2 business days (seed 003's stage time): soon, from the start
    assert by_state == {'vencida': 0, 'por_vencer': 3, 'a_tiempo': 0}
    assert by_scope == {'mine': 1, 'groups': 2}
    assert _page('lider', scope='mine')[:2] == ([cases[0]], 1)
    assert _page('lider', branch='MED')[1:3] == (1, {'vencida': 0, 'por_vencer': 1, 'a_tiempo': 0})
    assert _page('rrhh')[1] == 0  # another role sees none of them

    flow.advance(site, timedelta(days=40), run=False)
    ids, total, by_state, by_scope = _page('lider', deadline='a_tiempo')
    assert (ids, total) == ([], 0)
    assert by_state == {'vencida': 3, 'por_vencer': 0, 'a_tiempo': 0}
    assert by_scope == {'mine': 1, 'groups': 2}  # scope counts ignore the other filters
    assert _page('lider', deadline='vencida')[1] == 3

    user = db.session.scalar(select(User).where(User.username == 'lider'))
    assert task_page(db.session, user, Filters(), calendar(), counts=False)[1:] == (3, None, None)


def test_counts_stop_at_the_cap_and_say_so(site, monkeypatch):
    from app.tasks import queries
    cases = [register(site)[0] for _ in range(4)]
    monkeypatch.setattr(queries, 'PAGE_SIZE', 1)
    monkeypatch.setattr(queries, 'COUNT_CAP', 2)
    ids, total, by_state, by_scope = _page('lider')
    assert ids == [cases[0]] and (int(total), total.more, str(total)) == (2, True, '2+')
    assert str(by_state['por_vencer']) == '2+' and by_state['vencida'] == 0 and not by_state['vencida'].more
    assert str(by_scope['groups']) == '2+' and by_scope['mine'] == 0
    # asking for page 4 counts far enough to know page 4 exists, and no further
    ids, total, _, _ = _page('lider', page=4)
    assert ids == [cases[3]] and (int(total), total.more) == (4, False)
