"""BusinessCalendar: días hábiles counted in America/Bogota with Colombian holidays.

Every date below was checked by hand against `holidays.country_holidays('CO', years=2026)`
and a 2026 calendar. Bogotá is UTC-5 all year (no daylight saving), so 10:00 local is 15:00 UTC.
"""
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import holidays
import pytest

from app.engine.business_days import BusinessCalendar

BOGOTA = ZoneInfo('America/Bogota')
UTC = timezone.utc


def bog(y, m, d, hh=10, mm=0, ss=0):
    """An aware Bogotá-local datetime."""
    return datetime(y, m, d, hh, mm, ss, tzinfo=BOGOTA)


def utc(y, m, d, hh=0, mm=0, ss=0):
    return datetime(y, m, d, hh, mm, ss, tzinfo=UTC)


@pytest.fixture
def cal():
    return BusinessCalendar()


@pytest.fixture(scope='module')
def co_2026():
    return holidays.country_holidays('CO', years=2026)


def assert_utc(value, expected):
    """Aware, in UTC, and equal to `expected`."""
    assert isinstance(value, datetime)
    assert value.tzinfo is not None, 'add_business_days must return an aware datetime'
    assert value.utcoffset() == timedelta(0), f'expected a UTC datetime, got {value!r}'
    assert value == expected


# --- sanity of the calendar facts the tests rely on --------------------------------------

def test_calendar_facts_used_below(co_2026):
    assert date(2026, 3, 6).strftime('%A') == 'Friday'
    assert date(2026, 3, 9).strftime('%A') == 'Monday'
    assert date(2026, 11, 26).strftime('%A') == 'Thursday'
    assert date(2026, 11, 27).strftime('%A') == 'Friday'
    # Ordinary weekdays used below are not holidays.
    for day in (date(2026, 3, 6), date(2026, 3, 9), date(2026, 3, 10), date(2026, 3, 11),
                date(2026, 3, 20), date(2026, 3, 24), date(2026, 7, 10), date(2026, 7, 14),
                date(2026, 11, 26), date(2026, 11, 27), date(2026, 11, 30)):
        assert day not in co_2026, day


# --- weekends -----------------------------------------------------------------------------

def test_friday_plus_one_is_monday_same_local_time(cal):
    result = cal.add_business_days(bog(2026, 3, 6, 10), 1)
    assert_utc(result, utc(2026, 3, 9, 15))            # Monday 9 March 10:00 Bogotá
    assert result.astimezone(BOGOTA) == bog(2026, 3, 9, 10)


def test_saturday_and_sunday_are_not_business_days(cal):
    assert cal.is_business_day(date(2026, 3, 6))       # Friday
    assert not cal.is_business_day(date(2026, 3, 7))   # Saturday
    assert not cal.is_business_day(date(2026, 3, 8))   # Sunday
    assert cal.is_business_day(date(2026, 3, 9))       # Monday


def test_five_business_days_is_one_calendar_week(cal):
    assert_utc(cal.add_business_days(bog(2026, 3, 9, 10), 5), utc(2026, 3, 16, 15))


# --- Ley Emiliani (moved) holidays --------------------------------------------------------

def test_saint_joseph_is_moved_to_monday_23_march_2026(cal, co_2026):
    # 19 March 2026 is a Thursday; Ley 51/1983 moves San José to the following Monday.
    assert date(2026, 3, 19).strftime('%A') == 'Thursday'
    assert date(2026, 3, 19) not in co_2026
    assert date(2026, 3, 23).strftime('%A') == 'Monday'
    assert date(2026, 3, 23) in co_2026
    assert 'Joseph' in co_2026[date(2026, 3, 23)]
    assert not cal.is_business_day(date(2026, 3, 23))
    assert cal.is_business_day(date(2026, 3, 19))
    assert cal.holiday_name(date(2026, 3, 23)) == co_2026[date(2026, 3, 23)]


def test_counting_skips_the_moved_holiday(cal):
    # Friday 20 March + 1 -> Monday 23 is a holiday -> Tuesday 24 March 10:00 Bogotá.
    assert_utc(cal.add_business_days(bog(2026, 3, 20, 10), 1), utc(2026, 3, 24, 15))


# --- Ley 2578/2026: Virgen de Chiquinquirá (9 July -> Monday 13 July 2026) -----------------

def test_ley_2578_2026_chiquinquira_holiday_is_known(co_2026):
    assert date(2026, 7, 9).strftime('%A') == 'Thursday'
    assert date(2026, 7, 13).strftime('%A') == 'Monday'
    if date(2026, 7, 13) not in co_2026:
        pytest.fail(
            f'holidays {holidays.__version__} does not know the Colombian holiday added by '
            'Ley 2578/2026 (Virgen de Chiquinquirá, 9 July moved to Monday 13 July 2026): '
            'the pinned holidays version is too old, upgrade it.')
    assert 'Chiquinquir' in co_2026[date(2026, 7, 13)]
    assert date(2026, 7, 9) not in co_2026          # moved, so the Thursday itself is working


def test_counting_skips_the_chiquinquira_holiday(cal, co_2026):
    if date(2026, 7, 13) not in co_2026:
        pytest.fail(f'holidays {holidays.__version__} lacks the Ley 2578/2026 holiday '
                    '(13 July 2026): the pinned holidays version is too old.')
    assert not cal.is_business_day(date(2026, 7, 13))
    # Friday 10 July + 1 -> Monday 13 is a holiday -> Tuesday 14 July 10:00 Bogotá.
    assert_utc(cal.add_business_days(bog(2026, 7, 10, 10), 1), utc(2026, 7, 14, 15))
    # And backwards: Tuesday 14 July - 1 -> Friday 10 July.
    assert_utc(cal.add_business_days(bog(2026, 7, 14, 10), -1), utc(2026, 7, 10, 15))
    assert cal.business_days_between(bog(2026, 7, 10), bog(2026, 7, 14)) == 1


# --- extra non-working days and weekend configuration -------------------------------------

def test_extra_days_are_skipped(cal):
    closed = cal.with_extra_days([date(2026, 3, 10)])   # Tuesday
    assert not closed.is_business_day(date(2026, 3, 10))
    # Monday 9 March + 1 -> Tuesday 10 is closed -> Wednesday 11 March.
    assert_utc(closed.add_business_days(bog(2026, 3, 9, 10), 1), utc(2026, 3, 11, 15))
    assert closed.business_days_between(bog(2026, 3, 9), bog(2026, 3, 11)) == 1


def test_with_extra_days_does_not_change_the_original(cal):
    cal.with_extra_days([date(2026, 3, 10)])
    assert cal.is_business_day(date(2026, 3, 10))
    assert_utc(cal.add_business_days(bog(2026, 3, 9, 10), 1), utc(2026, 3, 10, 15))


def test_with_extra_days_keeps_holidays_and_weekends(cal):
    closed = cal.with_extra_days([date(2026, 3, 10)])
    assert not closed.is_business_day(date(2026, 3, 7))    # Saturday
    assert not closed.is_business_day(date(2026, 3, 23))   # San José (observed)


def test_constructor_extra_days():
    closed = BusinessCalendar(extra_days=[date(2026, 3, 9)])
    # Friday 6 + 1: Sat, Sun weekend, Mon 9 closed -> Tuesday 10 March.
    assert_utc(closed.add_business_days(bog(2026, 3, 6, 10), 1), utc(2026, 3, 10, 15))


def test_saturday_counts_when_only_sunday_is_weekend():
    six_day_week = BusinessCalendar(weekend=(6,))
    assert six_day_week.is_business_day(date(2026, 3, 7))       # Saturday
    assert not six_day_week.is_business_day(date(2026, 3, 8))   # Sunday
    assert_utc(six_day_week.add_business_days(bog(2026, 3, 6, 10), 1), utc(2026, 3, 7, 15))
    assert_utc(six_day_week.add_business_days(bog(2026, 3, 6, 10), 2), utc(2026, 3, 9, 15))
    assert six_day_week.business_days_between(bog(2026, 3, 6), bog(2026, 3, 13)) == 6


# --- negative and zero --------------------------------------------------------------------

def test_negative_n_goes_backwards(cal):
    # Monday 9 March - 1 -> Friday 6 March.
    assert_utc(cal.add_business_days(bog(2026, 3, 9, 10), -1), utc(2026, 3, 6, 15))
    # Tuesday 24 March - 1 -> Monday 23 is San José -> Friday 20 March.
    assert_utc(cal.add_business_days(bog(2026, 3, 24, 10), -1), utc(2026, 3, 20, 15))
    # Monday 16 March - 5 -> Monday 9 March.
    assert_utc(cal.add_business_days(bog(2026, 3, 16, 10), -5), utc(2026, 3, 9, 15))


def test_zero_returns_the_same_instant(cal):
    start = bog(2026, 3, 6, 10, 30, 15)
    assert_utc(cal.add_business_days(start, 0), utc(2026, 3, 6, 15, 30, 15))
    # Even on a non-business day, 0 does not move.
    saturday = bog(2026, 3, 7, 9)
    assert_utc(cal.add_business_days(saturday, 0), utc(2026, 3, 7, 14))


def test_forward_then_backward_round_trips(cal):
    start = bog(2026, 3, 20, 10)
    there = cal.add_business_days(start, 7)
    assert cal.add_business_days(there, -7) == start


# --- end of business day ------------------------------------------------------------------

def test_end_of_business_day_is_235959_bogota(cal):
    end = cal.end_of_business_day(bog(2026, 3, 6, 10))
    assert_utc(end, utc(2026, 3, 7, 4, 59, 59))
    assert end.astimezone(BOGOTA) == bog(2026, 3, 6, 23, 59, 59)


def test_end_of_business_day_uses_the_local_date(cal):
    # 2026-03-07T03:00Z is still Friday 6 March 22:00 in Bogotá.
    assert_utc(cal.end_of_business_day(utc(2026, 3, 7, 3)), utc(2026, 3, 7, 4, 59, 59))
    # 2026-03-07T05:30Z is Saturday 7 March 00:30 in Bogotá.
    assert_utc(cal.end_of_business_day(utc(2026, 3, 7, 5, 30)), utc(2026, 3, 8, 4, 59, 59))


# --- business_days_between ----------------------------------------------------------------

def test_between_counts_after_start_up_to_and_including_end(cal):
    assert cal.business_days_between(bog(2026, 3, 6), bog(2026, 3, 6, 18)) == 0   # same day
    assert cal.business_days_between(bog(2026, 3, 6), bog(2026, 3, 7)) == 0       # Fri -> Sat
    assert cal.business_days_between(bog(2026, 3, 6), bog(2026, 3, 9)) == 1       # Fri -> Mon
    assert cal.business_days_between(bog(2026, 3, 6), bog(2026, 3, 13)) == 5      # a week
    assert cal.business_days_between(bog(2026, 3, 9), bog(2026, 3, 10)) == 1


def test_between_is_negative_when_reversed(cal):
    assert cal.business_days_between(bog(2026, 3, 13), bog(2026, 3, 6)) == -5
    assert cal.business_days_between(bog(2026, 3, 9), bog(2026, 3, 6)) == -1


def test_between_skips_holidays(cal):
    # Friday 20 -> Tuesday 24 March: Sat, Sun, Mon 23 (San José) skipped, Tue counts.
    assert cal.business_days_between(bog(2026, 3, 20), bog(2026, 3, 24)) == 1
    # Friday 20 -> Friday 27 March: 24, 25, 26, 27.
    assert cal.business_days_between(bog(2026, 3, 20), bog(2026, 3, 27)) == 4
    assert cal.business_days_between(bog(2026, 3, 27), bog(2026, 3, 20)) == -4


def test_between_is_consistent_with_add(cal):
    start = bog(2026, 3, 20, 10)
    for n in range(0, 15):
        assert cal.business_days_between(start, cal.add_business_days(start, n)) == n


def test_between_uses_local_dates(cal):
    # 2026-11-27T03:00Z is Thursday 26 Nov 22:00 in Bogotá; 2026-11-27T15:00Z is Friday 27.
    assert cal.business_days_between('2026-11-27T03:00:00+00:00',
                                     '2026-11-27T15:00:00+00:00') == 1


# --- time-zone edge -----------------------------------------------------------------------

def test_utc_instant_that_is_still_thursday_in_bogota(cal):
    start = utc(2026, 11, 27, 3)                       # = Thursday 26 Nov 22:00 Bogotá
    assert start.astimezone(BOGOTA) == bog(2026, 11, 26, 22)
    result = cal.add_business_days(start, 1)
    # Next business day after Thursday 26 is Friday 27, at 22:00 Bogotá = Sat 28 03:00 UTC.
    assert result.astimezone(BOGOTA) == bog(2026, 11, 27, 22)
    assert_utc(result, utc(2026, 11, 28, 3))


def test_is_business_day_is_about_the_local_date(cal):
    # Sunday 8 March 2026 23:00 Bogotá is Monday 04:00 UTC: local() gives the Sunday.
    assert cal.local(utc(2026, 3, 9, 4)).date() == date(2026, 3, 8)
    assert not cal.is_business_day(cal.local(utc(2026, 3, 9, 4)).date())


# --- input types --------------------------------------------------------------------------

def test_iso_string_input(cal):
    assert_utc(cal.add_business_days('2026-03-06T10:00:00-05:00', 1), utc(2026, 3, 9, 15))
    assert_utc(cal.add_business_days('2026-03-06T15:00:00+00:00', 1), utc(2026, 3, 9, 15))


def test_naive_iso_string_is_bogota_local(cal):
    assert_utc(cal.add_business_days('2026-03-06T10:00:00', 1), utc(2026, 3, 9, 15))


def test_naive_datetime_is_bogota_local(cal):
    assert_utc(cal.add_business_days(datetime(2026, 3, 6, 10, 0), 1), utc(2026, 3, 9, 15))
    assert_utc(cal.end_of_business_day(datetime(2026, 3, 6, 22, 0)), utc(2026, 3, 7, 4, 59, 59))


def test_date_input_is_local_midnight(cal):
    assert_utc(cal.add_business_days(date(2026, 3, 6), 1), utc(2026, 3, 9, 5))
    assert cal.business_days_between(date(2026, 3, 6), date(2026, 3, 13)) == 5


def test_non_date_input_is_rejected(cal):
    with pytest.raises(TypeError):
        cal.add_business_days(12345, 1)
