"""One personal-data policy on every output: every role × every output (API case, events, tasks,
path; case page, task page, search; report page, PDF, CSV; attachment download). Roles outside
CLIENT_DATA never receive the client's contact data (masked or absent) nor an attachment (403);
the client-data roles do."""
import re
import zlib

import pytest
from sqlalchemy import select

from app.accounts.demo import DEMO_USERS
from app.engine.clock import clock
from app.engine.models import HumanTask
from app.platform.extensions import db
from app.cases.models import Attachment
from app.cases.privacy import mask
from app.accounts.roles import CLIENT_DATA
from tests.support import flow
from tests.support.pqrsf import CLIENT, TWO_ACTIONS, open_opportunity, plan, register
from tests.support.web import basic, login

NEW_EMAIL = 'marta.nueva@example.com'  # corrected in a form submission later in the case
SECRETS = (CLIENT['client_email'], CLIENT['client_id_document'], CLIENT['client_phone'], NEW_EMAIL)
ATTACHMENT = b'%PDF-1.4 cedula de Marta Gomez 52123456'


def _pdf_text(raw: bytes) -> str:
    """The PDF's content streams, inflated (the report's text is in them as literal strings)."""
    parts = []
    for match in re.finditer(rb'stream\r?\n(.*?)\r?\nendstream', raw, re.S):
        try:
            parts.append(zlib.decompress(match.group(1)))
        except zlib.error:
            parts.append(match.group(1))
    return b'\n'.join(parts).decode('latin-1')


@pytest.fixture
def case(site):
    """A queja whose contact email was corrected by a form submission, now waiting in an action
    task assigned to the responsable (a role outside CLIENT_DATA), with an id-document attachment."""
    case_id, radicado = register(site)
    flow.complete(case_id, 'classify', {
        'case_type': 'Q', 'severity': 'media', 'impact': 'individual', 'motive': 'disculpa',
        'investigation_level': 'intermedio', 'responsible_area': 'operaciones', 'needs_information': False, 'client_email': NEW_EMAIL},
        'lider')
    flow.work(site)
    open_opportunity(site, case_id)
    plan(site, case_id, [{**TWO_ACTIONS[0], 'owner': 'responsable'}])
    db.session.add(Attachment(case_id=case_id, filename='cedula_marta.pdf', content_type='application/pdf',
                              size=len(ATTACHMENT), content=ATTACHMENT, uploaded_at=clock.now(),
                              uploaded_by='cliente'))
    db.session.commit()
    attachment_id = db.session.scalar(select(Attachment.id).where(Attachment.case_id == case_id))
    tasks = flow.read(lambda s: s.scalars(select(HumanTask.id).where(
        HumanTask.case_id == case_id, HumanTask.state == 'open')).all())
    db.session.remove()
    return radicado, attachment_id, tasks


def _outputs(site, username, radicado, attachment_id, tasks) -> dict:
    """Every output a user can reach for the case: name -> (status, text)."""
    web = login(site.test_client(), username)
    api = site.test_client()
    headers = basic(username)

    def text(response, pdf=False):
        body = response.data
        return response.status_code, _pdf_text(body) if pdf else body.decode('utf-8', 'replace')
    out = {
        'api case': text(api.get(f'/api/cases/{radicado}', headers=headers)),
        'api events': text(api.get(f'/api/cases/{radicado}/events', headers=headers)),
        'api tasks': text(api.get('/api/tasks', headers=headers)),
        'api path': text(api.get(f'/api/cases/{radicado}/path', headers=headers)),
        'case page': text(web.get(f'/casos/{radicado}')),
        'search page': text(web.get('/casos/')),
        'report page': text(web.get(f'/casos/{radicado}/trazabilidad')),
        'report pdf': text(web.get(f'/casos/{radicado}/trazabilidad.pdf'), pdf=True),
        'report csv': text(web.get(f'/casos/{radicado}/eventos.csv')),
        'attachment': text(web.get(f'/casos/{radicado}/adjuntos/{attachment_id}')),
    }
    for task_id in tasks:
        out[f'task page {task_id}'] = text(web.get(f'/tareas/{task_id}'))
        out[f'api task {task_id}'] = text(api.get(f'/api/tasks/{task_id}', headers=headers))
    return out


def test_every_role_on_every_output_gets_contact_data_and_attachments_only_if_it_handles_clients(site, case):
    radicado, attachment_id, tasks = case
    task_pages_seen = set()
    for username, _, roles in DEMO_USERS:
        allowed = bool(set(roles) & CLIENT_DATA)
        outputs = _outputs(site, username, radicado, attachment_id, tasks)
        for name, (status, body) in outputs.items():
            where = f'{username} ({roles[0]}) on {name}'
            if name == 'attachment':
                assert status == (200 if allowed else 403), where
                assert (ATTACHMENT.decode() in body) == allowed, where
                continue
            if name.startswith(('task page', 'api task')):
                if status == 200:
                    task_pages_seen.add(roles[0])
                else:
                    assert status == 403, where
            else:
                assert status == 200, where
            if not allowed:
                leaked = [s for s in SECRETS if s in body]
                assert not leaked, f'{where} shows {leaked}'
                assert 'cedula_marta.pdf' not in body, where
        if allowed:  # present for the roles that handle clients, wherever the output carries it
            for name in ('api case', 'api events', 'case page', 'report page', 'report pdf'):
                assert CLIENT['client_email'] in outputs[name][1], f'{username} on {name}'
            for name in ('api events', 'case page', 'report page', 'report csv'):
                assert NEW_EMAIL in outputs[name][1], f'{username} on {name}'
            assert 'cedula_marta.pdf' in outputs['case page'][1]
        else:  # masked, not merely missing: the reader still sees that there is an address
            for name in ('api case', 'case page', 'report page'):
                assert mask(CLIENT['client_email']) in outputs[name][1], f'{username} on {name}'
            assert '(nombre reservado)' in outputs['case page'][1]
    # the task pages were checked by a role outside CLIENT_DATA that works the case
    assert 'responsable_accion' in task_pages_seen


def test_the_policy_masks_contact_data_quoted_anywhere_in_an_event():
    from app.cases.privacy import Redactor, redact_intake
    values = [CLIENT['client_email'], CLIENT['client_phone']]
    hidden, shown = Redactor(False, values), Redactor(True, values)
    data = {'changes': {'client_email': [CLIENT['client_email'], NEW_EMAIL]},
            'inputs': {'to': CLIENT['client_email'], 'context': {'client_name': 'Marta'}},
            'error': f"SMTP rechazó {CLIENT['client_email']} (tel. {CLIENT['client_phone']})",
            'data': {'client_id_document': '52123456', 'description': 'x'}}
    masked = repr(hidden.value(data))
    assert not [s for s in SECRETS if s in masked], masked
    assert 'Marta' in masked and mask(CLIENT['client_email']) in masked
    assert shown.value(data) == data
    assert redact_intake(CLIENT, None)['client_phone'] == mask(CLIENT['client_phone'])
    assert redact_intake(CLIENT, None)['client_name'] == CLIENT['client_name']
