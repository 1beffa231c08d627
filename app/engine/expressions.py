"""Conditions, timers and input mappings as Python expressions, Camunda-style, run in the sandbox.

Diagrams written in Camunda Modeler carry `${...}` wrappers and ISO 8601 literals (`PT1H`,
`R/PT3D`, `2026-01-05T08:00:00-05:00`) where SpiffWorkflow expects Python. `normalize` strips the
wrapper and translates the JUEL inside it (`juel.translate`), the one function both lint and the
engine use, and `iso_literal` recognises a literal so it is returned as the string it is. Date
results are returned as aware UTC ISO strings, which is what SpiffWorkflow's timers parse.
"""
import ast
import functools
import re
from datetime import date, datetime, timezone

from SpiffWorkflow.bpmn.exceptions import WorkflowTaskException
from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine
from SpiffWorkflow.bpmn.script_engine.python_environment import BasePythonScriptEngineEnvironment
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition

from . import cron, juel, sandbox
from .business_days import BusinessCalendar, to_datetime
from .clock import clock
from .words import N_, Words

_WRAPPED = re.compile(r'^\s*[$#]\{(.*)\}\s*$', re.S)
_DURATION = re.compile(r'^P(?=\d|T\d)(\d+(\.\d+)?[YMWD])*(T(\d+(\.\d+)?[HMS])+)?$')
_CYCLE = re.compile(r'^R\d*/.+$')
_LOOKS_ISO = re.compile(r'^(P(T?\d|\d)|R\d*/)')
_DATETIME = re.compile(r'^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$')


def normalize(expression: str) -> str:
    """Strip whitespace and a Camunda `${...}` / `#{...}` wrapper, translating the JUEL inside
    it to Python (`${!approved}` -> `not approved`); text without a wrapper is Python already."""
    text = (expression or '').strip()
    match = _WRAPPED.match(text)
    return juel.translate(match.group(1).strip()) if match else text


def is_wrapped(expression: str) -> bool:
    return bool(_WRAPPED.match((expression or '').strip()))


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
                raise ValueError(Words(N_('el intervalo debe ser mayor que cero')))
        elif kind == 'timeDuration':
            TimerEventDefinition.parse_iso_duration(text)
        else:
            datetime.fromisoformat(text.replace('Z', '+00:00'))
    except Exception as error:
        detail = error.args[0] if isinstance(error, ValueError) and error.args and isinstance(
            error.args[0], Words) else str(error)
        raise ValueError(Words(N_('%(kind)s %(text)s no es ISO 8601 válido (%(error)s)'), kind=kind,
                               text=repr(text), error=detail)) from None


def expression_problems(expression: str) -> list[str]:
    """Why an expression (after normalizing) cannot run in the sandbox, or is JUEL with no Python
    equivalent (named with the rewrite to use); [] if it can run."""
    python = normalize(expression)
    found = juel.refusals(python) if is_wrapped(expression) else []
    checked = sandbox.problems(python, 'eval')
    if found:  # the JUEL rewrite says more than Python's syntax error on the same text
        checked = [p for p in checked if not p.startswith('no es Python válido')]
    return checked + found


def script_problems(script: str) -> list[str]:
    """Why a script task's text cannot run in the sandbox; [] if it can."""
    return sandbox.problems(script or '', 'exec')


@functools.lru_cache(maxsize=4096)
def names_read(source: str) -> frozenset | None:
    """Every name an expression mentions, or None if it does not parse (the sandbox says why).
    Sending only these to the sandbox's child spares encoding and decoding the whole case data
    on every condition; no sandbox function reads the data by itself, so nothing else is needed."""
    try:
        tree = ast.parse(source, mode='eval')
    except (SyntaxError, ValueError):
        return None
    return frozenset(node.id for node in ast.walk(tree) if isinstance(node, ast.Name))


def _iso(value) -> str:
    return value.astimezone(timezone.utc).isoformat()


class SandboxEnvironment(BasePythonScriptEngineEnvironment):
    """SpiffWorkflow's script environment, replaced as its documentation advises: every
    expression and script of a diagram is evaluated in the sandbox's child process, never here.
    SpiffWorkflow calls this directly too (process completion conditions, message correlation)."""

    def __init__(self, calendar: BusinessCalendar, limits: sandbox.Limits, pool: sandbox.Sandbox):
        super().__init__({})
        self.limits, self.pool = limits, pool
        self.calendar_settings = calendar.settings()

    def evaluate(self, expression, context, external_context=None):
        source = normalize(expression)
        data = {**(external_context or {}), **context}
        read = names_read(source)
        if read is not None:  # the child gets what the expression reads, not the whole case
            data = {name: data[name] for name in read if name in data}
        return self.pool.evaluate(source, data, clock.now(), self.calendar_settings, self.limits)

    def execute(self, script, context, external_context=None):
        result = self.pool.execute(script, dict(context), clock.now(), self.calendar_settings,
                                   self.limits, external=external_context)
        context.clear()
        context.update(result)
        return True


class CaseScriptEngine(PythonScriptEngine):
    """SpiffWorkflow's script engine on the sandbox, with the Camunda shims (`${}`, ISO literals)
    and errors that name the text and what went wrong in it."""

    def __init__(self, calendar: BusinessCalendar, limits: sandbox.Limits | None = None,
                 pool: sandbox.Sandbox | None = None):
        self.calendar = calendar
        super().__init__(environment=SandboxEnvironment(calendar, limits or sandbox.Limits(),
                                                        pool or sandbox.default))

    def evaluate(self, task, expression, external_context=None):
        literal = iso_literal(expression)
        if literal is not None:
            return self._aware_literal(literal)
        if cron.looks_like_cron(normalize(expression)):  # a Camunda cron timeCycle
            cycle = cron.to_iso(normalize(expression), clock.now(), self.calendar.zone)
            if cycle is None:
                raise WorkflowTaskException(str(cron.refusal(normalize(expression))), task=task)
            return cycle
        try:
            result = self.environment.evaluate(expression, task.data, external_context)
        except sandbox.SandboxError as error:
            raise WorkflowTaskException(f'Error al evaluar «{normalize(expression)}»: {error.message}',
                                        task=task, exception=error) from None
        if isinstance(result, (datetime, date)):
            return _iso(to_datetime(result, self.calendar.zone))
        return result

    def execute(self, task, script, external_context=None):
        try:
            return self.environment.execute(script, task.data, external_context)
        except sandbox.SandboxError as error:
            where = f' (línea {error.line})' if error.line and error.kind != 'refused' else ''
            lines = (script or '').splitlines()
            raise WorkflowTaskException(
                f'Error en el script{where}: {error.message}', task=task, exception=error,
                line_number=error.line or 0,
                error_line=lines[error.line - 1] if error.line and error.line <= len(lines) else ''
            ) from None

    def _aware_literal(self, text: str) -> str:
        """A naive date-time literal, alone or as a cycle's start (`R/2026-01-05T09:00:00/P1D`),
        means the organisation's local time, never the server's."""
        if _DATETIME.match(text):
            return _iso(to_datetime(text.replace('Z', '+00:00'), self.calendar.zone))
        parts = text.split('/')
        if _CYCLE.match(text) and len(parts) == 3 and _DATETIME.match(parts[1]):
            parts[1] = _iso(to_datetime(parts[1].replace('Z', '+00:00'), self.calendar.zone))
            return '/'.join(parts)
        return text
