"""Cron `timeCycle` values (Camunda accepts Quartz cron, `0 0 9 * * ?`) as the ISO 8601 cycle the
timers run.

SpiffWorkflow 3.2 runs a cycle as a start plus a fixed interval, so a cron runs here when it is
one: every N seconds, minutes or hours (N dividing the minute, hour or day, so the times line up),
every day at one time, every week on one day at one time. The cycle starts at the cron's next
time after the timer is reached, in the organisation's time zone. A cron with no such equivalent
(weekdays only, several hours, a day of the month: months differ in length) is refused at deploy
with the reason, never approximated.
"""
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from .words import N_, Words

_FIELD = r'[0-9A-Za-z*?/,#\-]+'
_CRON = re.compile(rf'^\s*{_FIELD}(\s+{_FIELD}){{4,6}}\s*$')
DAYS = {'SUN': 0, 'MON': 1, 'TUE': 2, 'WED': 3, 'THU': 4, 'FRI': 5, 'SAT': 6}
DAY_NAMES = ['domingo', 'lunes', 'martes', 'miércoles', 'jueves', 'viernes', 'sábado']
_ANY = {'*', '?'}


def looks_like_cron(text: str) -> bool:
    """Five to seven cron fields, at least one a `*` or `?` (no Python expression looks so)."""
    return bool(_CRON.match(text or '')) and any(f in _ANY or '/' in f for f in text.split())


@dataclass(frozen=True)
class Cycle:
    """A cron as a fixed interval: `step` after `offset` past midnight (on `weekday`, if weekly)."""
    step: timedelta
    offset: timedelta = timedelta(0)
    weekday: int | None = None       # 0 = Sunday, as cron counts

    def first(self, now: datetime) -> datetime:
        """The cron's next time strictly after `now` (an aware time in the organisation's zone)."""
        base = now.replace(hour=0, minute=0, second=0, microsecond=0) + self.offset
        if self.weekday is not None:
            base += timedelta(days=(self.weekday - now.isoweekday() % 7) % 7)
        return base + ((now - base) // self.step + 1) * self.step

    def iso(self, now: datetime) -> str:
        return f'R/{self.first(now).isoformat()}/{_duration(self.step)}'


def _duration(step: timedelta) -> str:
    seconds = int(step.total_seconds())
    if seconds % 86400 == 0:
        return f'P{seconds // 86400}D'
    if seconds % 3600 == 0:
        return f'PT{seconds // 3600}H'
    if seconds % 60 == 0:
        return f'PT{seconds // 60}M'
    return f'PT{seconds}S'


def _number(field, low, high):
    return int(field) if field.isdigit() and low <= int(field) <= high else None


def _every(field, unit_count):
    """N for `*/N` or `0/N` when N divides the unit (60 seconds, 60 minutes, 24 hours); 1 for `*`."""
    if field == '*':
        return 1
    found = re.fullmatch(r'(\*|0)/(\d+)', field)
    if found and 0 < int(found.group(2)) < unit_count and unit_count % int(found.group(2)) == 0:
        return int(found.group(2))
    return None


def _weekday(field, unix=False):
    if field.upper() in DAYS:
        return DAYS[field.upper()]
    if unix:  # Unix cron: 0 (or 7) = Sunday
        return int(field) % 7 if field.isdigit() and int(field) <= 7 else None
    return int(field) - 1 if field.isdigit() and 1 <= int(field) <= 7 else None  # Quartz: 1 = SUN


def cycle_of(text: str) -> Cycle | None:
    """The fixed-interval equivalent of a Quartz (6-7 fields) or Unix (5 fields) cron, or None."""
    fields = text.split()
    unix = len(fields) == 5
    if unix:
        fields = ['0'] + fields
    if len(fields) == 7:
        if fields[6] != '*':
            return None
        fields = fields[:6]
    second, minute, hour, day, month, weekday = fields
    if month not in _ANY or day not in _ANY:
        return None  # a day of the month or a month: months differ in length
    s, m, h = _number(second, 0, 59), _number(minute, 0, 59), _number(hour, 0, 23)
    if None not in (s, m, h):
        at = timedelta(hours=h, minutes=m, seconds=s)
        if weekday in _ANY:
            return Cycle(timedelta(days=1), at)
        day_number = _weekday(weekday, unix)
        return Cycle(timedelta(days=7), at, day_number) if day_number is not None else None
    if weekday not in _ANY:
        return None
    if None not in (s, m) and (n := _every(hour, 24)):
        return Cycle(timedelta(hours=n), timedelta(minutes=m, seconds=s))
    if s is not None and hour == '*' and (n := _every(minute, 60)):
        return Cycle(timedelta(minutes=n), timedelta(seconds=s))
    if minute == '*' and hour == '*' and (n := _every(second, 60)):
        return Cycle(timedelta(seconds=n))
    return None


def to_iso(text: str, now: datetime, zone) -> str | None:
    """The ISO cycle a cron runs as from `now`, in the organisation's zone; None if it has none."""
    cycle = cycle_of(text)
    return cycle.iso(now.astimezone(zone)) if cycle else None


def refusal(text: str):
    """Why a cron cannot run here, and what to write instead."""
    return Words(N_("timeCycle '%(text)s' es una expresión cron sin equivalente ISO 8601 en este motor "
                    "(solo corre un inicio más un intervalo fijo: cada N segundos, minutos u horas, cada "
                    "día a una hora, o cada semana un día a una hora). Escríbala como ciclo ISO, p. ej. "
                    "'R/%(day)sT09:00:00/P1D' (cada día a las 9), y si solo vale en días hábiles, siga el "
                    "temporizador con una compuerta que pregunte is_business_day(now())."),
                 text=text, day=str(datetime(2026, 1, 5, 9, tzinfo=timezone.utc).date()))
