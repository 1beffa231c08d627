"""Driving the PQRSF procedure in tests: register, act as each role, read the emails."""
import re
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from app.cases import service as pqrsf
from app.engine.clock import clock
from app.engine.models import HumanTask
from app.cases.models import NonConformity, SentEmail
from tests.support import flow

BOGOTA = ZoneInfo('America/Bogota')
CLIENT = dict(
    case_type='Q', channel='correo', branch='BOG', client_kind='cliente',
    client_name='Marta Gómez', client_id_document='52123456', client_email='marta@example.com',
    client_phone='3001234567', event_date='2026-11-20', product_service='Transporte de contenedor',
    description='El contenedor llegó con dos días de retraso y nadie nos avisó.',
    remedy_sought='Que nos compensen el costo del retraso.', collaborator_named='',
    data_consent=True)
TWO_ACTIONS = [
    {'description': 'Avisar al cliente de todo retraso el mismo día', 'owner': 'luis',
     'owner_email': 'luis@empresa.example', 'due_date': '2027-03-10'},
    {'description': 'Revisar la programación de rutas de Bogotá', 'owner': 'eva',
     'owner_email': 'eva@empresa.example', 'due_date': '2027-03-12'},
]


OWNER_PASSWORD = 'responsable-de-accion-2026'


def action_owners():
    """Staff accounts for the owners in TWO_ACTIONS (role responsable_accion), so the action
    tasks are assigned to them; without accounts the tasks stay open to the group."""
    from app.accounts.login import create_user
    for item in TWO_ACTIONS:
        create_user(item['owner'], OWNER_PASSWORD, ['responsable_accion'], item['owner'].title(),
                    item['owner_email'])


def deploy_processes():
    from app.processes.deploy import deploy_paths
    return deploy_paths([flow.ROOT / 'processes'], 'test')


def travel_to(app, local_moment: datetime, run=True):
    """Move the engine clock to a Bogotá wall-clock time (must be in the future)."""
    target = local_moment.replace(tzinfo=BOGOTA)
    flow.advance(app, target - clock.now(), run=run)


def register(app, **changes):
    case, _ = pqrsf.register({**CLIENT, **changes}, 'colaborador1')
    flow.work(app)
    return case.id, case.reference


def do(app, case_id, element_id, data, actor='lider1'):
    flow.complete(case_id, element_id, data, actor)
    flow.work(app)


def classify(app, case_id, case_type='Q', **extra):
    do(app, case_id, 'classify', {'case_type': case_type, 'severity': 'media', 'impact': 'individual',
                                  'motive': 'disculpa', 'investigation_level': 'intermedio',
                                  'responsible_area': 'operaciones', 'needs_information': False,
                                  **extra})


def open_opportunity(app, case_id, kind='accion_correctiva'):
    do(app, case_id, 'register_opportunity', {'affected_process': 'Transporte', 'om_kind': kind,
                                               'om_description': 'Retrasos sin aviso al cliente.'})


def plan(app, case_id, actions=TWO_ACTIONS):
    do(app, case_id, 'analyse_causes', {'analysis_method': '5_porques',
                                        'root_causes': 'No hay aviso automático de retrasos.',
                                        'actions': actions})


def run_actions(app, case_id):
    rows = flow.read(lambda s: s.scalars(select(HumanTask).where(
        HumanTask.case_id == case_id, HumanTask.state == 'open',
        HumanTask.element_id == 'do_action')).all())
    for row in rows:
        flow.engine().complete_task(row.id, {'action_done': True, 'action_evidence': 'Hecho.'},
                                    row.assignee or 'responsable')
    flow.work(app)
    return rows


def verify(app, case_id, effective, decision=None):
    data = {'effective': effective, 'effectiveness_notes': 'Revisado con el cliente interno.'}
    if decision:
        data['decision'] = decision
    do(app, case_id, 'verify_effectiveness', data)


def drive_to_decision(app, case_id, decision='Le reconocemos el 20 % del flete.'):
    classify(app, case_id)
    open_opportunity(app, case_id)
    plan(app, case_id)
    run_actions(app, case_id)
    verify(app, case_id, True, decision)


def looped_and_escalated_case(app):
    """A queja whose actions were not effective once (back to analysis), then effective, and
    whose decision the client rejected (escalation level 1 waiting)."""
    case_id, radicado = register(app)
    classify(app, case_id)
    open_opportunity(app, case_id)
    for effective in (False, True):
        plan(app, case_id)
        run_actions(app, case_id)
        verify(app, case_id, effective, 'Le devolvemos el flete.' if effective else None)
    pqrsf.answer_decision(case_id, 'reject', 'No', 'lider')
    flow.work(app)
    return case_id, radicado


def emails(case_id, template=None):
    query = select(SentEmail).where(SentEmail.case_id == case_id).order_by(SentEmail.id)
    if template:
        query = query.where(SentEmail.template == template)
    return flow.read(lambda s: s.scalars(query).all())


def nonconformities(case_id):
    return flow.read(lambda s: s.scalars(select(NonConformity).where(
        NonConformity.case_id == case_id)).all())


def token_in(body: str, kind: str) -> str:
    patterns = {'answer': r'/respuesta/([^?\s]+)\?decision=', 'survey': r'/encuesta/(\S+)',
                'information': r'/informacion/(\S+)'}
    return re.search(patterns[kind], body).group(1)


def variables(case_id):
    """The case-wide variables the procedure declares (deadlines, pause, extension, priority)."""
    from app.engine.models import Case
    return flow.read(lambda s: dict(s.get(Case, case_id).variables))


def local_day(value):
    """The organisation's calendar date of an ISO moment (deadlines end at 23:59:59 local)."""
    from app.engine.business_days import to_datetime
    return to_datetime(value).astimezone(BOGOTA).date()


def ask_information(app, case_id, request='Envíe la factura del servicio.'):
    classify(app, case_id, needs_information=True, information_request=request)


def send_information(app, case_id, text='Adjunto el número de la factura: 4711.'):
    pqrsf.send_client_message(case_id, pqrsf.INFORMATION, {'text': text}, 'cliente')
    flow.work(app)


def procedure_at(app, local_moment: datetime):
    """The shipped processes deployed, the action owners' accounts, the clock at a Bogotá moment."""
    deploy_processes()
    action_owners()
    travel_to(app, local_moment)
    return app
