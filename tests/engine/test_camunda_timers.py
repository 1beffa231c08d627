"""Timers as Camunda Modeler writes them: a Quartz cron timeCycle runs as its ISO cycle (the next
9:00 in the organisation's zone, then every day), a cron with no fixed-interval equivalent is
refused with the ISO form to write, and every quoted constant is checked as ISO 8601."""
from datetime import datetime, timedelta, timezone
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from app.engine import cron
from app.engine.business_days import BusinessCalendar
from app.engine.clock import clock
from app.engine.expressions import CaseScriptEngine
from app.engine.models import Job
from tests.engine.test_lint import assert_well_placed, lint_files
from tests.support import flow

CAMUNDA = Path(__file__).resolve().parents[1] / 'diagrams' / 'camunda'
BOGOTA = ZoneInfo('America/Bogota')
NOW = datetime(2026, 12, 2, 13, 40, tzinfo=timezone.utc)   # a Wednesday, 08:40 in Bogotá


@pytest.mark.parametrize('text, iso', [
    ('0 0 9 * * ?', 'R/2026-12-02T09:00:00-05:00/P1D'),        # later today
    ('0 0 8 * * ?', 'R/2026-12-03T08:00:00-05:00/P1D'),        # already past: tomorrow
    ('0 9 * * *', 'R/2026-12-02T09:00:00-05:00/P1D'),          # Unix, five fields
    ('0 0 9 ? * MON', 'R/2026-12-07T09:00:00-05:00/P7D'),      # next Monday
    ('0 0 9 ? * 2', 'R/2026-12-07T09:00:00-05:00/P7D'),        # Quartz: 2 = Monday
    ('0 0/15 * * * ?', 'R/2026-12-02T08:45:00-05:00/PT15M'),
    ('0 30 */2 * * ?', 'R/2026-12-02T10:30:00-05:00/PT2H'),
    ('0 0 * * * ?', 'R/2026-12-02T09:00:00-05:00/PT1H'),
    ('*/30 * * * * ?', 'R/2026-12-02T08:40:30-05:00/PT30S'),
])
def test_a_cron_with_a_fixed_interval_becomes_its_iso_cycle(text, iso):
    assert cron.looks_like_cron(text)
    assert cron.to_iso(text, NOW, BOGOTA) == iso


@pytest.mark.parametrize('text', ['0 0 9 ? * MON-FRI', '0 0 9 1 * ?', '0 0 9,17 * * ?',
                                  '0 0/25 * * * ?', '0 0 9 * * ? 2027'])
def test_a_cron_without_a_fixed_interval_has_no_equivalent(text):
    assert cron.looks_like_cron(text) and cron.cycle_of(text) is None


@pytest.mark.parametrize('text', ['a + b', 'PT1H', "business_deadline(now(), 2)", 'x * y * z * w * v'])
def test_python_and_iso_are_not_taken_for_cron(text):
    assert not cron.looks_like_cron(text)


def test_the_script_engine_turns_a_cron_into_its_cycle_from_the_engine_clock():
    engine = CaseScriptEngine(BusinessCalendar())
    value = engine.evaluate(SimpleNamespace(data={}), '0 0 9 * * ?')
    start = datetime.fromisoformat(value.split('/')[1])
    assert value.startswith('R/') and value.endswith('/P1D')
    local = start.astimezone(engine.calendar.zone)
    assert (local.hour, local.minute) == (9, 0) and timedelta(0) < start - clock.now() <= timedelta(days=1)


def test_a_naive_cycle_start_is_the_organisations_local_time():
    engine = CaseScriptEngine(BusinessCalendar())
    value = engine.evaluate(SimpleNamespace(data={}), 'R/2026-01-05T09:00:00/P1D')
    start = datetime.fromisoformat(value.split('/')[1])
    assert start.astimezone(engine.calendar.zone).hour == 9 and value.endswith('/P1D')


def test_a_daily_cron_reminder_fires_at_nine_local_time_and_again_the_next_day(app):
    assert lint_files(CAMUNDA / 'cron_daily.bpmn') == []
    flow.deploy('camunda/cron_daily.bpmn')
    case_id = flow.start('cron_daily')
    zone = flow.engine().script_engine.calendar.zone

    def due():
        return flow.read(lambda s: s.scalars(select(Job.due_at).where(
            Job.case_id == case_id, Job.element_id == 'every_morning', Job.state == 'pending')).one())
    first = due().replace(tzinfo=due().tzinfo or timezone.utc)
    assert (first.astimezone(zone).hour, first.astimezone(zone).minute) == (9, 0)
    assert timedelta(0) < first - clock.now() <= timedelta(days=1)
    flow.advance(app, first - clock.now() + timedelta(seconds=1))
    assert flow.history(case_id).count(('element_completed', 'count_reminder')) == 1
    assert flow.open_tasks(case_id) == ['cron_review']        # non-interrupting: the task stays
    second = due().replace(tzinfo=due().tzinfo or timezone.utc)
    assert second - first == timedelta(days=1)


REFUSED = [
    ('cron_refused.bpmn', 'weekday_mornings',
     "timeCycle '0 0 9 ? * MON-FRI' es una expresión cron sin equivalente ISO 8601 en este motor"),
    ('cron_refused.bpmn', 'cron_as_duration', "timeDuration '0 0 9 * * ?' es una expresión cron: cron solo vale en timeCycle"),
    ('quoted_timers.bpmn', 'wait_wrapped_bad', "timeDuration 'P3X' no es ISO 8601 válido"),
    ('quoted_timers.bpmn', 'wait_bad_date', "timeDate '2026-13-01T09:00:00' no es ISO 8601 válido"),
    ('quoted_timers.bpmn', 'wait_zero_cycle', "timeCycle 'R2/PT0S' no es ISO 8601 válido (el intervalo debe ser mayor que cero)"),
]


@pytest.mark.parametrize('file, element_id, fragment', REFUSED)
def test_each_refused_timer_names_the_element_and_the_value(file, element_id, fragment):
    path = CAMUNDA / file
    found = [p for p in lint_files(path) if p.element_id == element_id]
    assert len(found) == 1 and fragment in found[0].message, [str(p) for p in found]
    assert_well_placed(found[0], path)


def test_the_cron_refusal_gives_the_iso_form_to_write():
    message = next(p.message for p in lint_files(CAMUNDA / 'cron_refused.bpmn') if p.element_id == 'weekday_mornings')
    assert "Escríbala como ciclo ISO, p. ej. 'R/2026-01-05T09:00:00/P1D'" in message
    assert 'is_business_day(now())' in message


def test_valid_quoted_constants_pass_and_only_the_bad_ones_are_reported():
    reported = {p.element_id for p in lint_files(CAMUNDA / 'quoted_timers.bpmn')}
    assert reported == {'wait_wrapped_bad', 'wait_bad_date', 'wait_zero_cycle'}
