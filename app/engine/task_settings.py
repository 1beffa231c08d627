"""Who may take a user task and how urgent it is, worked out when the task opens.

- `camunda:candidateUsers` and `camunda:candidateGroups`: comma-separated names and `${...}`
  expressions (`lider_proceso, ${'area:' + responsible_area}`), each expression giving a name
  or a list of names.
- `camunda:priority`: an integer, or a `${...}` expression giving one; higher comes first in
  the task list.

Expressions run in the sandbox on the task's data. One that fails, or gives what is not a name
(or an integer), never stops the case: the task opens without it (with its static names) and
the refusal (`{'attribute', 'value', 'reason'}`) goes to the case history as
`task_setting_refused`, as for the task's dates (task_dates.py).
"""
from .expressions import is_wrapped, normalize
from .models import NO_PRIORITY

NAME_LENGTH = 100  # HumanTaskGroup.group, HumanTaskUser.username
PRIORITY_RANGE = (NO_PRIORITY + 1, 2**31 - 1)  # an SQL INTEGER above how "no priority" sorts


def _evaluate(task, text):
    return task.workflow.script_engine.evaluate(task, normalize(text))


def _names(task, texts, attribute, refusals) -> list[str]:
    names = []
    for text in texts:
        if not is_wrapped(text):
            names.append(text)
            continue
        try:
            value = _evaluate(task, text)
            values = value if isinstance(value, (list, tuple)) else str(value or '').split(',')
            if not all(isinstance(v, (str, int)) and not isinstance(v, bool) for v in values):
                raise ValueError(f'se esperaba un nombre o una lista de nombres, no {value!r}')
        except Exception as error:  # a diagram's expression may fail in many ways; none stops the case
            refusals.append({'attribute': attribute, 'value': text, 'reason': str(error)})
            continue
        names += [str(v).strip() for v in values if str(v).strip()]
    return list(dict.fromkeys(n[:NAME_LENGTH] for n in names))


def candidate_users(task, refusals) -> list[str]:
    return _names(task, task.task_spec.camunda.candidate_users, 'camunda:candidateUsers', refusals)


def candidate_groups(task, refusals) -> list[str]:
    return _names(task, task.task_spec.camunda.candidate_groups, 'camunda:candidateGroups', refusals)


def as_priority(value) -> int:
    """An integer priority from what a literal or an expression gave; ValueError (Spanish)."""
    if isinstance(value, bool):
        raise ValueError(f'la prioridad debe ser un número entero, no {value!r}')
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and value.strip().lstrip('+-').isdigit():
        value = int(value.strip())
    if not isinstance(value, int):
        raise ValueError(f'la prioridad debe ser un número entero, no {value!r}')
    low, high = PRIORITY_RANGE
    if not low <= value <= high:
        raise ValueError(f'la prioridad {value} está fuera del rango {low}..{high}')
    return value


def priority(task, refusals) -> int | None:
    text = (task.task_spec.camunda.priority or '').strip()
    if not text:
        return None
    try:
        return as_priority(_evaluate(task, text) if is_wrapped(text) else text)
    except Exception as error:  # as for the names: the task opens without a priority
        refusals.append({'attribute': 'camunda:priority', 'value': text, 'reason': str(error)})
        return None
