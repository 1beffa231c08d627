"""In a real browser: a redone analysis with the thread beside it (what the client sent, every
earlier step) and the verdict that sent it back, at 1280 and 390 px, in Spanish and English.
Screenshots: test-output/screenshots/task_context-<lang>-<width>.png."""
from datetime import datetime

import pytest

from app.platform.extensions import db
from tests.browser.conftest import language_context, save_screen
from tests.support import flow
from tests.support.pqrsf import (ask_information, classify, open_opportunity, plan, run_actions, send_information,
                                 travel_to, register, verify, action_owners, deploy_processes)
from app.cases.models import PqrsfCase

def _redone_analysis(app):
    """A case whose client sent information and whose analysis was sent back once."""
    deploy_processes()
    action_owners()
    travel_to(app, datetime(2027, 2, 1, 9, 0))
    case_id, _ = register(app)
    ask_information(app, case_id)
    send_information(app, case_id, 'La factura es la 4711 del 20 de noviembre.')
    classify(app, case_id)
    open_opportunity(app, case_id)
    plan(app, case_id)
    run_actions(app, case_id)
    verify(app, case_id, False)
    return case_id


@pytest.mark.parametrize('lang, width', [('es', 1280), ('es', 390), ('en', 390)])
def test_a_redone_analysis_shows_the_thread_and_the_verdict(browser, site, app, mailbox, lang, width):
    case_id = _redone_analysis(app)
    task_id = flow.open_task(case_id, 'analyse_causes').id
    db.session.remove()
    context, page = language_context(browser, site, lang, width, 'lider')
    try:
        page.goto(f'{site}/tareas/{task_id}')
        assert 'La factura es la 4711' in page.inner_text('.thread')
        assert page.input_value('textarea[name=root_causes]') == 'No hay aviso automático de retrasos.'
        save_screen(page, f'task_context-{lang}-{width}')
    finally:
        context.close()


@pytest.mark.parametrize('lang, width', [('es', 1280), ('es', 390), ('en', 390)])
def test_the_case_page_reads_as_a_summary_a_thread_and_a_folded_history(browser, site, app, mailbox, lang, width):
    case_id = _redone_analysis(app)
    radicado = flow.read(lambda s: s.get(PqrsfCase, case_id).radicado)
    db.session.remove()
    context, page = language_context(browser, site, lang, width, 'lider')
    try:
        page.goto(f'{site}/casos/{radicado}')
        summary = page.inner_text('.case-summary')
        assert ('Analizar causas y plan de acción (GI-FT-04)' if lang == 'es'
                else 'Analyse causes and action plan (GI-FT-04)') in summary     # the next step and its holder
        assert ('Plazo legal' if lang == 'es' else 'Legal term') in summary
        assert page.is_visible('#emails') and page.is_visible('#thread')
        assert not page.is_visible('ol.timeline')                                # the full history is folded
        text = page.inner_text('main')
        assert 'task_completed' not in text and "{'" not in text and '5_porques' not in text
        assert page.evaluate('() => document.documentElement.scrollHeight') < 5900
        save_screen(page, f'case_page-{lang}-{width}')
    finally:
        context.close()
