"""The PQRSF procedure as the outside world starts and answers it: intake with a radicado,
the client's answer to a decision, the information the client sends, the survey.

What the process does with each of these is in `processes/pqrsf.bpmn`; here is only how they
reach it (a new case, or a BPMN message to the waiting case). Which process an intake starts and
which message each client form sends are declared in the diagram (`intake` on the process,
`client_message` on the catch event; see app/engine/facts.py), never named here. The use cases the pages and the
API call (`answer_for_client`, `*_from_link`) parse what was sent and refuse with
`app.platform.refusals`; the engine's Conflict and NotFound pass through.
"""
from datetime import datetime
from fractions import Fraction

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import undefer

from app.accounts.policy import can_record_answer
from app.engine.business_days import to_datetime
from app.engine.clock import clock
from app.engine.errors import Conflict, StepFailed
from app.engine.facts import CLIENT_MESSAGES, client_message, declared, intake_process
from app.engine.models import Case, Event
from app.engine.projections import awaited_messages
from app.platform.extensions import db
from app.platform.i18n import N_
from app.platform.refusals import Invalid, Missing, NotAllowed
from app.task_forms.schema import parse_submission
from app.task_forms.store import shown_form
from app.cases import projection
from app.cases.follow_codes import CODE_ALPHABET, HMAC_PREFIX, code_hash, code_matches, follow_code  # noqa: F401
from app.cases.attachments import checked_files, store_files
from app.cases.links import read_token
from app.cases.lookup import case_or_404
from app.cases.models import PqrsfCase, SurveyAnswer
from app.cases.privacy import intake_of
from app.cases.radicado import next_radicado
from app.cases.search_text import texts_of
from app.cases.vocabulary import SURVEY_CRITERIA
from app.platform.engines import get_engine

# what the start data always carry besides the SER-FT-01 fields, so a diagram's `${client_email}`
# never meets an undefined name (a client without email, an anonymous queja)
START_DEFAULTS = {'client_email': '', 'client_phone': '', 'client_address': '', 'client_name': '',
                  'anonymous': False, 'collaborator_named': ''}
START_DATA = ('radicado', 'received_at', *START_DEFAULTS)  # what `register` adds
ANSWER, INFORMATION, MORE_TIME = CLIENT_MESSAGES  # what a client sends from its links
ANSWER_FORM = 'respuesta_cliente'
DECISIONS = ('accept', 'reject')
CLIENT = 'cliente'  # the actor of what clients send from their links (they have no account)
MAX_COMMENT, MAX_INFORMATION = 3000, 5000
RATING_CHOICES = ('1', '2', '3', '4', '5')  # a survey criterion's rating, as the form sends it
DESISTED = 'desisted'  # the milestone (engine/facts.MILESTONES) of a case closed by desistimiento
LATE_ANSWER_CHANNEL = 'online'  # the late answer came through the client's web link


def register(data: dict, actor: str, received: datetime | None = None,
             previous_case_id: int | None = None) -> tuple[Case, str]:
    """Start a case from the SER-FT-01 data (already validated) with a new radicado; its terms
    run from `received` (when the letter or call arrived; now by default).

    Returns the case and the client's follow-up code (derived from the radicado: the
    acknowledgement email carries it too); only its hash is kept."""
    radicado = next_radicado(db.session)
    received = received or clock.now()
    code = follow_code(radicado)
    case_data = {**START_DEFAULTS, **data, 'radicado': radicado, 'received_at': received.isoformat()}
    engine = get_engine()
    process_id = intake_process(db.session, engine.specs)
    step = engine.start_case(process_id, case_data, actor, reference=radicado, commit=False)
    try:
        due = to_datetime(step.data['answer_due'])
    except (KeyError, TypeError, ValueError) as error:  # the diagram did not set the deadline
        db.session.rollback()
        raise StepFailed('start_failed', process_id=process_id,
                         error=f'no fijó answer_due ({error})') from error
    row = PqrsfCase(
        case_id=step.case.id, radicado=radicado, case_type=data['case_type'],
        channel=data['channel'], branch=data['branch'], received_at=received,
        answer_due_at=due, follow_code_hash=code_hash(code), anonymous=bool(data.get('anonymous')),
        previous_case_id=previous_case_id, **texts_of(radicado, data))
    # the engine's after-step listener ran before this row existed: the first step's values now
    projection.apply(row, {**step.data, **(step.case.variables or {})}, declared(step.workflow.spec))
    db.session.add(row)
    return engine.commit(step).case, code


def check_follow_code(radicado: str, code: str) -> PqrsfCase | None:
    """The case if radicado and code match (same answer and timing for every failure)."""
    row = db.session.scalar(select(PqrsfCase).where(PqrsfCase.radicado == (radicado or '').strip().upper()))
    stored = row.follow_code_hash if row else HMAC_PREFIX
    matches = code_matches(stored, (code or '').strip().upper())
    return row if row and matches else None


def answer_decision(case_id: int, decision: str, comment: str, actor: str) -> Case:
    """The client's acceptance or rejection, from the signed link or recorded by staff."""
    if decision not in DECISIONS:
        raise ValueError('decision debe ser accept o reject')
    return send_client_message(case_id, ANSWER, {'decision': decision, 'comment': comment or ''}, actor)


def send_client_message(case_id: int, kind: str, payload: dict, actor: str) -> Case:
    """Deliver what a client sent to the catch event of the case's diagram that declares
    `client_message` = `kind`; its data land in a variable named as the BPMN message."""
    engine = get_engine()
    name = client_message(db.session, engine.specs, case_id, kind)
    if name is None:
        db.session.rollback()
        raise Conflict('message_not_awaited', name=kind)
    return engine.deliver_message(case_id, name, payload, actor).case


def awaits_client(case_id: int, kind: str) -> bool:
    """Whether the case waits now for what a client sends as `kind` (a page offers only that)."""
    engine = get_engine()
    name = client_message(db.session, engine.specs, case_id, kind)
    if name is None:
        return False
    case = db.session.get(Case, case_id, options=[undefer(Case.workflow)])
    return name in awaited_messages(engine.saved_workflow(case))


def answer_for_client(*, user, radicado: str, data) -> Case:
    """Record the answer a client gave staff (by phone, in person) on the form `respuesta_cliente`."""
    if not can_record_answer(user):
        raise NotAllowed(_('Su rol no registra respuestas de clientes.'))
    info = case_or_404(radicado)
    fields, errors = parse_submission(shown_form(ANSWER_FORM), data)
    if errors:
        raise Invalid(errors, _('Datos inválidos.'))
    return answer_decision(info.case_id, fields['decision'], fields.get('comment', ''), user.username)


def link_case(*, token: str, purpose: str) -> int:
    """The case a client's signed link names (InvalidLink if bad or expired, Missing once gone)."""
    case_id = read_token(token, purpose)
    if db.session.get(Case, case_id) is None:
        raise Missing(_('El caso de este enlace ya no existe; comuníquese con nosotros.'))
    return case_id


def _invalid(field: str, message: str) -> Invalid:
    return Invalid({field: [message]}, message)


def answer_from_link(*, token: str, data) -> Case:
    """The client accepts or rejects the decision from the link in its email."""
    case_id = link_case(token=token, purpose='answer')
    decision = data.get('decision')
    if decision not in DECISIONS:
        raise _invalid('decision', _('Elija si acepta o no la respuesta.'))
    return answer_decision(case_id, decision, (data.get('comment') or '')[:MAX_COMMENT], CLIENT)


def information_from_link(*, token: str, data, files=()) -> Case:
    """The client sends the information the case asked for, and files (the intake's types and
    limits), from the link in its email; the files are stored on the case. After a
    desistimiento (the case closed at a `desisted` milestone) it opens a new case instead,
    linked to the old one (art. 17: the request may be filed again): the returned case, which
    gets the files, is then not the link's."""
    case_id = link_case(token=token, purpose='information')
    text = (data.get('text') or '').strip()
    accepted, errors = checked_files(files)
    if len(text) < 3:
        errors = {'text': [_('Escriba la información solicitada.')], **errors}
    if errors:
        raise Invalid(errors, next(iter(errors.values()))[0])
    text = text[:MAX_INFORMATION]
    case = db.session.get(Case, case_id)
    if case.state == 'completed' and _desisted(case_id):
        case = _continue_after_desistimiento(case, text)
    else:
        case = send_client_message(case_id, INFORMATION, {'text': text}, CLIENT)
    store_files(case.id, accepted, CLIENT)
    db.session.commit()
    return case


def more_time_from_link(*, token: str, data=None) -> Case:
    """The client asks, from the information link, for one more month to send it (Ley 1755
    art. 17); how often and how long is the diagram's (the catch event declaring `more_time`)."""
    return send_client_message(link_case(token=token, purpose='information'), MORE_TIME, {}, CLIENT)


def _desisted(case_id: int) -> bool:
    return db.session.scalar(select(Event.id).where(
        Event.case_id == case_id, Event.milestone == DESISTED).limit(1)) is not None


def _continue_after_desistimiento(case: Case, text: str) -> Case:
    """A new case with the client and case fields of `case`, its description the late text."""
    info = db.session.get(PqrsfCase, case.id)
    history = db.session.scalars(select(Event).where(Event.case_id == case.id, Event.kind == 'case_started')
                                 .order_by(Event.id)).all()
    fields = {k: v for k, v in intake_of(history).items() if k not in ('radicado', 'received_at')}
    prefix = f'Información recibida después del desistimiento del radicado {info.radicado}:'  # case data: Spanish
    fields.update(case_type=info.case_type, branch=info.branch, channel=LATE_ANSWER_CHANNEL,
                  anonymous=info.anonymous, description=f'{prefix} {text}')
    db.session.rollback()  # end the read before the new case's step
    new_case, _code = register(fields, CLIENT, previous_case_id=case.id)
    return new_case


def survey_field(criterion: str) -> str:
    """The form field of one survey criterion."""
    return f'rating_{criterion}'


def _survey_ratings(data) -> dict:
    """One rating 1-5 per SURVEY_CRITERIA criterion from the survey form, or Invalid naming
    every criterion left out or out of range."""
    ratings, errors = {}, {}
    for criterion, label in SURVEY_CRITERIA.items():
        value = str(data.get(survey_field(criterion)) or '').strip()
        if value not in RATING_CHOICES:
            errors[survey_field(criterion)] = [_('Califique «%(criterion)s» de 1 a 5.', criterion=_(label))]
        else:
            ratings[criterion] = int(value)
    if errors:
        missing = ', '.join(_(SURVEY_CRITERIA[c]) for c in SURVEY_CRITERIA if survey_field(c) in errors)
        raise Invalid(errors, _('Califique cada aspecto de 1 a 5. Falta: %(missing)s.', missing=missing))
    return ratings


def overall_rating(ratings: dict) -> int:
    """The rounded mean of the ratings, halves up (4.5 -> 5)."""
    return int(Fraction(sum(ratings.values()), len(ratings)) + Fraction(1, 2))


def survey_from_link(*, token: str, data) -> SurveyAnswer:
    """The client rates the service, 1 to 5 per criterion of seed 001, from the survey link,
    once per case; the overall rating is their rounded mean."""
    case_id = link_case(token=token, purpose='survey')
    ratings = _survey_ratings(data)
    if db.session.get(SurveyAnswer, case_id) is not None:
        db.session.rollback()
        raise Conflict('survey_answered', N_('La encuesta de este caso ya fue respondida.'))
    comment = (data.get('comment') or '').strip()[:MAX_COMMENT]
    answer = SurveyAnswer(case_id=case_id, rating=overall_rating(ratings), ratings=ratings,
                          comment=comment or None, answered_at=clock.now())
    db.session.add(answer)
    db.session.commit()
    return answer
