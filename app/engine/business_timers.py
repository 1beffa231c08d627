"""Timers that count days as business days (días hábiles) of the engine's calendar.

A timer event (boundary or intermediate catch) whose element declares the extension property
`business_days` = `true` counts the days of its `timeDuration` / `timeCycle` on the calendar
(weekends, the country's holidays, the admin's extra non-working days), keeping the time of
day: `P2D` fires two business days after the timer was reached, `R/P3D` every three business
days from then, `R3/P2D` three times; a cycle may name its first fire (`R/2026-12-04T10:00/P3D`).
Only whole days (`PnD`) can be counted so; lint refuses anything else at deploy, and a value
an expression gives at run time is refused with the same words.

SpiffWorkflow keeps a timer's fire time in the task's `internal_data['event_value']` (a cycle's
in `['next']`): these definitions compute it with the calendar, so the timer table
(projections.timer_due) schedules the business-day moment. The parser swaps them in on the
specs (`count_business_days`) once the declared facts are known.
"""
import re
from datetime import datetime

from SpiffWorkflow.bpmn.exceptions import WorkflowTaskException
from SpiffWorkflow.bpmn.specs.defaults import EventBasedGateway
from SpiffWorkflow.bpmn.specs.event_definitions.timer import (CycleTimerEventDefinition,
                                                            DurationTimerEventDefinition,
                                                            TimerEventDefinition)

from .business_days import BusinessCalendar, to_datetime
from .clock import clock
from .facts import BUSINESS_DAYS, TRUE_VALUES, declared, declared_value
from .words import N_, Words

WHOLE_DAYS = re.compile(r'^P(\d+)D$')
ONLY_DAYS = N_("Con business_days=true el temporizador cuenta días hábiles: use días enteros "
               "('P2D', 'R/P3D', 'R3/P2D' o 'R/<inicio>/P3D'), no %(value)s.")


def days_of(duration: str) -> int | None:
    """n of a `PnD` duration, else None."""
    found = WHOLE_DAYS.match((duration or '').strip().upper())
    return int(found.group(1)) if found and int(found.group(1)) > 0 else None


def cycle_parts(text: str) -> tuple[int, str | None, int] | None:
    """(cycles, start or None, n) of `R[k]/PnD` or `R[k]/<start>/PnD`; cycles -1 is forever;
    None if it is not such a cycle."""
    parts = (text or '').strip().upper().split('/')
    if len(parts) not in (2, 3) or not re.fullmatch(r'R\d*', parts[0]):
        return None
    days = days_of(parts[-1])
    if days is None:
        return None
    start = text.strip().split('/')[1] if len(parts) == 3 else None
    if start is not None:
        try:
            to_datetime(start.replace('Z', '+00:00'))
        except (TypeError, ValueError):
            return None
    return (int(parts[0][1:]) if parts[0][1:] else -1), start, days


def literal_problem(text: str, kind: str):
    """Why an ISO literal cannot be counted in business days (for lint), or None."""
    if kind == 'timeDate':
        return Words(N_('Con business_days=true el temporizador debe ser timeDuration o timeCycle '
                        '(una fecha, %(value)s, no se cuenta en días hábiles).'), value=repr(text))
    fits = days_of(text) if kind == 'timeDuration' else cycle_parts(text)
    return None if fits is not None else Words(ONLY_DAYS, value=repr(text))


def _calendar(task) -> BusinessCalendar:
    return task.workflow.script_engine.calendar


def _refused(task, value):
    return WorkflowTaskException(ONLY_DAYS % {'value': repr(value)}, task=task)


class BusinessDurationTimer(DurationTimerEventDefinition):
    """`timeDuration` PnD: fires n business days after the timer was reached."""

    def has_fired(self, my_task):
        if my_task._get_internal_data('event_value') is None:
            value = my_task.workflow.script_engine.evaluate(my_task, self.expression)
            days = days_of(str(value))
            if days is None:
                raise _refused(my_task, value)
            due = _calendar(my_task).add_business_days(clock.now(), days)
            my_task._set_internal_data(event_value=due.isoformat())
        return super().has_fired(my_task)


class BusinessCycleTimer(CycleTimerEventDefinition):
    """`timeCycle` R[k]/PnD: fires every n business days from when it was reached (or from its
    start); `event_value` keeps SpiffWorkflow's keys plus `business_days` = n."""

    def cycle_complete(self, my_task):
        value = my_task._get_internal_data('event_value')
        if value is None:
            value = self._first(my_task)
        ready = False
        if value['cycles'] != 0:
            next_event = datetime.fromisoformat(value['next'])
            if next_event < clock.now():
                following = _calendar(my_task).add_business_days(next_event, value['business_days'])
                value['next'] = following.isoformat()
                value['duration'] = (following - next_event).total_seconds()
                value['cycles'] -= 1
                ready = True
        else:  # as SpiffWorkflow's cycle: every round ran
            my_task.internal_data.pop('event_value', None)
            my_task.internal_data['event_fired'] = True
        my_task._set_internal_data(event_value=value)
        return ready

    def _first(self, my_task) -> dict:
        text = my_task.workflow.script_engine.evaluate(my_task, self.expression)
        parts = cycle_parts(str(text))
        if parts is None:
            raise _refused(my_task, text)
        cycles, start, days = parts
        calendar = _calendar(my_task)
        first = (TimerEventDefinition.get_datetime(start.replace('Z', '+00:00')) if start
                 else calendar.add_business_days(clock.now(), days))
        return {'cycles': cycles, 'next': first.isoformat(), 'duration': days * 86400.0,
                'business_days': days}


def fired_rounds(task, value: dict, previous_due: datetime) -> int:
    """Rounds a business-day cycle ran since its next fire time was `previous_due`."""
    moved = _calendar(task).business_days_between(previous_due, datetime.fromisoformat(value['next']))
    return max(0, moved // value['business_days'])


SWAPS = {DurationTimerEventDefinition: BusinessDurationTimer, CycleTimerEventDefinition: BusinessCycleTimer}


def _definition_of(spec):
    """The timer definition an event waits on: its own, or its event-based gateway's."""
    for source in getattr(spec, 'inputs', ()):
        if isinstance(source, EventBasedGateway):
            return source.event_definition.event_definitions[source.outputs.index(spec)]
    return getattr(spec, 'event_definition', None)


def count_business_days(spec) -> None:
    """Make each timer of `spec` that declares business_days = true count business days."""
    for task_spec in spec.task_specs.values():
        if declared_value(declared(task_spec), BUSINESS_DAYS) not in TRUE_VALUES:
            continue
        definition = _definition_of(task_spec)
        business = SWAPS.get(type(definition))
        if business is not None:  # the spec is parsed for this case library alone: safe to swap
            definition.__class__ = business
