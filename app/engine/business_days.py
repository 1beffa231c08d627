"""Business-day arithmetic for deadlines (días hábiles).

A business day is a weekday (weekend days configurable) that is neither a public holiday of
the configured country (the `holidays` package, which knows Colombia's moved holidays) nor an
extra non-working day an admin added. Days are counted in the organisation's time zone, from
the business day after the start: `add_business_days(friday_10am, 1)` is Monday 10:00.
"""
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import holidays


class BusinessCalendar:
    def __init__(self, country='CO', subdivision=None, time_zone='America/Bogota',
                 weekend=(5, 6), extra_days=()):
        self.country, self.subdivision = country, subdivision
        self.zone = ZoneInfo(time_zone)
        self.weekend = frozenset(weekend)
        self.extra_days = frozenset(extra_days)
        self._holidays = holidays.country_holidays(country, subdiv=subdivision)
        self._between = {}  # (start day, end day) -> business days: a task list asks for the same pairs

    def with_extra_days(self, days) -> 'BusinessCalendar':
        clone = object.__new__(BusinessCalendar)
        clone.__dict__.update(self.__dict__, extra_days=frozenset(days))
        clone._between = {}  # counts depend on the extra days
        return clone

    def settings(self) -> dict:
        """What rebuilds this calendar elsewhere (the sandbox's child process), as plain data."""
        return {'country': self.country, 'subdivision': self.subdivision, 'time_zone': self.zone.key,
                'weekend': sorted(self.weekend), 'extra_days': sorted(d.isoformat() for d in self.extra_days)}

    def is_business_day(self, day: date) -> bool:
        return (day.weekday() not in self.weekend and day not in self._holidays
                and day not in self.extra_days)

    def holiday_name(self, day: date) -> str | None:
        return self._holidays.get(day)

    def local(self, moment) -> datetime:
        return to_datetime(moment, self.zone).astimezone(self.zone)

    def add_business_days(self, start, n: int) -> datetime:
        """The same local time of day, `n` business days after (or before, if negative) `start`."""
        moment = self.local(start)
        day, step, left = moment.date(), (1 if n >= 0 else -1), abs(int(n))
        while left:
            day += timedelta(days=step)
            if self.is_business_day(day):
                left -= 1
        return datetime.combine(day, moment.timetz()).astimezone(timezone.utc)

    def end_of_business_day(self, moment) -> datetime:
        """23:59:59 local on the given day: "within N días hábiles" means by the end of the Nth."""
        local = self.local(moment)
        end = datetime.combine(local.date(), time(23, 59, 59), self.zone)
        return end.astimezone(timezone.utc)

    def business_days_between(self, start, end) -> int:
        """Business days after `start` up to and including `end` (negative if end is earlier)."""
        a, b = self.local(start).date(), self.local(end).date()
        if (a, b) not in self._between:
            if len(self._between) > 50_000:
                self._between.clear()
            self._between[a, b] = self._count_between(a, b)
        return self._between[a, b]

    def _count_between(self, a, b) -> int:
        sign = 1
        if b < a:
            a, b, sign = b, a, -1
        count, day = 0, a
        while day < b:
            day += timedelta(days=1)
            if self.is_business_day(day):
                count += 1
        return sign * count


def to_datetime(value, zone=timezone.utc) -> datetime:
    """Accept an aware/naive datetime, a date or an ISO string; naive values are in `zone`."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    elif isinstance(value, date) and not isinstance(value, datetime):
        value = datetime.combine(value, time(0, 0))
    if not isinstance(value, datetime):
        raise TypeError(f'se esperaba una fecha, no {value!r}')
    if value.tzinfo is None:
        value = value.replace(tzinfo=zone)
    return value
