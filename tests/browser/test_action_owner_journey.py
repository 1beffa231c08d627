"""The action owner's journey in a real browser: the plan names luis as the owner of an action;
he is emailed (real SMTP on loopback), follows the email's link, signs in, lands on the task and
finds there what he needs to act (the action, its due date, the plan and the client's words in
the thread), completes it and sees his notice read. At 1280 px in Spanish and 390 px in English.
Screenshots: test-output/screenshots/action_owner-<lang>-<width>-*.png."""
import re

import pytest
from sqlalchemy import select

from app.engine.models import Event

from app.platform.extensions import db
from tests.browser.conftest import language_context, save_screen
from tests.support import flow
from tests.support.pqrsf import CLIENT, TWO_ACTIONS, OWNER_PASSWORD, action_owners, classify, open_opportunity, plan, register

ACTION = TWO_ACTIONS[0]


def _mail_to(mailbox, address):
    return [m for m in mailbox.messages if address in m['To']]


@pytest.mark.parametrize('lang, width', [('es', 1280), ('en', 390)])
def test_the_action_owner_is_emailed_and_acts_from_the_tasks_context(browser, site, app, mailbox, lang, width):
    app.config['NOTIFY_STAFF'] = True
    action_owners()
    case_id, radicado = register(app)
    classify(app, case_id)
    open_opportunity(app, case_id)
    plan(app, case_id)
    db.session.remove()

    emails = _mail_to(mailbox, ACTION['owner_email'])
    assert len(emails) == 1, [m['Subject'] for m in emails]              # told once, by email
    email = emails[0]
    assert radicado in email['Subject']
    link = re.search(r'https?://\S+/tareas/\S+', email.get_body().get_content()).group(0)
    assert link.startswith(site)

    context, page = language_context(browser, site, lang, width)
    try:
        page.goto(link)                                                     # not signed in yet
        page.wait_for_selector('#username')
        page.fill('#username', ACTION['owner'])
        page.fill('#password', OWNER_PASSWORD)
        page.click('button[type=submit]')
        page.wait_for_url(link)                                             # back to the task
        assert page.inner_text('header .counter') == '1'
        assert ('Responsable de acción' if lang == 'es' else 'Action owner') in page.inner_text('main p.meta')  # the lane
        form = page.inner_text('form.task-form')
        assert ACTION['description'] in form and ACTION['due_date'] in form  # the action to do
        case = page.inner_text('section[aria-labelledby=case-h]')
        assert CLIENT['description'] in case and CLIENT['remedy_sought'] in case  # the client's words
        thread = page.inner_text('.thread')
        assert 'No hay aviso automático de retrasos.' in thread             # the analysis, with who
        assert 'lider1' in thread or 'Líder' in thread
        save_screen(page, f'action_owner-{lang}-{width}-task')

        page.check('input[name=action_done]')
        page.fill('textarea[name=action_evidence]', 'Se activó el aviso de retrasos por correo.')
        page.click('form.task-form > button[type=submit]:visible')
        page.wait_for_url(lambda url: url.rstrip('/').endswith('/tareas'))
        assert ACTION['description'] not in page.inner_text('main')        # his task is done
        page.goto(site + '/avisos')
        assert page.locator('header .counter').count() == 0
        save_screen(page, f'action_owner-{lang}-{width}-notices')
    finally:
        context.close()

    done = flow.read(lambda s: s.scalars(select(Event.data).where(
        Event.case_id == case_id, Event.kind == 'task_completed')).all())
    evidence = [((d or {}).get('changes') or {}).get('action_evidence') for d in done]
    assert [None, 'Se activó el aviso de retrasos por correo.'] in evidence
