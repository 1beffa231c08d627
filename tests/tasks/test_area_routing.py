"""Routing by area: a task of candidate group `area:<code>` is listed, shown, claimed, completed
and reassigned only to the area's members for the case's branch (a member without a branch
covers all); when nobody active covers that branch it is offered to the process leads, and only
then. Through the real engine, the web pages and the API, on SQLite and PostgreSQL."""
import re
from datetime import timedelta

from app.accounts.areas import add_member, create_area, remove_member
from app.accounts.login import create_user
from app.accounts.models import AreaMember, User
from app.accounts.policy import eligible_users
from app.cases.models import PqrsfCase
from app.engine.clock import clock
from app.engine.models import HumanTask
from app.platform.extensions import db
from tests.support import flow
from app.accounts.demo import DEMO_PASSWORD, DEMO_USERS
from tests.support.web import basic, csrf_token, demo_users, login, post_form

PASSWORD = 'clave-de-prueba-areas-2026'
MEMBERS = {'cartera_bog': 'BOG', 'cartera_ctg': 'CTG'}
DEMO = {username for username, _name, _roles in DEMO_USERS}


def _case(branch) -> tuple[int, str]:
    """A case of the routing diagram with the PQRSF facts of `branch`; (case id, its task id)."""
    case_id = flow.start('area_routing')
    now = clock.now()
    db.session.add(PqrsfCase(case_id=case_id, radicado=f'PQRSF-T-{case_id:06d}', case_type='Q', channel='web',
                             branch=branch, received_at=now, answer_due_at=now + timedelta(days=10),
                             follow_code_hash='-'))
    db.session.commit()
    task = flow.open_task(case_id, 'ar_work')
    assert task.candidate_groups == ['area:cartera']
    return case_id, task.id


def _setup(app):
    flow.deploy('areas/area_routing.bpmn')
    demo_users()
    create_area(code='cartera', name='Cartera')
    for username, branch in MEMBERS.items():
        create_user(username, PASSWORD, ['responsable_accion'], username.title(), None)
        add_member(code='cartera', username=username, branch=branch)
    create_user('cartera_todas', PASSWORD, ['responsable_accion'], 'Cartera Todas', None)
    create_user('lider2', PASSWORD, ['lider_proceso'], 'Lina Líder', None)
    db.session.remove()
    return {'BOG': _case('BOG'), 'CTG': _case('CTG'), 'MAD': _case('MAD')}


def _listed(client) -> set[str]:
    return set(re.findall(r'href="/tareas/([0-9a-f-]{36})"', client.get('/tareas/').get_data(as_text=True)))


def _clients(app, names):
    """Signed-in clients; the demo users have the demo password."""
    return {n: login(app.test_client(), n, DEMO_PASSWORD if n in DEMO else PASSWORD) for n in names}


def test_members_see_their_branch_and_leads_only_an_unstaffed_one(any_app):
    cases = _setup(any_app)
    task = {branch: tid for branch, (_cid, tid) in cases.items()}
    clients = _clients(any_app, ['cartera_bog', 'cartera_ctg', 'cartera_todas', 'lider', 'lider2', 'responsable'])

    # the member for one branch sees that branch's task; MAD has no member: the leads get it
    assert _listed(clients['cartera_bog']) & set(task.values()) == {task['BOG']}
    assert _listed(clients['cartera_ctg']) & set(task.values()) == {task['CTG']}
    assert _listed(clients['cartera_todas']) & set(task.values()) == set()
    assert _listed(clients['responsable']) & set(task.values()) == set()  # the same role, no area
    for lead in ('lider', 'lider2'):
        assert _listed(clients[lead]) & set(task.values()) == {task['MAD']}, lead

    # the page and a claim follow the same rule
    assert clients['cartera_bog'].get(f"/tareas/{task['BOG']}").status_code == 200
    assert clients['cartera_bog'].get(f"/tareas/{task['CTG']}").status_code == 403
    assert clients['lider2'].get(f"/tareas/{task['BOG']}").status_code == 403
    assert clients['lider2'].get(f"/tareas/{task['MAD']}").status_code == 200
    token = csrf_token(clients['cartera_ctg'], '/tareas/')
    assert clients['cartera_ctg'].post(f"/tareas/{task['BOG']}/reclamar", data={'csrf_token': token}).status_code == 403
    assert flow.read(lambda s: s.get(HumanTask, task['BOG']).assignee) is None

    # the API lists alike
    listed = any_app.test_client().get('/api/tasks', headers=basic('cartera_ctg', PASSWORD)).get_json()
    assert {t['id'] for t in listed['tasks']} & set(task.values()) == {task['CTG']}

    # a member for every branch: sees all three, and MAD is no longer the leads'
    add_member(code='cartera', username='cartera_todas')
    db.session.remove()
    assert _listed(clients['cartera_todas']) & set(task.values()) == set(task.values())
    assert _listed(clients['lider2']) & set(task.values()) == set()
    assert clients['lider2'].get(f"/tareas/{task['MAD']}").status_code == 403

    # the only CTG-capable members leave (one deactivated, one removed): CTG falls back to the leads
    member_id = flow.read(lambda s: s.scalar(db.select(AreaMember.id).where(AreaMember.username == 'cartera_todas')))
    remove_member(code='cartera', member_id=member_id)
    flow.read(lambda s: None)
    user = db.session.scalar(db.select(User).where(User.username == 'cartera_ctg'))
    user.active = False
    db.session.commit()
    db.session.remove()
    assert _listed(clients['lider2']) & set(task.values()) == {task['CTG'], task['MAD']}
    assert _listed(clients['cartera_bog']) & set(task.values()) == {task['BOG']}


def test_claim_complete_and_reassign_go_to_the_members_of_the_branch(any_app):
    cases = _setup(any_app)
    (bog_case, bog), (_ctg_case, ctg) = cases['BOG'], cases['CTG']
    add_member(code='cartera', username='cartera_todas')
    db.session.remove()
    clients = _clients(any_app, ['cartera_bog', 'cartera_todas', 'lider'])

    # the member of the branch claims and completes through the web
    web = clients['cartera_bog']
    assert web.post(f'/tareas/{bog}/reclamar', data={'csrf_token': csrf_token(web, '/tareas/')}).status_code == 302
    assert flow.read(lambda s: s.get(HumanTask, bog).assignee) == 'cartera_bog'
    assert post_form(web, f'/tareas/{bog}', {'comment': 'Atendido en Bogotá'}).status_code == 302
    assert flow.case_state(bog_case) == 'completed'

    # a lead reassigns: offered exactly the members for the case's branch (CTG: only cartera_todas,
    # cartera_ctg being a member for CTG too); an ineligible target is refused and nothing changes
    task = db.session.get(HumanTask, ctg)
    assert [u.username for u in eligible_users(task)] == ['cartera_ctg', 'cartera_todas']
    db.session.rollback()
    lead = clients['lider']
    token = csrf_token(lead, '/tareas/')
    refused = lead.post(f'/tareas/{ctg}/reasignar', data={'assignee': 'cartera_bog', 'csrf_token': token})
    assert refused.status_code == 403 and flow.read(lambda s: s.get(HumanTask, ctg).assignee) is None
    done = lead.post(f'/tareas/{ctg}/reasignar', data={'assignee': 'cartera_todas', 'csrf_token': token})
    assert done.status_code == 302 and flow.read(lambda s: s.get(HumanTask, ctg).assignee) == 'cartera_todas'
    answer = any_app.test_client().post(f'/api/tasks/{ctg}/complete', json={'comment': 'Hecho'},
                                        headers=basic('cartera_todas', PASSWORD))
    assert answer.status_code == 200, answer.get_json()


def test_an_unstaffed_area_task_is_the_leads_to_work_and_reassign(any_app):
    cases = _setup(any_app)
    mad_case, mad = cases['MAD']
    lead = _clients(any_app, ['lider2'])['lider2']
    page = lead.get(f'/tareas/{mad}').get_data(as_text=True)
    offered = re.findall(r'<option value="([^"]+)">', page.split('id="assignee"')[1].split('</select>')[0])
    assert offered == ['lider', 'lider2']  # nobody of the area covers MAD: the leads
    assert post_form(lead, f'/tareas/{mad}', {'comment': 'Lo atiende el líder'}).status_code == 302
    assert flow.case_state(mad_case) == 'completed'
