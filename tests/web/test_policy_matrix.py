"""Assignment follows roles: role × action × route. Claim, release, reassign, assignment from case
data (GI-FT-04's action owners) and completion by web and API: every role that may not work the
task, the auditor included, is refused (403; a form naming an ineligible owner: 422 on that
field) and nothing changes; the roles that may work it succeed."""
import re
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from app.accounts.login import create_user
from app.accounts.demo import DEMO_PASSWORD, DEMO_USERS
from app.engine import assignments
from app.engine.models import Event, HumanTask
from app.platform.extensions import db
from app.accounts.roles import LEADS
from tests.support import flow
from tests.support.pqrsf import TWO_ACTIONS, classify, open_opportunity, register
from tests.support.web import basic, csrf_token, login, post_form

CLASSIFICATION = {'case_type': 'Q', 'severity': 'media', 'impact': 'individual', 'motive': 'disculpa', 'investigation_level': 'intermedio',
                  'responsible_area': 'operaciones'}
ANALYSIS = {'analysis_method': '5_porques', 'root_causes': 'No hay aviso automático de retrasos.'}
OTHER_LIDER = 'lider2'


def _task(task_id) -> SimpleNamespace:
    """A task's row as plain values (read in its own transaction, nothing left attached)."""
    def query(session):
        row = session.get(HumanTask, task_id, populate_existing=True)
        return SimpleNamespace(id=row.id, assignee=row.assignee, state=row.state,
                               completed_by=row.completed_by, candidate_groups=list(row.candidate_groups))
    return flow.read(query)


def _open(case_id, element_id) -> SimpleNamespace:
    task = flow.open_task(case_id, element_id)
    assert task is not None, flow.open_tasks(case_id)
    return _task(task.id)


def _eligible(roles, task) -> bool:
    return bool(set(roles) & set(task.candidate_groups))


@pytest.fixture
def staff(site):
    """The demo users (one per role) plus a second lider, so a reassignment has somewhere to go."""
    create_user(OTHER_LIDER, 'otro-lider-del-proceso-2026', ['lider_proceso'], 'Lina Líder', 'lina@empresa.example')
    db.session.remove()
    return [*DEMO_USERS, (OTHER_LIDER, 'Lina Líder', ['lider_proceso'])]


def _password(username):
    return 'otro-lider-del-proceso-2026' if username == OTHER_LIDER else DEMO_PASSWORD


def _clients(site, staff):
    return {u: (login(site.test_client(), u, _password(u)), basic(u, _password(u))) for u, _, _ in staff}


def test_claim_release_and_complete_by_web_and_api_need_a_role_of_the_task(site, staff):
    case_id, _ = register(site)
    task = _open(case_id, 'classify')
    clients = _clients(site, staff)
    api = site.test_client()
    refused = 0
    for username, _, roles in staff:
        if _eligible(roles, task):
            continue
        web, headers = clients[username]
        token = csrf_token(web, '/tareas/')
        where = f'{username} ({roles[0]})'
        assert web.post(f'/tareas/{task.id}/reclamar', data={'csrf_token': token}).status_code == 403, where
        assert api.post(f'/api/tasks/{task.id}/claim', headers=headers).status_code == 403, where
        assert web.post(f'/tareas/{task.id}', data={**CLASSIFICATION, 'csrf_token': token}).status_code == 403, where
        assert api.post(f'/api/tasks/{task.id}/complete', json=CLASSIFICATION,
                        headers=headers).status_code == 403, where
        refused += 4
    assert refused == 4 * 8 and _task(task.id).assignee is None and _task(task.id).state == 'open'

    # an eligible user claims it (API); then nobody else, eligible or not, may release it but a lead
    web, headers = clients['lider']
    assert api.post(f'/api/tasks/{task.id}/claim', headers=headers).status_code == 200
    for username, _, roles in staff:
        if username == 'lider' or set(roles) & LEADS:
            continue
        other, _ = clients[username]
        token = csrf_token(other, '/tareas/')
        assert other.post(f'/tareas/{task.id}/liberar', data={'csrf_token': token}).status_code == 403, username
        assert other.post(f'/tareas/{task.id}', data={**CLASSIFICATION, 'csrf_token': token}).status_code == 403
    assert _task(task.id).assignee == 'lider'
    admin, _ = clients['admin']  # a lead may release it, back to the group
    assert admin.post(f'/tareas/{task.id}/liberar', data={'csrf_token': csrf_token(admin, '/tareas/')}).status_code == 302
    assert _task(task.id).assignee is None
    # the eligible user claims it by web and completes it by web
    assert web.post(f'/tareas/{task.id}/reclamar', data={'csrf_token': csrf_token(web, '/tareas/')}).status_code == 302
    assert post_form(web, f'/tareas/{task.id}', CLASSIFICATION).status_code == 302
    assert _task(task.id).completed_by == 'lider'

    # and by API, unassigned: anyone of the group
    second, _ = register(site)
    other_task = _open(second, 'classify')
    done = api.post(f'/api/tasks/{other_task.id}/complete', json=CLASSIFICATION, headers=clients[OTHER_LIDER][1])
    assert done.status_code == 200 and _task(other_task.id).completed_by == OTHER_LIDER


def test_reassign_goes_only_to_users_who_may_work_the_task(site, staff):
    case_id, _ = register(site)
    task = _open(case_id, 'classify')
    clients = _clients(site, staff)
    for lead in ('lider', 'admin'):
        web, _ = clients[lead]
        if lead == 'lider':  # the list offers exactly the eligible users
            page = web.get(f'/tareas/{task.id}').get_data(as_text=True)
            offered = re.findall(r'<option value="([^"]+)">', page.split('id="assignee"')[1].split('</select>')[0])
            assert offered == sorted(u for u, _, roles in staff if _eligible(roles, task))
        token = csrf_token(web, '/tareas/')
        for username, _, roles in staff:
            before = _task(task.id).assignee
            response = web.post(f'/tareas/{task.id}/reasignar', data={'csrf_token': token, 'assignee': username})
            where = f'{lead} -> {username} ({roles[0]})'
            if _eligible(roles, task):
                assert response.status_code == 302 and _task(task.id).assignee == username, where
            else:
                assert response.status_code == 403, where
                assert _task(task.id).assignee == before, where
    # a non-lead may not reassign at all, not even to an eligible user
    for username, _, roles in staff:
        if set(roles) & LEADS:
            continue
        web, _ = clients[username]
        response = web.post(f'/tareas/{task.id}/reasignar',
                            data={'csrf_token': csrf_token(web, '/tareas/'), 'assignee': 'lider'})
        assert response.status_code == 403, username


def test_an_assignee_without_the_role_never_holds_nor_completes_the_task(site, staff):
    """The reported hole: the auditor, once assigned (data written before this rule, or by a
    route that forgot the check), completed a classification. Now the role is checked anyway."""
    case_id, _ = register(site)
    task = _open(case_id, 'classify')
    assignments.reassign(db.session, task.id, 'auditor', 'legacy')
    clients = _clients(site, staff)
    api = site.test_client()
    web, headers = clients['auditor']
    token = csrf_token(web, '/tareas/')
    assert web.get(f'/tareas/{task.id}').status_code == 403
    assert web.post(f'/tareas/{task.id}', data={**CLASSIFICATION, 'csrf_token': token}).status_code == 403
    assert web.post(f'/tareas/{task.id}/liberar', data={'csrf_token': token}).status_code == 403
    assert api.get(f'/api/tasks/{task.id}', headers=headers).status_code == 403
    assert api.post(f'/api/tasks/{task.id}/complete', json=CLASSIFICATION, headers=headers).status_code == 403
    listed = api.get('/api/tasks', headers=headers, query_string={'scope': 'mine'}).get_json()
    assert listed['tasks'] == [] and listed['total'] == 0
    assert _task(task.id).state == 'open'
    lider, _ = clients['lider']  # a lead takes it back for the group
    assert lider.post(f'/tareas/{task.id}/liberar', data={'csrf_token': csrf_token(lider, '/tareas/')}).status_code == 302
    assert _task(task.id).assignee is None


def _analysis_task(site):
    case_id, radicado = register(site)
    classify(site, case_id)
    open_opportunity(site, case_id)
    return case_id, radicado, _open(case_id, 'analyse_causes')


def test_action_owners_of_gi_ft_04_must_hold_the_action_role_by_web_and_api(site, staff):
    case_id, _, task = _analysis_task(site)
    clients = _clients(site, staff)
    api = site.test_client()
    headers = clients['lider'][1]
    for username, _, roles in staff:
        action = {**TWO_ACTIONS[0], 'owner': username}
        if 'responsable_accion' in roles:
            continue
        response = api.post(f'/api/tasks/{task.id}/complete', json={**ANALYSIS, 'actions': [action]}, headers=headers)
        assert response.status_code == 422, username
        errors = response.get_json()['errors']['json']
        assert list(errors) == ['actions.0.owner'] and username in errors['actions.0.owner'][0], errors
    unknown = api.post(f'/api/tasks/{task.id}/complete', headers=headers,
                       json={**ANALYSIS, 'actions': [{**TWO_ACTIONS[0], 'owner': 'nadie'}]})
    assert unknown.status_code == 422 and 'actions.0.owner' in unknown.get_json()['errors']['json']
    assert _task(task.id).state == 'open'  # nothing changed

    # the API shows the field as a choice among the eligible users, the page too
    form = api.get(f'/api/tasks/{task.id}', headers=headers).get_json()['form']
    actions = next(c for c in form['components'] if c.get('key') == 'actions')
    owner = next(c for c in actions['components'] if c['key'] == 'owner')
    assert owner['type'] == 'select' and [v['value'] for v in owner['values']] == ['responsable']
    web, _ = clients['lider']
    page = web.get(f'/tareas/{task.id}').get_data(as_text=True)
    select_html = page.split('name="actions-0-owner"')[1].split('</select>')[0]
    assert re.findall(r'<option value="([^"]*)"', select_html) == ['', 'responsable']
    row = {f'actions-0-{k}': v for k, v in {**TWO_ACTIONS[0], 'owner': 'auditor'}.items()}
    refused = post_form(web, f'/tareas/{task.id}', {**ANALYSIS, **row})
    assert refused.status_code == 422
    assert '«auditor» no es un usuario activo con el rol Responsable de acción.' in refused.get_data(as_text=True)

    row['actions-0-owner'] = 'responsable'
    assert post_form(web, f'/tareas/{task.id}', {**ANALYSIS, **row}).status_code == 302
    flow.work(site)
    assert _open(case_id, 'do_action').assignee == 'responsable'


def test_case_data_naming_an_ineligible_assignee_leaves_the_task_to_its_group(site, staff):
    """Data that never went through the form (an API client of the engine, an edited form or
    diagram): one action per staff user, plus a name nobody has. Only the responsable's task is
    assigned; every other one is created unassigned, open to its groups, and the history says why."""
    case_id, radicado, task = _analysis_task(site)
    owners = [username for username, _, _ in staff] + ['nadie']
    actions = [{**TWO_ACTIONS[0], 'owner': owner} for owner in owners]
    flow.complete(case_id, 'analyse_causes', {**ANALYSIS, 'actions': actions}, 'lider')
    flow.work(site)
    rows = flow.read(lambda s: [(r.id, r.assignee) for r in s.scalars(select(HumanTask).where(
        HumanTask.case_id == case_id, HumanTask.element_id == 'do_action', HumanTask.state == 'open'))])
    assert len(rows) == len(owners)
    assert sorted(a for _, a in rows if a) == ['responsable']
    refusals = flow.read(lambda s: s.scalars(select(Event).where(
        Event.case_id == case_id, Event.kind == 'assignment_refused')).all())
    assert sorted(e.data['assignee'] for e in refusals) == sorted(o for o in owners if o != 'responsable')
    assert {tuple(e.data['groups']) for e in refusals} == {('responsable_accion',)}
    unassigned = next(tid for tid, assignee in rows if assignee is None)
    clients = _clients(site, staff)
    api = site.test_client()
    for username, _, roles in staff:
        if 'responsable_accion' not in roles:
            assert api.post(f'/api/tasks/{unassigned}/claim', headers=clients[username][1]).status_code == 403
    assert api.post(f'/api/tasks/{unassigned}/claim', headers=clients['responsable'][1]).status_code == 200
    history = clients['lider'][0].get(f'/casos/{radicado}?tipo=tareas').get_data(as_text=True)
    assert 'auditor no puede trabajar esta tarea (grupos: responsable_accion)' in history


def test_a_user_field_naming_an_unknown_role_is_refused_like_any_bad_form():
    from app.task_forms.store import definition_problem
    field = {'type': 'textfield', 'key': 'owner', 'label': 'Responsable',
             'properties': {'usersWithRole': 'responsable_accion, jefe_de_zona'}}
    problem = definition_problem('plan', {'components': [
        {'type': 'dynamiclist', 'key': 'actions', 'path': 'actions', 'components': [field]}]})
    assert problem and "campo 'owner'" in problem and 'jefe_de_zona' in problem
    field['properties']['usersWithRole'] = 'responsable_accion'
    assert definition_problem('plan', {'components': [field]}) is None
