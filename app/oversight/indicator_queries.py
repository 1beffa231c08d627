"""The figures of the indicators past the counts: resolution time per type with the paused time
left out, timeliness against the internal target and the legal term, escalations,
non-conformities by cause, satisfaction per criterion and retention. Each takes the session and
the ids (a subquery) or filters of the cases of the period; the definitions are in
`app.oversight.indicators` (module docstring) and `indicator_definitions`."""
from sqlalchemy import and_, case, func, select

from app.engine.facts import MILESTONES
from app.engine.models import Event
from app.cases.models import NonConformity, PqrsfCase, SurveyAnswer
from app.cases.vocabulary import CASE_TYPES, NONCONFORMITY_CAUSES, SURVEY_CRITERIA

ANSWER_SENT, ESCALATION, _NC, CLOCK_STOPPED, CLOCK_RESUMED = MILESTONES[:5]
SATISFIED_FROM = 4
RATINGS = (1, 2, 3, 4, 5)
INTAKE_KIND = 'case_started'  # the event whose data hold what the case was registered with


def share(part, whole, digits=4):
    return round(part / whole, digits) if whole else None


def _first_answers(period_ids):
    """(case_id, first_at) of the first answer sent of each case of the period."""
    return (select(Event.case_id, func.min(Event.at).label('first_at'))
            .where(Event.milestone == ANSWER_SENT, Event.case_id.in_(period_ids))
            .group_by(Event.case_id).subquery())


def _paused_days(calendar, events, answered_at) -> int:
    """Business days the clock stood still before the answer: from each clock_stopped to the
    next clock_resumed (or the answer, if it never resumed before it)."""
    paused, stopped_at = 0, None
    for at, milestone in events:
        if at >= answered_at:
            break
        if milestone == CLOCK_STOPPED and stopped_at is None:
            stopped_at = at
        elif milestone == CLOCK_RESUMED and stopped_at is not None:
            paused += calendar.business_days_between(stopped_at, at)
            stopped_at = None
    if stopped_at is not None:
        paused += calendar.business_days_between(stopped_at, answered_at)
    return paused


def resolution(session, period_ids, calendar, total) -> dict:
    """Business days from receipt to the first answer sent, minus the paused business days,
    per case type and overall, over the answered cases."""
    first = _first_answers(period_ids)
    answered = session.execute(select(PqrsfCase.case_id, PqrsfCase.case_type, PqrsfCase.received_at,
                                      first.c.first_at)
                               .join(first, first.c.case_id == PqrsfCase.case_id)).all()
    pauses = {}
    for case_id, at, milestone in session.execute(
            select(Event.case_id, Event.at, Event.milestone)
            .where(Event.milestone.in_((CLOCK_STOPPED, CLOCK_RESUMED)), Event.case_id.in_(period_ids))
            .order_by(Event.case_id, Event.at, Event.id)):
        pauses.setdefault(case_id, []).append((at, milestone))
    per_type, days_total, paused_total = {}, 0, 0
    for case_id, case_type, received_at, first_at in answered:
        paused = _paused_days(calendar, pauses.get(case_id, ()), first_at)
        days = max(0, calendar.business_days_between(received_at, first_at) - paused)
        n, d = per_type.get(case_type, (0, 0))
        per_type[case_type] = (n + 1, d + days)
        days_total, paused_total = days_total + days, paused_total + paused
    types = list(CASE_TYPES) + sorted(k for k in per_type if k not in CASE_TYPES)
    return {'answered': len(answered), 'unanswered': int(total) - len(answered),
            'business_days_total': days_total, 'paused_business_days_total': paused_total,
            'average_business_days': share(days_total, len(answered), 2),
            'by_type': [{'key': t, 'answered': per_type.get(t, (0, 0))[0],
                         'business_days_total': per_type.get(t, (0, 0))[1],
                         'average_business_days': share(per_type.get(t, (0, 0))[1], per_type.get(t, (0, 0))[0], 2)}
                        for t in types]}


def timeliness(session, period_ids, total) -> dict:
    """The first answer of each case against the internal target (answer_due_at) and, where the
    case has one, against the legal term (legal_due_at)."""
    first = _first_answers(period_ids)
    has_term = PqrsfCase.legal_due_at.is_not(None)

    def counted(condition):
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)
    answered, on_time, with_term, legal_on_time = (int(v) for v in session.execute(
        select(func.count(), counted(first.c.first_at <= PqrsfCase.answer_due_at), counted(has_term),
               counted(and_(has_term, first.c.first_at <= PqrsfCase.legal_due_at)))
        .select_from(first).join(PqrsfCase, PqrsfCase.case_id == first.c.case_id)).one())
    return {'answered': answered, 'on_time': on_time, 'late': answered - on_time,
            'unanswered': int(total) - answered, 'on_time_share': share(on_time, answered),
            'legal_answered': with_term, 'legal_on_time': legal_on_time,
            'legal_late': with_term - legal_on_time, 'legal_without_term': answered - with_term,
            'legal_on_time_share': share(legal_on_time, with_term)}


def escalations(session, period_ids, total) -> dict:
    escalated, calls = session.execute(
        select(func.count(func.distinct(Event.case_id)), func.count())
        .where(Event.milestone == ESCALATION, Event.case_id.in_(period_ids))).one()
    return {'cases': int(escalated), 'calls': int(calls), 'share': share(int(escalated), total)}


def nonconformities(session, period_ids) -> dict:
    """The register of Servicio No Conforme of the cases of the period, by cause and treated."""
    treated = func.coalesce(func.sum(case((NonConformity.treated_at.is_not(None), 1), else_=0)), 0)
    rows = session.execute(select(NonConformity.cause, func.count(), treated)
                           .where(NonConformity.case_id.in_(period_ids))
                           .group_by(NonConformity.cause)).all()
    found = {cause: (int(n), int(t)) for cause, n, t in rows}
    cases = session.scalar(select(func.count(func.distinct(NonConformity.case_id)))
                           .where(NonConformity.case_id.in_(period_ids)))
    causes = list(NONCONFORMITY_CAUSES) + sorted(k for k in found if k and k not in NONCONFORMITY_CAUSES)
    if None in found:
        causes.append(None)  # recorded before causes were kept: "Sin causa registrada"
    return {'count': sum(n for n, _ in found.values()), 'cases': int(cases or 0),
            'treated': sum(t for _, t in found.values()),
            'by_cause': [{'key': c, 'count': found.get(c, (0, 0))[0], 'treated': found.get(c, (0, 0))[1]}
                         for c in causes]}


def satisfaction(session, period_ids) -> dict:
    """Overall ratings (every answer, old single-rating ones too) and, per criterion, the
    answers that rated it."""
    ratings = dict(session.execute(select(SurveyAnswer.rating, func.count())
                                   .where(SurveyAnswer.case_id.in_(period_ids))
                                   .group_by(SurveyAnswer.rating)).all())
    answers = sum(ratings.values())
    satisfied = sum(n for rating, n in ratings.items() if rating >= SATISFIED_FROM)
    rating_sum = sum(rating * n for rating, n in ratings.items())
    return {'answers': answers, 'satisfied': satisfied, 'rate': share(satisfied, answers),
            'average_rating': share(rating_sum, answers, 2),
            'by_rating': [{'key': r, 'count': int(ratings.get(r, 0))} for r in RATINGS],
            'by_criterion': _by_criterion(session, period_ids)}


def _by_criterion(session, period_ids) -> list[dict]:
    columns = []
    for criterion in SURVEY_CRITERIA:
        value = SurveyAnswer.ratings[criterion].as_integer()
        columns += [func.count(value), func.coalesce(func.sum(value), 0),
                    func.coalesce(func.sum(case((value >= SATISFIED_FROM, 1), else_=0)), 0)]
    row = session.execute(select(*columns).where(SurveyAnswer.case_id.in_(period_ids))).one()
    result = []
    for n, criterion in enumerate(SURVEY_CRITERIA):
        rated, total, satisfied = (int(v) for v in row[3 * n:3 * n + 3])
        result.append({'key': criterion, 'answers': rated, 'average': share(total, rated, 2),
                       'satisfied': satisfied, 'rate': share(satisfied, rated)})
    return result


def retention(session, in_period) -> dict:
    """Distinct clients (id document, else email, as registered; anonymous cases left out) with
    a case in the period, and those of them with more than one."""
    intake = Event.data[('data', 'client_id_document')].as_string()
    email = Event.data[('data', 'client_email')].as_string()
    client = func.lower(func.trim(func.coalesce(func.nullif(func.trim(intake), ''),
                                                func.nullif(func.trim(email), '')))).label('client')
    keyed = (select(client).select_from(PqrsfCase).join(Event, and_(Event.case_id == PqrsfCase.case_id, Event.kind == INTAKE_KIND))
             .where(*in_period, PqrsfCase.anonymous.is_not(True)).subquery())
    per_client = session.execute(select(keyed.c.client, func.count()).where(keyed.c.client.is_not(None))
                                 .group_by(keyed.c.client)).all()
    clients = len(per_client)
    returning = sum(1 for _, n in per_client if n > 1)
    return {'clients': clients, 'returning': returning, 'share': share(returning, clients)}
