"""The case row follows the diagram: process properties `case.<column>` = variable copy the
case-wide variables onto PqrsfCase after every step (app/cases/projection.py), from the first
step on; the receipt date staff enter is where the terms run from; the follow-up code is
derived from the radicado and the acknowledgement carries it."""
import email.policy
from datetime import datetime, timedelta, timezone
from email import message_from_bytes

import pytest
from sqlalchemy import select

from app.cases import service as pqrsf
from app.cases.follow_codes import CODE_ALPHABET, follow_code
from app.cases.intake import register_case
from app.cases.models import PqrsfCase
from app.cases.projection import WRITABLE, apply, declared_columns
from app.engine.business_days import to_datetime
from app.engine.clock import clock
from app.engine.models import Event
from app.platform.extensions import db
from app.platform.engines import calendar
from app.platform.refusals import Invalid
from tests.support import flow
from tests.support.pqrsf import CLIENT, deploy_processes, emails
from tests.support.web import demo_users

DIAGRAM = 'case_columns/case_columns.bpmn'


def row_of(case_id) -> PqrsfCase:
    return flow.read(lambda s: s.get(PqrsfCase, case_id))


def staff():
    from app.accounts.models import User
    demo_users()
    return flow.read(lambda s: s.scalars(select(User).where(User.username == 'colaborador')).one())


def body_of(message) -> str:
    parsed = message if hasattr(message, 'get_body') else message_from_bytes(bytes(message), policy=email.policy.default)
    return parsed.get_body().get_content()


def test_the_declared_columns_follow_the_variables_from_the_first_step_on(app, mailbox):
    flow.deploy(DIAGRAM)
    case, code = pqrsf.register(dict(CLIENT), 'colaborador1')
    row = row_of(case.id)
    terms = calendar()
    # written at intake, from the first step's values (the row did not exist while it ran)
    assert row.legal_due_at == terms.end_of_business_day(terms.add_business_days(row.received_at, 15))
    assert row.answer_due_at == terms.end_of_business_day(terms.add_business_days(row.received_at, 10))
    assert (row.priority, row.extended, row.paused_since) == (2, False, None)  # '2' -> int
    assert row.sub_type == 'consulta_de_un_tipo_con_un_nombre_mucho_mas_largo_que_la_columna'[:40]
    assert row.radicado == case.reference  # `case.radicado` is not a column a diagram may write
    flow.work(app)  # the acknowledgement
    paused = datetime(2026, 12, 3, 15, 30, tzinfo=timezone.utc)
    new_legal = row.legal_due_at + timedelta(days=20)
    flow.complete(case.id, 'cc_review', {'extend': True, 'new_legal_due': new_legal.isoformat(),
                                         'pause_from': paused.isoformat(), 'desist': False})
    row = row_of(case.id)
    assert (row.extended, row.legal_due_at, row.paused_since) == (True, new_legal, paused)
    assert (row.responsible_area, row.case_type) == ('Operaciones', 'R')


def test_only_the_writable_columns_convert_and_a_bad_value_leaves_the_column(app):
    facts = {'case.legal_due_at': 'legal', 'case.extended': 'ext', 'case.priority': 'prio',
             'case.follow_code_hash': 'x', 'case.case_id': 'x', 'shared_variables': 'legal'}
    assert set(declared_columns(facts)) == {'legal_due_at', 'extended', 'priority'}
    assert set(WRITABLE) == {'answer_due_at', 'legal_due_at', 'case_type', 'sub_type', 'priority',
                             'responsible_area', 'paused_since', 'extended'}
    row = PqrsfCase(legal_due_at=datetime(2027, 1, 5, tzinfo=timezone.utc), priority=1, extended=False)
    apply(row, {'legal': 'not a date', 'ext': 'true', 'prio': 'alta', 'x': 'hack'}, facts)
    assert (row.legal_due_at, row.extended, row.priority) == (datetime(2027, 1, 5, tzinfo=timezone.utc), True, 1)
    apply(row, {'legal': '2027-02-01T17:00:00+00:00', 'prio': None}, facts)
    assert (row.legal_due_at, row.priority) == (datetime(2027, 2, 1, 17, tzinfo=timezone.utc), None)


def test_the_terms_run_from_the_receipt_date_staff_enter(app, mailbox):
    flow.deploy(DIAGRAM)
    user = staff()
    received_local = (clock.now() - timedelta(days=6)).astimezone(calendar().zone).replace(
        second=0, microsecond=0)
    form = {**CLIENT, 'data_consent': 'true', 'received_at': received_local.strftime('%Y-%m-%dT%H:%M')}
    case, _ = register_case(user=user, data=form)
    row = row_of(case.id)
    assert row.received_at == received_local
    terms = calendar()
    assert row.answer_due_at == terms.end_of_business_day(terms.add_business_days(received_local, 10))
    started = flow.read(lambda s: s.scalars(select(Event).where(
        Event.case_id == case.id, Event.kind == 'case_started')).one().data['data'])
    assert to_datetime(started['received_at']) == received_local


@pytest.mark.parametrize('moment, words', [
    (timedelta(hours=2), 'posterior al momento actual'),
    (-timedelta(days=31), 'no puede ser anterior al'),
    (None, 'fecha y hora válidas'),
])
def test_a_receipt_date_in_the_future_or_too_old_is_refused_naming_the_field(app, moment, words):
    flow.deploy(DIAGRAM)
    user = staff()
    text = 'ayer' if moment is None else (clock.now() + moment).astimezone(calendar().zone).strftime('%Y-%m-%dT%H:%M')
    with pytest.raises(Invalid) as refused:
        register_case(user=user, data={**CLIENT, 'data_consent': 'true', 'received_at': text})
    message = ' '.join(refused.value.errors['received_at'])
    assert words in message and (moment is None or 'Fecha y hora de recepción' in message)


def test_the_receipt_limit_is_configurable_and_the_public_form_has_no_receipt_date(app):
    flow.deploy(DIAGRAM)
    user = staff()
    app.config['RECEIPT_MAX_AGE_DAYS'] = 60
    old = (clock.now() - timedelta(days=45)).astimezone(calendar().zone).strftime('%Y-%m-%dT%H:%M')
    case, _ = register_case(user=user, data={**CLIENT, 'data_consent': 'true', 'received_at': old})
    assert row_of(case.id).received_at < clock.now() - timedelta(days=44)
    before = clock.now()
    case, _ = register_case(user=None, public=True, data={**CLIENT, 'data_consent': 'true', 'received_at': old})
    assert row_of(case.id).received_at >= before  # ignored: online requests arrive when filed


def test_the_code_is_derived_from_the_radicado_and_old_random_codes_still_open_the_case(app):
    from werkzeug.security import generate_password_hash
    flow.deploy(DIAGRAM)
    case, code = pqrsf.register(dict(CLIENT), 'colaborador1')
    assert code == follow_code(case.reference) and len(code) == 8 and set(code) <= set(CODE_ALPHABET)
    assert follow_code(case.reference) != follow_code(case.reference + '0')
    assert pqrsf.check_follow_code(case.reference.lower(), code.lower()).case_id == case.id
    assert pqrsf.check_follow_code(case.reference, 'AAAAAAAA') is None
    assert code not in row_of(case.id).follow_code_hash
    app.config['SECRET_KEY'] = 'otra-clave-de-otra-instalacion-0123456789'
    assert follow_code(case.reference) != code  # keyed: a radicado alone does not give it
    legacy = db.session.get(PqrsfCase, case.id)
    legacy.follow_code_hash = generate_password_hash('K7Q2M9XA')  # a code issued before
    db.session.commit()
    assert pqrsf.check_follow_code(case.reference, 'K7Q2M9XA').case_id == case.id


def test_a_staff_registered_case_emails_radicado_dates_link_and_code(app, mailbox):
    """Through the shipped diagram (which passes the legal term as `legal_due_date`) and
    through the test diagram."""
    deploy_processes()
    app.config['PUBLIC_BASE_URL'] = 'https://pqrsf.example'
    user = staff()
    case, code = register_case(user=user, data={**CLIENT, 'channel': 'telefono', 'data_consent': 'true'})
    flow.work(app)
    [sent] = emails(case.id, 'acknowledgement')
    row = row_of(case.id)
    assert case.reference in sent.subject
    for shown in (f'Código de consulta: {code}', f'Radicado: {case.reference}',
                  f'https://pqrsf.example/seguimiento?radicado={case.reference}',
                  row.answer_due_at.astimezone(calendar().zone).strftime('%d/%m/%Y'),
                  'El plazo legal para responderle vence el '
                  + row.legal_due_at.astimezone(calendar().zone).strftime('%d/%m/%Y')):
        assert shown in sent.body
    [message] = [m for m in mailbox.messages if case.reference in m['Subject']]
    assert code in body_of(message)

    flow.deploy(DIAGRAM)
    case, code = register_case(user=user, data={**CLIENT, 'channel': 'oficio', 'data_consent': 'true'})
    flow.work(app)
    [sent] = emails(case.id, 'acknowledgement')
    legal = row_of(case.id).legal_due_at.astimezone(calendar().zone).strftime('%d/%m/%Y')
    assert f'El plazo legal para responderle vence el {legal}.' in sent.body
    assert f'Código de consulta: {code}' in sent.body
