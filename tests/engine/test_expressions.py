"""Camunda-style expressions: `${...}` wrappers, ISO literals, business-day functions, clock."""
from datetime import datetime, timedelta, timezone
from types import SimpleNamespace

import pytest

from app.engine.business_days import BusinessCalendar
from app.engine.clock import clock, parse_delta
from app.engine.expressions import (
    CaseScriptEngine, check_timer_literal, expression_problems, iso_literal, normalize,
)


def fake_task(**data):
    """PythonScriptEngine.evaluate only reads `task.data`."""
    return SimpleNamespace(data=dict(data))


@pytest.fixture
def engine():
    return CaseScriptEngine(BusinessCalendar())


@pytest.fixture(autouse=True)
def real_clock():
    """Other tests (the engine tour) advance the shared clock and leave it moved: start at 0."""
    clock.offset = timedelta(0)
    try:
        yield clock
    finally:
        clock.offset = timedelta(0)


@pytest.fixture
def moved_clock(real_clock):
    clock.offset = timedelta(days=2)
    try:
        yield clock
    finally:
        clock.offset = timedelta(0)


# --- normalize ----------------------------------------------------------------------------

@pytest.mark.parametrize('raw, expected', [
    ('${approved == True}', 'approved == True'),
    ('#{approved == True}', 'approved == True'),
    ('  ${ approved == True }  ', 'approved == True'),
    ('\n#{\n  amount > 10\n}\n', 'amount > 10'),
    ('${PT1H}', 'PT1H'),
    ('approved == True', 'approved == True'),
    ('  approved == True  ', 'approved == True'),
    ("{'a': 1}['a'] == 1", "{'a': 1}['a'] == 1"),
    ('x if y else z', 'x if y else z'),
    ('', ''),
    (None, ''),
])
def test_normalize(raw, expected):
    assert normalize(raw) == expected


def test_normalize_leaves_python_dict_and_set_literals_alone():
    assert normalize('{1, 2}') == '{1, 2}'
    assert normalize("{'a': 1}") == "{'a': 1}"


def test_expression_problems_accepts_wrapped_and_rejects_bad_syntax():
    assert expression_problems('${approved == True}') == []
    assert expression_problems('${approved ==}') == ['no es Python válido (línea 1): invalid syntax']


# --- iso_literal --------------------------------------------------------------------------

@pytest.mark.parametrize('text', [
    'PT1H', 'P3D', 'R/PT1H', 'R3/PT10M',
    '2026-01-05T08:00:00-05:00', '2026-01-05T08:00:00Z',
])
def test_iso_literal_recognises(text):
    assert iso_literal(text) == text


def test_iso_literal_strips_the_wrapper():
    assert iso_literal('${PT1H}') == 'PT1H'
    assert iso_literal('  #{ R3/PT10M }  ') == 'R3/PT10M'


@pytest.mark.parametrize('text', [
    'approved == True', 'add_business_days(now(), 3)', 'P', 'PT', 'duration', '',
])
def test_iso_literal_rejects(text):
    assert iso_literal(text) is None


# --- check_timer_literal ------------------------------------------------------------------

def test_check_timer_literal_rejects_bad_duration():
    with pytest.raises(ValueError) as info:
        check_timer_literal('PT5X', 'timeDuration')
    message = str(info.value)
    assert 'PT5X' in message
    assert 'timeDuration' in message
    assert 'ISO 8601' in message


def test_check_timer_literal_accepts_good_values():
    check_timer_literal('PT5M', 'timeDuration')
    check_timer_literal('P3D', 'timeDuration')
    check_timer_literal('R2/PT1H', 'timeCycle')
    check_timer_literal('R/PT1H', 'timeCycle')
    check_timer_literal('2026-01-05T08:00:00-05:00', 'timeDate')
    check_timer_literal('2026-01-05T08:00:00Z', 'timeDate')


def test_check_timer_literal_rejects_bad_cycle_and_date():
    with pytest.raises(ValueError, match='timeCycle'):
        check_timer_literal('R2/PT5X', 'timeCycle')
    with pytest.raises(ValueError, match='timeDate'):
        check_timer_literal('2026-13-45T99:00:00', 'timeDate')


# --- CaseScriptEngine through evaluate(task, expr) ----------------------------------------

def test_wrapped_condition(engine):
    assert engine.evaluate(fake_task(approved=True), '${approved == True}') is True
    assert engine.evaluate(fake_task(approved=False), '${approved == True}') is False
    assert engine.evaluate(fake_task(approved=True), 'approved == True') is True


def test_evaluate_does_not_leak_functions_into_task_data(engine):
    task = fake_task(approved=True)
    engine.evaluate(task, '${approved == True}')
    assert task.data == {'approved': True}


def test_duration_literal_is_returned_unchanged(engine):
    assert engine.evaluate(fake_task(), 'PT1H') == 'PT1H'
    assert engine.evaluate(fake_task(), '${R3/PT10M}') == 'R3/PT10M'


def test_naive_datetime_literal_is_bogota_local(engine):
    assert engine.evaluate(fake_task(), '2026-03-02T08:00:00') == '2026-03-02T13:00:00+00:00'


def test_aware_datetime_literals_become_utc(engine):
    assert engine.evaluate(fake_task(), '2026-01-05T08:00:00-05:00') == '2026-01-05T13:00:00+00:00'
    assert engine.evaluate(fake_task(), '2026-01-05T08:00:00Z') == '2026-01-05T08:00:00+00:00'


def test_add_business_days_function(engine):
    # Friday 27 Nov 2026 10:00 Bogotá + 1 -> Monday 30 Nov 10:00 Bogotá = 15:00 UTC.
    result = engine.evaluate(fake_task(), "add_business_days('2026-11-27T15:00:00+00:00', 1)")
    assert result == '2026-11-30T15:00:00+00:00'


def test_add_business_days_with_task_data(engine):
    task = fake_task(received='2026-03-06T10:00:00-05:00', plazo=1)
    assert engine.evaluate(task, '${add_business_days(received, plazo)}') == '2026-03-09T15:00:00+00:00'


def test_business_deadline_function(engine):
    # Friday 6 March + 1 -> Monday 9 March, end of day 23:59:59 Bogotá = Tue 04:59:59 UTC.
    result = engine.evaluate(fake_task(), "business_deadline('2026-03-06T10:00:00-05:00', 1)")
    assert result == '2026-03-10T04:59:59+00:00'


def test_business_days_between_and_is_business_day_functions(engine):
    assert engine.evaluate(
        fake_task(), "business_days_between('2026-03-20T10:00:00-05:00', '2026-03-27T10:00:00-05:00')"
    ) == 4
    assert engine.evaluate(fake_task(), "is_business_day('2026-03-23T10:00:00-05:00')") is False
    assert engine.evaluate(fake_task(), "is_business_day('2026-03-24T10:00:00-05:00')") is True


def test_datetime_results_become_aware_utc_iso(engine):
    # parse_date returns a datetime (naive input = Bogotá); evaluate turns it into UTC ISO.
    assert engine.evaluate(fake_task(), "parse_date('2026-03-02T08:00:00')") == '2026-03-02T13:00:00+00:00'
    task = fake_task(when=datetime(2026, 3, 2, 8, 0))
    assert engine.evaluate(task, 'when') == '2026-03-02T13:00:00+00:00'


def test_now_is_utc_iso(engine):
    value = engine.evaluate(fake_task(), 'now()')
    parsed = datetime.fromisoformat(value)
    assert parsed.utcoffset() == timedelta(0)
    assert abs(parsed - datetime.now(timezone.utc)) < timedelta(seconds=30)


def test_now_follows_the_clock_offset(engine, moved_clock):
    value = engine.evaluate(fake_task(), '${now()}')
    parsed = datetime.fromisoformat(value)
    assert parsed.utcoffset() == timedelta(0)
    expected = datetime.now(timezone.utc) + timedelta(days=2)
    assert abs(parsed - expected) < timedelta(seconds=30)


# --- parse_delta --------------------------------------------------------------------------

@pytest.mark.parametrize('text, expected', [
    ('3d', timedelta(days=3)),
    ('1d6h', timedelta(days=1, hours=6)),
    ('30m', timedelta(minutes=30)),
    ('12h', timedelta(hours=12)),
    ('45s', timedelta(seconds=45)),
    ('1d12h30m15s', timedelta(days=1, hours=12, minutes=30, seconds=15)),
])
def test_parse_delta(text, expected):
    assert parse_delta(text) == expected


@pytest.mark.parametrize('text', ['tomorrow', '3x', '', 'd', '1h1d'])
def test_parse_delta_rejects(text):
    with pytest.raises(ValueError) as info:
        parse_delta(text)
    assert repr(text) in str(info.value)
