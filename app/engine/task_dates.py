"""`camunda:dueDate` and `camunda:followUpDate` of a user task, worked out when the task opens.

A value is an ISO 8601 date-time or date (naive means the organisation's time zone), an ISO
duration counted from the moment the task opens (`P3D`), or a `${...}` expression evaluated in
the sandbox that gives one of those (`${add_business_days(now(), 2)}`). Camunda's Java calls
(`${dateTime().plusDays(2)}`) cannot run here: lint refuses them with the rewrite to use.
"""
import re
from datetime import datetime, time, timedelta

from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition

from .business_days import to_datetime
from .expressions import normalize

_DATE_ONLY = re.compile(r'^\d{4}-\d{2}-\d{2}$')
_JAVA_CALL = re.compile(r'\b(dateTime|DateTime|new\s+Date|Calendar\.getInstance)\s*\(|'
                        r'\.(plus|minus)(Years|Months|Weeks|Days|Hours|Minutes|Seconds)\s*\(|'
                        r'\.(toDate|toLocalDate|getTime)\s*\(')
_PLUS = re.compile(r'\.plus(Days|Hours|Weeks|Minutes)\s*\(\s*(\d+)\s*\)')
ATTRIBUTES = {'due_date': 'camunda:dueDate', 'follow_up_date': 'camunda:followUpDate'}


def java_rewrite(expression: str) -> str | None:
    """For an expression written with Camunda's Java date API, the sandbox one to use instead."""
    if not _JAVA_CALL.search(expression or ''):
        return None
    found = _PLUS.search(expression)
    unit, n = (found.group(1).lower(), found.group(2)) if found else ('days', '2')
    if unit == 'days':
        return (f'${{add_business_days(now(), {n})}} (días hábiles) o '
                f'${{datetime.now(timezone.utc) + timedelta(days={n})}} (días calendario)')
    return f'${{datetime.now(timezone.utc) + timedelta({unit}={n})}}'


def as_moment(value, opened: datetime, zone) -> datetime | None:
    """A due/follow-up value as an aware datetime: a duration counts from `opened`, a date alone
    means the end of that day. ValueError (in Spanish) for anything else."""
    if value is None or value == '':
        return None
    if isinstance(value, str):
        text = value.strip()
        if text.startswith('P'):
            try:
                parsed = TimerEventDefinition.parse_iso_duration(text)
                return opened + TimerEventDefinition.get_timedelta_from_start(parsed, opened)
            except Exception:
                raise ValueError(f'{text!r} no es una duración ISO 8601') from None
        if _DATE_ONLY.match(text):
            return to_datetime(datetime.combine(datetime.fromisoformat(text).date(), time(23, 59, 59)), zone)
        try:
            return to_datetime(text.replace('Z', '+00:00'), zone)
        except ValueError:
            raise ValueError(f'{text!r} no es una fecha ISO 8601') from None
    if isinstance(value, timedelta):
        return opened + value
    try:
        return to_datetime(value, zone)
    except TypeError:
        raise ValueError(f'se esperaba una fecha o una duración, no {value!r}') from None


def task_moment(task, text: str | None, opened: datetime) -> datetime | None:
    """The moment `text` (a dueDate / followUpDate) names for `task`, evaluated through the
    case's script engine (the sandbox); raises ValueError or the engine's evaluation error."""
    if not (text or '').strip():
        return None
    engine = task.workflow.script_engine
    zone = getattr(getattr(engine, 'calendar', None), 'zone', None) or opened.tzinfo
    literal = normalize(text)
    if _DATE_ONLY.match(literal):  # the engine would read it as midnight
        return as_moment(literal, opened, zone)
    return as_moment(engine.evaluate(task, text.strip()), opened, zone)
