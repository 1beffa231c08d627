"""Timers that declare business_days = true count their days as business days of the engine
calendar (weekends, Colombian holidays, the admin's extra days), keeping the time of day; the
timer table schedules that moment, the RQ worker fires it. Without the property a timer keeps
calendar days. Lint refuses what cannot be counted in whole business days, naming the element."""
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from app.engine.clock import clock
from app.engine.errors import StepFailed
from app.engine.models import Job
from app.platform.extensions import db
from tests.engine.test_lint import assert_well_placed, lint_files
from tests.support import flow

HERE = Path(__file__).resolve().parents[1] / 'diagrams' / 'business_timers'
BOGOTA = ZoneInfo('America/Bogota')


def bogota(*args) -> datetime:
    return datetime(*args, tzinfo=BOGOTA).astimezone(timezone.utc)


def set_clock(moment: datetime):
    clock.advance(db.session, moment - clock.now())
    db.session.commit()


def pending_due(case_id, element_id) -> datetime | None:
    """The fire time of the element's pending timer row, to the minute (the test's own steps
    take a moment of the moved clock)."""
    due = flow.read(lambda s: s.scalars(select(Job.due_at).where(
        Job.case_id == case_id, Job.element_id == element_id, Job.state == 'pending')).first())
    return None if due is None else due.replace(tzinfo=due.tzinfo or timezone.utc, second=0, microsecond=0)


def fire(app, moment):
    """Move the clock a second past `moment` and let the workers run what became due."""
    flow.advance(app, moment - clock.now() + timedelta(seconds=1))


def test_a_business_day_cycle_started_on_a_friday_skips_the_weekend(app):
    flow.deploy('business_timers/bt_cycle.bpmn')
    set_clock(bogota(2027, 1, 15, 10, 0))                       # Friday 10:00 in Bogotá
    case_id = flow.start('bt_cycle')
    first = pending_due(case_id, 'btc_every')
    assert first == bogota(2027, 1, 20, 10, 0)                   # Mon 18, Tue 19, Wed 20
    fire(app, first)
    assert flow.history(case_id).count(('element_completed', 'btc_remind')) == 1
    assert flow.open_tasks(case_id) == ['btc_review']            # non-interrupting
    assert pending_due(case_id, 'btc_every') == bogota(2027, 1, 25, 10, 0)   # Thu, Fri, Mon


def test_a_business_day_cycle_skips_a_colombian_holiday(app):
    flow.deploy('business_timers/bt_cycle.bpmn')
    set_clock(bogota(2026, 12, 4, 10, 0))                        # Friday before Inmaculada Concepción
    case_id = flow.start('bt_cycle')
    # Mon 7, (Tue 8 is a holiday), Wed 9, Thu 10
    assert pending_due(case_id, 'btc_every') == bogota(2026, 12, 10, 10, 0)


def test_the_admins_extra_non_working_day_is_skipped_too(app):
    from app.engine.models import NonWorkingDay
    from app.platform.engines import forget_calendar
    flow.deploy('business_timers/bt_cycle.bpmn')
    set_clock(bogota(2027, 1, 15, 10, 0))
    db.session.add(NonWorkingDay(day=datetime(2027, 1, 19).date(), description='Inventario'))
    db.session.commit()
    forget_calendar()
    case_id = flow.start('bt_cycle')
    assert pending_due(case_id, 'btc_every') == bogota(2027, 1, 21, 10, 0)   # Mon 18, Wed 20, Thu 21


def test_without_the_property_a_cycle_counts_calendar_days(app):
    flow.deploy('business_timers/bt_calendar_cycle.bpmn')
    set_clock(bogota(2026, 12, 4, 10, 0))
    case_id = flow.start('bt_calendar_cycle')
    assert pending_due(case_id, 'bcc_every') == bogota(2026, 12, 7, 10, 0)   # Friday + 3 days


def test_a_cycle_of_three_rounds_fires_three_times_in_business_days_and_stops(app):
    flow.deploy('business_timers/bt_three_rounds.bpmn')
    set_clock(bogota(2027, 1, 15, 10, 0))
    case_id = flow.start('bt_three_rounds')
    seen = []
    for _ in range(3):
        due = pending_due(case_id, 'btr_every')
        seen.append(due)
        fire(app, due)
    assert seen == [bogota(2027, 1, 19, 10, 0), bogota(2027, 1, 21, 10, 0), bogota(2027, 1, 25, 10, 0)]
    assert flow.history(case_id).count(('element_completed', 'btr_remind')) == 3
    assert pending_due(case_id, 'btr_every') is None
    flow.advance(app, timedelta(days=10))
    assert flow.history(case_id).count(('element_completed', 'btr_remind')) == 3


def test_a_clock_jump_over_several_rounds_logs_each_round_once(app):
    flow.deploy('business_timers/bt_cycle.bpmn')
    set_clock(bogota(2027, 1, 15, 10, 0))
    case_id = flow.start('bt_cycle')
    fire(app, bogota(2027, 1, 26, 10, 0))           # past Wed 20 and Mon 25
    assert flow.history(case_id).count(('timer_fired', 'btc_every')) == 2
    assert flow.history(case_id).count(('element_completed', 'btc_remind')) == 2
    assert pending_due(case_id, 'btc_every') == bogota(2027, 1, 28, 10, 0)   # Mon 25 + Tue, Wed, Thu


def test_a_business_day_duration_fires_two_business_days_after_it_was_reached(app):
    flow.deploy('business_timers/bt_duration.bpmn')
    set_clock(bogota(2027, 1, 15, 10, 0))
    case_id = flow.start('bt_duration')
    due = pending_due(case_id, 'btd_wait')
    assert due == bogota(2027, 1, 19, 10, 0)                     # Friday -> Tuesday
    flow.advance(app, bogota(2027, 1, 18, 10, 0) - clock.now())  # Monday: calendar P2D would be due
    assert flow.open_tasks(case_id) == []
    fire(app, due)
    assert flow.open_tasks(case_id) == ['btd_after']


def test_an_expression_giving_whole_days_counts_them_and_any_other_value_is_refused(app):
    flow.deploy('business_timers/bt_duration_expression.bpmn')
    set_clock(bogota(2027, 1, 15, 10, 0))
    case_id = flow.start('bt_duration_expression', {'wait': 'P1D'})
    assert pending_due(case_id, 'bte_wait') == bogota(2027, 1, 18, 10, 0)
    with pytest.raises(StepFailed) as refused:
        flow.start('bt_duration_expression', {'wait': 'PT1H'})
    assert "use días enteros" in refused.value.message and "'PT1H'" in refused.value.message


REFUSED = [
    ('btx_hours', "no 'PT1H'"),
    ('btx_weeks', "no 'R/P1W'"),
    ('btx_month', "no 'P1M'"),
    ('btx_date', 'debe ser timeDuration o timeCycle'),
    ('btx_cron', 'no puede ser una expresión cron'),
    ('btx_task', "La propiedad 'business_days' va en un evento de temporizador"),
    ('btx_yes', "La propiedad 'business_days' vale 'yes', que no se reconoce; valores permitidos: true, false"),
]


@pytest.mark.parametrize('element_id, fragment', REFUSED)
def test_lint_refuses_what_cannot_count_whole_business_days_naming_the_element(element_id, fragment):
    path = HERE / 'bt_refused.bpmn'
    found = [p for p in lint_files(path) if p.element_id == element_id and fragment in p.message]
    assert len(found) == 1 and found[0].severity == 'error', [str(p) for p in lint_files(path)]
    assert_well_placed(found[0], path)


def test_lint_accepts_whole_days_a_cycle_start_and_expressions():
    reported = {p.element_id for p in lint_files(HERE / 'bt_refused.bpmn')}
    assert not reported & {'btx_fine', 'btx_start_cycle'}
    for name in ('bt_cycle', 'bt_calendar_cycle', 'bt_three_rounds', 'bt_duration', 'bt_duration_expression'):
        assert lint_files(HERE / f'{name}.bpmn') == [], name
