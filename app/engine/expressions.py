"""Conditions, timers and input mappings as Python expressions, Camunda-style.

Diagrams written in Camunda Modeler carry `${...}` wrappers and ISO 8601 literals (`PT1H`,
`R/PT3D`, `2026-01-05T08:00:00-05:00`) where SpiffWorkflow expects Python. `normalize` strips the
wrapper, and `iso_literal` recognises a literal so it is returned as the string it is. Date
results are returned as aware UTC ISO strings, which is what SpiffWorkflow's timers parse.
"""
import re
from datetime import date, datetime, timezone

from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine, TaskDataEnvironment
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition

from .business_days import BusinessCalendar, to_datetime
from .clock import clock

_WRAPPED = re.compile(r'^\s*[$#]\{(.*)\}\s*$', re.S)
_DURATION = re.compile(r'^P(?=\d|T\d)(\d+(\.\d+)?[YMWD])*(T(\d+(\.\d+)?[HMS])+)?$')
_CYCLE = re.compile(r'^R\d*/.+$')
_LOOKS_ISO = re.compile(r'^(P(T?\d|\d)|R\d*/)')
_DATETIME = re.compile(r'^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$')


def normalize(expression: str) -> str:
    """Strip whitespace and a Camunda `${...}` / `#{...}` wrapper."""
    text = (expression or '').strip()
    match = _WRAPPED.match(text)
    return match.group(1).strip() if match else text


def iso_literal(expression: str) -> str | None:
    """The expression itself if it is an ISO 8601 duration, cycle or date-time, else None."""
    text = normalize(expression)
    if _DURATION.match(text) or _CYCLE.match(text) or _DATETIME.match(text):
        return text
    return None


def looks_iso(expression: str) -> bool:
    """Meant as an ISO literal (`PT5X`, `R3/PTXH`), even if malformed: such text is also a
    valid Python name, so it must be checked as ISO rather than compiled."""
    return bool(_LOOKS_ISO.match(normalize(expression)))


def check_timer_literal(text: str, kind: str) -> None:
    """Raise ValueError if an ISO literal does not parse for this kind of timer."""
    try:
        if kind == 'timeCycle':
            cycles, start, duration = TimerEventDefinition.parse_iso_recurring_interval(text)
            if duration.total_seconds() <= 0:
                raise ValueError('el intervalo debe ser mayor que cero')
        elif kind == 'timeDuration':
            TimerEventDefinition.parse_iso_duration(text)
        else:
            datetime.fromisoformat(text.replace('Z', '+00:00'))
    except Exception as error:
        raise ValueError(f'{kind} {text!r} no es ISO 8601 válido ({error})') from None


def compile_expression(expression: str):
    """Compile an expression (after normalizing) to check it; raises SyntaxError."""
    return compile(normalize(expression), '<expresión>', 'eval')


def _iso(value) -> str:
    return value.astimezone(timezone.utc).isoformat()


def expression_functions(calendar: BusinessCalendar) -> dict:
    """What a diagram's expressions may call, besides the case data. Dates come back as ISO."""
    def now():
        return _iso(clock.now())

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

    return {
        'now': now,
        'add_business_days': add_business_days,
        'business_deadline': business_deadline,
        'business_days_between': business_days_between,
        'is_business_day': is_business_day,
        'parse_date': parse_date,
    }


class CaseScriptEngine(PythonScriptEngine):
    """SpiffWorkflow's Python engine with the Camunda shims and the business-day functions."""

    def __init__(self, calendar: BusinessCalendar):
        self.calendar = calendar
        super().__init__(environment=TaskDataEnvironment(expression_functions(calendar)))

    def evaluate(self, task, expression, external_context=None):
        literal = iso_literal(expression)
        if literal is not None:
            return self._aware_literal(literal)
        result = super().evaluate(task, normalize(expression), external_context)
        if isinstance(result, datetime):
            return _iso(to_datetime(result, self.calendar.zone))
        if isinstance(result, date):
            return _iso(to_datetime(result, self.calendar.zone))
        return result

    def _aware_literal(self, text: str) -> str:
        """A naive date-time literal means the organisation's local time, never the server's."""
        if _DATETIME.match(text):
            return _iso(to_datetime(text.replace('Z', '+00:00'), self.calendar.zone))
        return text
