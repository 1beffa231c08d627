"""A case as people live it, in headless Chromium: the client files a queja online, an agent
classifies it (an invalid try first), a lead claims and completes the next task, and the client
follows the case and accepts the decision from the link in the email. Screenshots of every
step land in test-output/screenshots/."""
import re

from app.accounts.demo import DEMO_PASSWORD
from app.cases.models import SentEmail
from tests.support import flow
from tests.support.pqrsf import plan, run_actions, verify
from sqlalchemy import select

PASSWORD = DEMO_PASSWORD



def _file_queja(page, site, shot):
    page.goto(site + '/radicar')
    page.select_option('#field-case_type', 'Q')
    page.select_option('#field-branch', 'CTG')
    page.check('#field-client_kind-0')
    page.fill('#field-client_name', 'Marta Gómez')
    page.fill('#field-client_id_document', '52123456')
    page.fill('#field-client_email', 'marta@example.com')
    page.fill('#field-event_date', '2026-11-20')
    page.fill('#field-product_service', 'Transporte de contenedor')
    page.fill('#field-description', 'El contenedor llegó con dos días de retraso y nadie nos avisó.')
    page.check('#field-data_consent')
    shot(page, '01-formulario-publico')
    page.click('button[type=submit]')
    radicado = page.locator('#radicado').inner_text().strip()
    code = page.locator('#code').inner_text().strip()
    assert re.fullmatch(r'PQRSF-\d{4}-\d{6}', radicado) and len(code) == 8
    shot(page, '02-radicado')
    return radicado, code


def _login(page, site, username):
    page.goto(site + '/ingresar')
    page.fill('#username', username)
    page.fill('#password', PASSWORD)
    page.click('button[type=submit]')


def test_queja_from_filing_to_the_clients_acceptance(app, site, page, phone_page, shot):
    radicado, code = _file_queja(page, site, shot)
    flow.work(app)  # acknowledgement email

    _login(page, site, 'lider')
    page.goto(site + '/tareas/?scope=groups')
    assert radicado in page.content()
    shot(page, '03-bandeja-del-lider')
    page.click('text=Clasificar y evaluar')
    page.select_option('#field-severity', 'alta')
    page.select_option('#field-responsible_area', 'operaciones')
    page.select_option('#field-impact', 'individual')
    page.select_option('#field-motive', 'disculpa')
    page.click('button:has-text("Completar tarea")')
    assert page.locator('.field-error').first.is_visible()  # investigation level missing
    assert page.input_value('#field-responsible_area') == 'operaciones'  # input kept
    shot(page, '04-error-de-validacion')
    page.select_option('#field-investigation_level', 'intermedio')
    page.click('button:has-text("Completar tarea")')
    # the case's next task is the lider's too: the form of it opens, saying so
    assert 'Sigue «Registrar oportunidad de mejora (GI-FT-03)»' in page.locator('.flash').inner_text()
    assert page.is_visible('#field-affected_process')
    flow.work(app)

    page.goto(site + '/tareas/')
    page.click('text=Registrar oportunidad de mejora')
    page.click('button:has-text("Tomar la tarea")')
    assert 'Asignada a: lider' in page.content() or 'lider' in page.locator('.meta').all_inner_texts()[1]
    page.fill('#field-affected_process', 'Transporte')
    page.select_option('#field-om_kind', 'accion_correctiva')
    page.fill('#field-om_description', 'Retrasos sin aviso al cliente.')
    shot(page, '05-tarea-tomada')
    page.click('button:has-text("Completar tarea")')
    assert 'completada' in page.locator('.flash').inner_text()

    case_id = flow.read(lambda s: s.scalar(select(SentEmail.case_id)))
    plan(app, case_id)
    run_actions(app, case_id)
    verify(app, case_id, True, 'Le reconocemos el 20 % del flete.')
    body = flow.read(lambda s: s.scalar(select(SentEmail.body).where(SentEmail.template == 'decision')))
    accept_url = re.search(r'(\S+/respuesta/\S+\?decision=accept)', body).group(1)

    page.goto(site + '/seguimiento')
    page.fill('#radicado', radicado)
    page.fill('#code', code)
    page.click('button[type=submit]')
    assert page.locator('#state').inner_text() == 'En trámite'
    assert 'Le enviamos nuestra respuesta.' in page.content()
    shot(page, '06-seguimiento-del-cliente')

    page.goto(accept_url)
    assert page.is_checked('input[value=accept]')
    page.fill('#comment', 'Gracias, de acuerdo.')
    shot(page, '07-respuesta-del-cliente')
    page.click('button[type=submit]')
    assert 'registramos su respuesta' in page.locator('h1').inner_text()
    flow.work(app)
    assert flow.open_tasks(case_id) == ['close_case']

    phone_page.goto(site + '/radicar')
    widths = phone_page.evaluate('() => [document.documentElement.scrollWidth, window.innerWidth]')
    assert widths[0] <= widths[1], f'horizontal scroll on a phone: {widths}'
    shot(phone_page, '08-telefono-formulario')
