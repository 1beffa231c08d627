"""Indicadores PQRSF (seed procedures): what the process owner, the leads and the auditors
measure over a period, read from the projections and the application tables only (never from a
serialized workflow). The queries past the counts are in `indicator_queries`, the page's
definitions in `indicator_definitions`, the CSV in `indicators_csv`.

Definitions (the page shows them too, see `DEFINITIONS`):

- **Period.** `[desde, hasta]` are calendar dates in the organisation's time zone (config
  `TIMEZONE`, default America/Bogota), both included: a case belongs to the period when its
  `PqrsfCase.received_at` is at or after 00:00 local of `desde` and before 00:00 local of the day
  after `hasta`. Every other figure is about the cases of the period, whenever the later event
  (answer, pause, escalation, non-conformity, survey) happened. Default period: the current
  semester (1 Jan–30 Jun or 1 Jul–31 Dec) of the clock's local date (`default_period`).
- **Cases by type, channel, branch** (`PqrsfCase.case_type`, `.channel`, `.branch`); the five
  types are always listed, zeros included. **By month**: count per `YYYY-MM` of `received_at` in
  local time; every month of the period is listed, zeros included.
- **Milestones** are declared in the diagram, not named here: an element with the extension
  property `milestone` (`answer_sent`, `escalated`, `clock_stopped`, `clock_resumed`, ...; see
  app/engine/facts.py) stamps it on the event that says the element happened (`Event.milestone`).
  The answer of a case is its first `Event` with milestone `answer_sent` (the decision sent).
- **Resolution time** (seed: up to the decision sent, the client's time left out): for each case
  of the period with an answer, `BusinessCalendar.business_days_between(received_at, answer)`
  (business days after the day of receipt up to and including the day of the answer; weekends,
  Colombian public holidays and the admin's extra non-working days do not count; same day = 0)
  minus the paused business days: from each `clock_stopped` event before the answer to the next
  `clock_resumed` (or to the answer if the clock did not resume before it), counted the same way;
  never below 0. Average = sum / answered cases (2 decimals, `None` without answers), overall and
  per case type (the five types always listed).
- **On time, two shares.** Internal target: the answer at or before `PqrsfCase.answer_due_at`;
  share = on time / answered cases. Legal term: the answer at or before `PqrsfCase.legal_due_at`;
  share = on time / answered cases that have a legal term (cases whose `legal_due_at` is None are
  left out of that share and counted in `legal_without_term`). Both dates are the case's as
  extended or moved by a pause. Cases without an answer yet are counted apart (`unanswered`).
- **Escalations**: `Event` with milestone `escalated`. `cases` = cases with at least one;
  `calls` = all such events; `share` = escalated cases / cases of the period.
- **Non-conformities**: the `NonConformity` register (SER-PD-03) of the cases of the period:
  `count` rows, `cases` with at least one, `treated` rows with `treated_at`; and per cause
  (`NonConformity.cause`, the four of vocabulary.NONCONFORMITY_CAUSES always listed; rows without
  a cause, recorded before causes were kept, as a last row with key None, "Sin causa registrada").
- **Satisfaction**: `SurveyAnswer` rows of the cases of the period. Overall (every answer,
  including old ones with a single rating and `ratings` None): rate = answers with `rating` >= 4
  / answers (4 decimals); average rating (2 decimals); answers; count per rating. Per criterion
  of vocabulary.SURVEY_CRITERIA (answers whose `ratings` has it): answers, average (2 decimals),
  satisfied (>= 4) and their share.
- **Retention**: the clients of the period's cases, a client being the id document the case was
  registered with (its `case_started` event data, trimmed, case-insensitive), else its email;
  anonymous cases (`PqrsfCase.anonymous`) and cases with neither are left out. `clients` =
  distinct clients; `returning` = those with at least two cases in the period; share =
  returning / clients.

Every share is a fraction 0–1 in `compute()`'s result; the page and the CSV show percentages.

`compute(session, desde, hasta)` makes about a dozen aggregate queries (GROUP BY / COUNT / MIN /
SUM); the only per-row loops are over the answered cases and their pause events, for the
business days. `to_csv()` writes one table per section: a title line, a header line, the rows,
then a blank line. Separator `;` and decimal comma, as Excel expects with Spanish (Colombia)
regional settings; UTF-8 (the download adds a BOM so Excel reads the accents); percentages with
two decimals.
"""
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import case, func, select

from app.cases.models import PqrsfCase
from app.cases.vocabulary import CASE_TYPES
from app.oversight import indicator_queries as figures
from app.oversight.indicator_definitions import DEFINITIONS  # noqa: F401  (the page and CSV read them here)
from app.oversight.indicators_csv import to_csv  # noqa: F401


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
        'resolution': figures.resolution(session, period_ids, calendar, total),
        'timeliness': figures.timeliness(session, period_ids, total),
        'escalations': figures.escalations(session, period_ids, total),
        'nonconformities': figures.nonconformities(session, period_ids),
        'satisfaction': figures.satisfaction(session, period_ids),
        'retention': figures.retention(session, in_period),
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


