"""Case-wide variables: one value per case, as Camunda's process variables, for the names a
process declares in its `shared_variables` property (see facts.py).

SpiffWorkflow gives every task its own copy of the data: a value a user task writes in one
branch never reaches a boundary timer armed earlier, a parallel branch or a called process that
is already running. A deadline that an extension or a pause moves must reach all of them, so
after every step the engine:

1. finds what the step wrote: every task (all states, every called process) starts a step with
   the case's values, so a task whose value now differs was written by this step or inherited
   it from a task that was; when two tasks disagree, the one whose state changed last wins;
2. stores the values on `Case.variables` and copies them into every task of the case, finished
   ones included (SpiffWorkflow's joins and later tasks inherit from finished tasks);
3. re-evaluates the date of every waiting date timer whose expression reads a changed name, so
   the timer moves with the deadline it watches.
"""
import re

from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimeDateEventDefinition
from SpiffWorkflow.util.task import TaskState

from .facts import SHARED_VARIABLES, declared
from .projections import iter_tasks, json_safe, timer_of

_SEPARATORS = re.compile(r'[\s,;]+')
_IDENTIFIER = re.compile(r'^[A-Za-z_][A-Za-z0-9_]*$')
_ABSENT = object()  # differs from every value


def names_of(text: str | None) -> list[str]:
    """The variable names a `shared_variables` property lists (empty entries skipped)."""
    return [name for name in _SEPARATORS.split(text or '') if name]


def invalid_names(text: str | None) -> list[str]:
    """The entries of a `shared_variables` property that are not variable names (for lint)."""
    return [name for name in names_of(text) if not _IDENTIFIER.match(name)]


def shared_names(workflow) -> tuple[str, ...]:
    """Names declared case-wide by the case's process or any process it calls."""
    specs = [workflow.spec, *getattr(workflow, 'subprocess_specs', {}).values()]
    found = []
    for spec in specs:
        for name in names_of(declared(spec).get(SHARED_VARIABLES)):
            if name not in found and _IDENTIFIER.match(name):
                found.append(name)
    return tuple(found)


def share(workflow, case) -> set[str]:
    """Steps 1 and 2 above; returns the names whose value changed."""
    names = shared_names(workflow)
    if not names:
        return set()
    values = dict(case.variables or {})
    tasks = list(iter_tasks(workflow))
    changed = set()
    for name in names:
        old = values.get(name, _ABSENT)
        written = [t for t in tasks if name in t.data and not _same(t.data[name], old)]
        if written:  # the task whose state changed last wins
            values[name] = _plain(max(written, key=lambda t: t.last_state_change).data[name])
            changed.add(name)
    if changed:
        case.variables = values  # a new dict, so the JSON column is seen as changed
    for task in tasks:
        for name in names:
            if name in values:
                task.data[name] = values[name]
    return changed


def settle(workflow, case, rounds=5) -> set[str]:
    """Share, then move the timers the change concerns; a timer moved into the past fires now,
    and what it runs may write the variables again (a few rounds at most). Returns every name
    whose value changed."""
    changed = set()
    for _ in range(rounds):
        now_changed = share(workflow, case)
        changed |= now_changed
        if not rearm(workflow, now_changed):
            break
        workflow.refresh_timers()
        workflow.do_engine_steps()
    return changed


def rearm(workflow, changed: set[str]) -> int:
    """Step 3 above; returns how many timers moved."""
    if not changed:
        return 0
    pattern = re.compile(r'\b(' + '|'.join(map(re.escape, sorted(changed))) + r')\b')
    moved = 0
    for task in iter_tasks(workflow):
        if task.state != TaskState.WAITING:
            continue
        timer = timer_of(task.task_spec)
        if not isinstance(timer, TimeDateEventDefinition) or not pattern.search(timer.expression or ''):
            continue
        value = workflow.script_engine.evaluate(task, timer.expression)
        if value != task._get_internal_data('event_value'):
            task._set_internal_data(event_value=value)
            moved += 1
    return moved


_SCALARS = (str, int, float, bool, type(None))


def _plain(value):
    """The value as the JSON column keeps it (dates as ISO text), so comparisons are stable."""
    return value if type(value) in _SCALARS else json_safe(value)


def _same(value, stored) -> bool:
    """Whether a task's `value` is what the column holds. Most values are text, numbers or
    flags, compared as they are (type too: JSON tells 1 from true); only others take the JSON
    round trip, which made this check most of a step's cost."""
    if type(value) in _SCALARS:
        return type(value) is type(stored) and value == stored
    return json_safe(value) == stored
