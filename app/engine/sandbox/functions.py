"""The names diagram text can use besides the case data: the documented list, and nothing else.

- builtins: `len min max sum sorted round str int float bool list dict set tuple any all range
  enumerate zip abs`;
- dates: `datetime date time timedelta timezone` (`datetime.now()` and `date.today()` read the
  engine clock, as `now()` does);
- business days: `now() add_business_days(start, n) business_deadline(start, n)
  business_days_between(start, end) is_business_day(moment) parse_date(value)`;
- calendar months: `add_months(start, n)` (same day of the month, or its last day, in the
  organisation's zone: "un mes" of Ley 1755 art. 17), `local_date(moment)` (dd/mm/aaaa there,
  for messages);
- `refuse(message)`: stop the step with that message. A script after a form uses it to turn
  down answers the form alone cannot judge (a date past a legal limit); the person sees the
  message on the form and the case does not move. Dates come back as
  aware UTC ISO strings, which is what timers parse and what task data can hold.

Runs in the sandbox's child process only (it imports `business_days` as a top-level module).
"""
import builtins
import datetime as _dt
from datetime import time, timedelta, timezone

from business_days import BusinessCalendar, to_datetime

SAFE_BUILTINS = ('len', 'min', 'max', 'sum', 'sorted', 'round', 'str', 'int', 'float', 'bool',
                 'list', 'dict', 'set', 'tuple', 'any', 'all', 'range', 'enumerate', 'zip', 'abs')


class StepRefused(Exception):
    """What `refuse()` raises: the rehearsal of a completion finds its name in the error text
    and shows the message as the diagram wrote it (app/engine/rehearsal.py)."""


class _Now:
    """The engine clock's time for the request being evaluated (set by the child per request)."""
    moment = _dt.datetime.now(timezone.utc)


class ClockDatetime(_dt.datetime):
    @classmethod
    def now(cls, tz=None):
        return _Now.moment.astimezone(tz) if tz is not None else _Now.moment.replace(tzinfo=None)

    @classmethod
    def utcnow(cls):
        return _Now.moment.astimezone(timezone.utc).replace(tzinfo=None)

    @classmethod
    def today(cls):
        return cls.now()


class ClockDate(_dt.date):
    @classmethod
    def today(cls):
        return _Now.moment.date()


def _iso(value) -> str:
    return value.astimezone(timezone.utc).isoformat()


def business_functions(calendar: BusinessCalendar) -> dict:
    def now():
        return _iso(_Now.moment)

    def add_business_days(start, n):
        return _iso(calendar.add_business_days(start, n))

    def business_deadline(start, n):
        return _iso(calendar.end_of_business_day(calendar.add_business_days(start, n)))

    def business_days_between(start, end):
        return calendar.business_days_between(start, end)

    def is_business_day(moment):
        return calendar.is_business_day(calendar.local(moment).date())

    def parse_date(value):
        return to_datetime(value, calendar.zone)

    def add_months(start, n):
        local = calendar.local(start)
        month_index = local.month - 1 + int(n)
        year, month = local.year + month_index // 12, month_index % 12 + 1
        following = _dt.date(year + month // 12, month % 12 + 1, 1)
        day = min(local.day, (following - timedelta(days=1)).day)
        return _iso(local.replace(year=year, month=month, day=day))

    def local_date(moment):
        return calendar.local(moment).strftime('%d/%m/%Y')

    def refuse(message):
        raise StepRefused(str(message))

    return {'now': now, 'add_business_days': add_business_days,
            'business_deadline': business_deadline, 'business_days_between': business_days_between,
            'is_business_day': is_business_day, 'parse_date': parse_date, 'add_months': add_months, 'local_date': local_date,
            'refuse': refuse}


_calendars = {}


def names(calendar_settings: dict) -> dict:
    """Everything defined in the sandbox for a calendar, builtins under `__builtins__`."""
    key = repr(sorted(calendar_settings.items()))
    if key not in _calendars:
        if len(_calendars) > 32:  # extra days changed many times: keep only the current ones
            _calendars.clear()
        settings = dict(calendar_settings)
        calendar = BusinessCalendar(country=settings['country'], subdivision=settings['subdivision'],
                                    time_zone=settings['time_zone'], weekend=settings['weekend'],
                                    extra_days=[_dt.date.fromisoformat(d) for d in settings['extra_days']])
        _calendars[key] = {
            '__builtins__': {name: getattr(builtins, name) for name in SAFE_BUILTINS},
            'datetime': ClockDatetime, 'date': ClockDate, 'time': time, 'timedelta': timedelta,
            'timezone': timezone, **business_functions(calendar)}
    return _calendars[key]
