"""Indicadores PQRSF (seed procedures): what the process owner, the leads and the auditors
measure over a period, read from the projections and the application tables only (never from a
serialized workflow).

Definitions (the page shows them too, see `DEFINITIONS`):

- **Period.** `[desde, hasta]` are calendar dates in the organisation's time zone (config
  `TIMEZONE`, default America/Bogota), both included: a case belongs to the period when its
  `PqrsfCase.received_at` is at or after 00:00 local of `desde` and before 00:00 local of the day
  after `hasta`. Every other figure is about the cases of the period, whenever the later event
  (closing, answer, escalation, non-conformity, survey) happened. Default period: the current
  semester (1 Jan–30 Jun or 1 Jul–31 Dec) of the clock's local date (`default_period`).
- **Cases by type, channel, branch** (`PqrsfCase.case_type`, `.channel`, `.branch`); the five
  types are always listed, zeros included. **By month**: count per `YYYY-MM` of `received_at` in
  local time; every month of the period is listed, zeros included.
- **Resolution time**: for each case of the period whose `Case.completed_at` is set (closed
  cases), `BusinessCalendar.business_days_between(received_at, completed_at)`: business days
  after the day of receipt up to and including the day of closing (weekends, Colombian public
  holidays and the admin's extra non-working days do not count; same day = 0). Average =
  sum / closed cases, rounded to 2 decimals; `None` when no case was closed.
- **Milestones** are declared in the diagram, not named here: an element with the extension
  property `milestone` (`answer_sent`, `escalated`, `nonconformity`; see app/engine/facts.py)
  stamps it on the event that says the element happened (`Event.milestone`).
- **Answered on time**: the answer communicated to the client is the first `Event` with
  milestone `answer_sent` (its `at`). A
  case is on time when that moment is <= `PqrsfCase.answer_due_at`. Share = on time / cases with
  an answer (rounded to 4 decimals, `None` without answers); cases without an answer yet are
  counted apart (`unanswered`) and are not in the share.
- **Escalations**: `Event` with milestone `escalated`. `cases` = cases with at least one;
  `calls` = all such events; `share` = escalated cases / cases of the period.
- **Non-conformities**: `Event` with milestone `nonconformity` of the cases of the period
  (`count`), and the cases with at least one (`cases`). The register of each one, with its
  reason, is the `NonConformity` table the history report shows.
- **Satisfaction**: `SurveyAnswer` rows (rating 1–5) of the cases of the period. Rate = answers
  with rating >= 4 / answers (4 decimals); average rating (2 decimals); number of answers; and
  the count per rating.

Every share is a fraction 0–1 in `compute()`'s result; the page and the CSV show percentages.

`compute(session, desde, hasta)` makes nine small aggregate queries (GROUP BY / COUNT / MIN);
the only per-row loop is over (received_at, completed_at) pairs of closed cases, for the
business days. `to_csv()` writes one table per section: a title line, a header line, the rows,
then a blank line. Separator `;` and decimal comma, as Excel expects with Spanish (Colombia)
regional settings; UTF-8 (the download adds a BOM so Excel reads the accents); percentages with
two decimals.
"""
import csv
import io
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import case, func, select

from app.engine.facts import MILESTONES
from app.engine.models import Case, Event
from app.platform.i18n import N_
from app.cases.models import PqrsfCase, SurveyAnswer
from app.cases.vocabulary import CASE_TYPES, CHANNELS, spanish

ANSWER_SENT, ESCALATION, NONCONFORMITY = MILESTONES[:3]
SATISFIED_FROM = 4
RATINGS = (1, 2, 3, 4, 5)

DEFINITIONS = [
    ('period', N_('Periodo'),
     N_('Un caso pertenece al periodo por su fecha de radicación (hora local de la organización), '
        'desde las 00:00 del primer día hasta el final del último día. Las demás cifras son de '
        'esos casos, sin importar cuándo ocurrió el cierre, la respuesta o la encuesta.')),
    ('by_month', N_('Casos por mes'),
     N_('Número de casos por mes (AAAA-MM) de su fecha de radicación, en hora local.')),
    ('resolution', N_('Tiempo promedio de resolución'),
     N_('Para cada caso cerrado: días hábiles después del día de radicación hasta el día de cierre, '
        'incluido (sin fines de semana, festivos de Colombia ni días no laborables). Promedio sobre '
        'los casos cerrados.')),
    ('timeliness', N_('Respondidos a tiempo'),
     N_('Un caso tiene respuesta cuando se le envió la decisión (o la decisión final) al cliente. '
        'Está a tiempo si la primera respuesta salió a más tardar en su fecha límite de respuesta. '
        'Porcentaje = a tiempo / casos con respuesta; los casos aún sin respuesta se muestran aparte.')),
    ('escalations', N_('Escalamientos'),
     N_('Casos escalados a la gerencia por vencimiento o por rechazo del cliente (al menos una vez), '
        'y número total de escalamientos.')),
    ('nonconformities', N_('No conformidades'),
     N_('Servicios No Conformes (SER-PD-03) registrados en los casos del periodo.')),
    ('satisfaction', N_('Satisfacción'),
     N_('Porcentaje de encuestas con calificación de 4 o 5 (de 1 a 5), calificación promedio y '
        'número de encuestas respondidas.')),
]


def default_period(today: date) -> tuple[date, date]:
    """The semester of `today`: 1 Jan–30 Jun or 1 Jul–31 Dec."""
    if today.month <= 6:
        return date(today.year, 1, 1), date(today.year, 6, 30)
    return date(today.year, 7, 1), date(today.year, 12, 31)


def local_today(zone: ZoneInfo, now: datetime | None = None) -> date:
    if now is None:
        from app.engine.clock import clock
        now = clock.now()
    return now.astimezone(zone).date()


def _utc_midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0, 0), zone).astimezone(timezone.utc)


def _months(start: date, end: date) -> list[date]:
    first, months = start.replace(day=1), []
    while first <= end:
        months.append(first)
        first = (first + timedelta(days=32)).replace(day=1)
    return months


def _share(part, whole, digits=4):
    return round(part / whole, digits) if whole else None


def compute(session, start_date: date, end_date: date, *, calendar, time_zone) -> dict:
    """The indicators of the cases received between `start_date` and `end_date` (local dates,
    both included) as a plain JSON-able dict, by the business `calendar` and in `time_zone` (a
    name or a ZoneInfo) the caller hands in: no Flask here."""
    zone = ZoneInfo(time_zone) if isinstance(time_zone, str) else time_zone
    lo, hi = _utc_midnight(start_date, zone), _utc_midnight(end_date + timedelta(days=1), zone)
    in_period = (PqrsfCase.received_at >= lo, PqrsfCase.received_at < hi)
    period_ids = select(PqrsfCase.case_id).where(*in_period)
    by_type = _counts(session, PqrsfCase.case_type, in_period)
    total = sum(by_type.values())
    return {
        'period': {'from': start_date.isoformat(), 'to': end_date.isoformat(), 'timezone': str(zone)},
        'cases': int(total),
        'by_type': _listed(by_type, CASE_TYPES),
        'by_channel': sorted(_listed(_counts(session, PqrsfCase.channel, in_period)), key=_most_first),
        'by_branch': sorted(_listed(_counts(session, PqrsfCase.branch, in_period)), key=_most_first),
        'by_month': _by_month(session, in_period, _months(start_date, end_date), zone, hi),
        'resolution': _resolution(session, in_period, calendar, total),
        'timeliness': _timeliness(session, period_ids, total),
        'escalations': _escalations(session, period_ids, total),
        'nonconformities': _nonconformities(session, period_ids),
        'satisfaction': _satisfaction(session, period_ids),
    }


def _counts(session, column, in_period) -> dict:
    rows = session.execute(select(column, func.count()).where(*in_period).group_by(column)).all()
    return {key: n for key, n in rows}


def _most_first(row):
    return -row['count'], row['key']


def _listed(found, known=()) -> list[dict]:
    """`known` keys first (zeros included), then any other key found, sorted."""
    keys = list(known) + sorted(k for k in found if k not in known)
    return [{'key': k, 'count': int(found.get(k, 0))} for k in keys]


def _by_month(session, in_period, months, zone, hi) -> list[dict]:
    """The local month boundaries as UTC instants, bucketed by one CASE in SQL."""
    bounds = [_utc_midnight(m, zone) for m in months[1:]] + [hi]
    labels = [m.strftime('%Y-%m') for m in months]
    month_expr = case(*[(PqrsfCase.received_at < b, label) for b, label in zip(bounds, labels)])
    bucket = select(month_expr.label('month')).where(*in_period).subquery()
    per_month = dict(session.execute(select(bucket.c.month, func.count()).group_by(bucket.c.month)).all())
    return [{'key': label, 'count': int(per_month.get(label, 0))} for label in labels]


def _resolution(session, in_period, calendar, total) -> dict:
    """One row per closed case, business days counted by the calendar."""
    closed = session.execute(select(PqrsfCase.received_at, Case.completed_at)
                             .join(Case, Case.id == PqrsfCase.case_id)
                             .where(*in_period, Case.completed_at.is_not(None))).all()
    days_total = sum(calendar.business_days_between(received, completed) for received, completed in closed)
    return {'completed': len(closed), 'open': int(total) - len(closed),
            'business_days_total': int(days_total),
            'average_business_days': _share(days_total, len(closed), 2)}


def _timeliness(session, period_ids, total) -> dict:
    """The first answer event of each case against the case's answer deadline."""
    first = (select(Event.case_id, func.min(Event.at).label('first_at'))
             .where(Event.milestone == ANSWER_SENT, Event.case_id.in_(period_ids))
             .group_by(Event.case_id).subquery())
    answered, on_time = session.execute(
        select(func.count(), func.coalesce(func.sum(case((first.c.first_at <= PqrsfCase.answer_due_at, 1),
                                                        else_=0)), 0))
        .select_from(first).join(PqrsfCase, PqrsfCase.case_id == first.c.case_id)).one()
    return {'answered': int(answered), 'on_time': int(on_time),
            'late': int(answered) - int(on_time), 'unanswered': int(total) - int(answered),
            'on_time_share': _share(int(on_time), int(answered))}


def _escalations(session, period_ids, total) -> dict:
    escalated, calls = session.execute(
        select(func.count(func.distinct(Event.case_id)), func.count())
        .where(Event.milestone == ESCALATION, Event.case_id.in_(period_ids))).one()
    return {'cases': int(escalated), 'calls': int(calls), 'share': _share(int(escalated), total)}


def _nonconformities(session, period_ids) -> dict:
    nc_count, nc_cases = session.execute(
        select(func.count(), func.count(func.distinct(Event.case_id)))
        .where(Event.milestone == NONCONFORMITY, Event.case_id.in_(period_ids))).one()
    return {'count': int(nc_count), 'cases': int(nc_cases)}


def _satisfaction(session, period_ids) -> dict:
    ratings = dict(session.execute(select(SurveyAnswer.rating, func.count())
                                   .where(SurveyAnswer.case_id.in_(period_ids))
                                   .group_by(SurveyAnswer.rating)).all())
    answers = sum(ratings.values())
    satisfied = sum(n for rating, n in ratings.items() if rating >= SATISFIED_FROM)
    rating_sum = sum(rating * n for rating, n in ratings.items())
    return {'answers': answers, 'satisfied': satisfied, 'rate': _share(satisfied, answers),
            'average_rating': _share(rating_sum, answers, 2),
            'by_rating': [{'key': r, 'count': int(ratings.get(r, 0))} for r in RATINGS]}


def _number(value) -> str:
    if value is None:
        return ''
    if isinstance(value, float):
        return f'{value:.2f}'.replace('.', ',')
    return str(value)


def _percent(share) -> str:
    return '' if share is None else _number(share * 100)


def to_csv(indicators: dict) -> str:
    """The indicators as CSV text: one table per section (title line, Spanish header, rows, blank
    line); `;` separated, decimal comma, percentages 0–100 with two decimals."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=';', lineterminator='\r\n')
    period, res, tim = indicators['period'], indicators['resolution'], indicators['timeliness']
    esc, nc, sat = indicators['escalations'], indicators['nonconformities'], indicators['satisfaction']

    def table(title, header, rows):
        writer.writerow([title])
        writer.writerow(header)
        writer.writerows(rows)
        writer.writerow([])

    table('Periodo', ['Desde', 'Hasta', 'Zona horaria'], [[period['from'], period['to'], period['timezone']]])
    table('Resumen', ['Indicador', 'Valor'], [
        ['Casos recibidos', indicators['cases']],
        ['Casos cerrados', res['completed']],
        ['Casos abiertos', res['open']],
        ['Días hábiles de resolución (suma)', res['business_days_total']],
        ['Tiempo promedio de resolución (días hábiles)', _number(res['average_business_days'])],
        ['Casos con respuesta', tim['answered']],
        ['Respondidos a tiempo', tim['on_time']],
        ['Respondidos tarde', tim['late']],
        ['Casos sin respuesta', tim['unanswered']],
        ['Respondidos a tiempo (%)', _percent(tim['on_time_share'])],
        ['Casos escalados', esc['cases']],
        ['Escalamientos (total)', esc['calls']],
        ['Casos escalados (%)', _percent(esc['share'])],
        ['No conformidades', nc['count']],
        ['Casos con no conformidad', nc['cases']],
        ['Encuestas respondidas', sat['answers']],
        ['Encuestas satisfechas (4 o 5)', sat['satisfied']],
        ['Tasa de satisfacción (%)', _percent(sat['rate'])],
        ['Calificación promedio (1 a 5)', _number(sat['average_rating'])],
    ])
    table('Casos por tipo', ['Tipo', 'Nombre', 'Casos'],
          [[r['key'], spanish(CASE_TYPES, r['key']), r['count']] for r in indicators['by_type']])
    table('Casos por canal', ['Canal', 'Nombre', 'Casos'],
          [[r['key'], spanish(CHANNELS, r['key']), r['count']] for r in indicators['by_channel']])
    table('Casos por sucursal', ['Sucursal', 'Casos'], [[r['key'], r['count']] for r in indicators['by_branch']])
    table('Casos por mes', ['Mes', 'Casos'], [[r['key'], r['count']] for r in indicators['by_month']])
    table('Encuestas por calificación', ['Calificación', 'Respuestas'],
          [[r['key'], r['count']] for r in sat['by_rating']])
    table('Definiciones', ['Indicador', 'Definición'], [[title, text] for _, title, text in DEFINITIONS])
    return out.getvalue()
