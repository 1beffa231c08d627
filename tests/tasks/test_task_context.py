"""What a person needs on a task to act: the client's words and what the client sent, earlier
steps with who and when (the whole thread for an escalation level), the action with its due date
and the plan it belongs to, and a redo prefilled with the verdict that sent it back."""
import html
import re
from datetime import datetime

from sqlalchemy import select

from app.cases import service as pqrsf
from app.engine.models import Event
from tests.support import flow
from tests.support.pqrsf import (OWNER_PASSWORD, ask_information, classify, drive_to_decision, open_opportunity,
                                 plan, procedure_at, register, run_actions, send_information, verify)
from tests.support.web import demo_users, login

FILED = datetime(2027, 2, 1, 9, 0)


def _page(app, username, case_id, element_id, password=None):
    client = app.test_client()
    login(client, username, *([password] if password else []))
    task = flow.open_task(case_id, element_id)
    return html.unescape(client.get(f'/tareas/{task.id}').get_data(as_text=True))


def _thread(page):
    return re.search(r'<ol class="thread".*?</ol>', page, re.S).group(0)


def test_the_action_owner_sees_the_action_its_due_date_and_the_plan(any_app, mailbox):
    app = procedure_at(any_app, FILED)
    demo_users()
    case_id, _ = register(app)
    classify(app, case_id)
    open_opportunity(app, case_id)
    plan(app, case_id)
    page = _page(app, 'luis', case_id, 'do_action', OWNER_PASSWORD)
    assert 'Acción: Avisar al cliente de todo retraso el mismo día · Responsable: luis · Fecha límite: 2027-03-10' in page
    thread = _thread(page)
    assert 'Analizar causas y plan de acción' in thread and 'Plan de acción' in thread
    assert 'Revisar la programación de rutas de Bogotá' in thread       # the rest of the plan
    assert 'Método de análisis' in thread and '5 porqués' in thread      # option labels, not codes
    assert 'lider1' in thread


def test_an_escalation_level_sees_the_whole_thread_with_what_the_client_sent(any_app, mailbox):
    app = procedure_at(any_app, FILED)
    demo_users()
    case_id, _ = register(app)
    ask_information(app, case_id)
    send_information(app, case_id, 'La factura es la 4711 del 20 de noviembre.')
    drive_to_decision(app, case_id)
    pqrsf.answer_decision(case_id, 'reject', 'No me parece justo: perdí dos días de trabajo.', 'cliente')
    flow.work(app)
    received = flow.read(lambda s: s.scalars(select(Event.data).where(
        Event.case_id == case_id, Event.kind == 'message_received').order_by(Event.id)).all())
    assert received[-1] == {'payload': {'decision': 'reject', 'comment': 'No me parece justo: perdí dos días de trabajo.'}}
    thread = _thread(_page(app, 'gerente', case_id, 'level_1_review'))
    for seen in ('La factura es la 4711 del 20 de noviembre.', 'Información enviada',
                 'No está de acuerdo', 'No me parece justo: perdí dos días de trabajo.',
                 'Le reconocemos el 20 % del flete.', 'Causas raíz', 'Clasificar'):
        assert seen in thread, seen
    assert thread.index('No me parece justo') < thread.index('La factura es la 4711')  # newest first


def _analysis_sent_back(any_app):
    """A case whose actions were judged not effective: the analysis is open again."""
    app = procedure_at(any_app, FILED)
    demo_users()
    case_id, _ = register(app)
    classify(app, case_id)
    open_opportunity(app, case_id)
    plan(app, case_id)
    run_actions(app, case_id)
    verify(app, case_id, False)
    return app, case_id


def test_a_redone_analysis_is_prefilled_and_says_why_it_came_back(any_app, mailbox):
    app, case_id = _analysis_sent_back(any_app)
    page = _page(app, 'lider', case_id, 'analyse_causes')
    redo = re.search(r'<div class="flash info redo".*?</div>', page, re.S).group(0)
    assert 'Esta tarea se hace de nuevo' in redo and 'lider1' in redo
    assert 'Verificar la eficacia de las acciones' in redo
    assert 'Revisado con el cliente interno.' in redo
    form = page[page.index('class="spaced task-form"'):]
    assert 'No hay aviso automático de retrasos.</textarea>' in form          # the root causes typed before
    assert 'value="Avisar al cliente de todo retraso el mismo día"' in form   # and the plan


def test_a_first_time_task_has_no_redo_note(any_app, mailbox):
    app = procedure_at(any_app, FILED)
    demo_users()
    case_id, _ = register(app)
    page = _page(app, 'lider', case_id, 'classify')
    assert 'Esta tarea se hace de nuevo' not in page
    assert 'El contenedor llegó con dos días de retraso' in page   # the client's words


def test_the_api_gives_the_same_thread_and_prefilled_values(any_app, mailbox):
    from tests.support.web import basic
    app, case_id = _analysis_sent_back(any_app)
    task = flow.open_task(case_id, 'analyse_causes')
    body = app.test_client().get(f'/api/tasks/{task.id}', headers=basic('lider')).get_json()
    assert body['values']['root_causes'] == 'No hay aviso automático de retrasos.'
    verified = [e for e in body['thread'] if e['title'] == 'Verificar la eficacia de las acciones']
    assert verified and any(line['text'] == 'Revisado con el cliente interno.' for line in verified[0]['lines'])
