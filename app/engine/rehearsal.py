"""Why a completion's answers would make its step fail, in terms the form can show.

A completion taken as `answerable` (Engine.complete_task) is its own rehearsal: the step runs
the engine until it waits, which covers the conditions of the gateways after the task (an error
in one, or no flow taken) and the scripts on the way, and its projection evaluates the inputs of
every service task it reached as the job will read them. When any of that fails, the step rolls
back, no incident is opened, and the error becomes a `CompletionProblem`: the caller shows the
form again with what went wrong and the case stays where it was. Trying the answers on a copy
first cost a second restore and run of the workflow on every completion.
"""
import re
from dataclasses import dataclass

from .errors import CompletionRefused, Conflict
from .facts import other_names

_MISSING = re.compile(r"NameError: name '([A-Za-z_][A-Za-z0-9_]*)' is not defined")
_NO_PATH = re.compile(r'No conditions satisfied')
# the sandbox's refuse(message) (sandbox/functions.py), without the period the engine's text adds
_REFUSED = re.compile(r'StepRefused: (.+?)\.?\s*$', re.M)


@dataclass
class CompletionProblem:
    """Why a completion would fail: on which element (id and name, if known), the variable
    it read that the data lacks (if that was it), whether no outgoing flow would be taken, and
    the engine's own text."""
    element_id: str | None
    element_name: str | None
    element_names: dict | None  # the name in other languages (facts.other_names)
    missing: str | None
    no_path: bool
    error: str
    refusal: str | None = None  # the diagram's own message, from refuse(): shown as written


def problem_of(error, completed_spec) -> CompletionProblem:
    """What `error`, raised while a completion's step ran, says: on the element it names, else
    on the completed task (`completed_spec`)."""
    failed = getattr(error, 'task', None)  # a WorkflowException names only its spec
    spec = getattr(failed, 'task_spec', None) or getattr(error, 'task_spec', None) or completed_spec
    text = f'{type(error).__name__}: {error}'
    missing = _MISSING.search(text)
    refused = _REFUSED.search(text)
    return CompletionProblem(element_id=getattr(spec, 'bpmn_id', None),
                             element_name=getattr(spec, 'bpmn_name', None),
                             element_names=other_names(spec),
                             missing=missing.group(1) if missing else None,
                             no_path=bool(_NO_PATH.search(text)), error=text,
                             refusal=refused.group(1).strip() if refused else None)


def refusal(engine, task_id):
    """What a step completing `task_id` raises when it fails: CompletionRefused with the problem."""
    def refused(error, workflow):
        task = engine._find_task(workflow, task_id)
        return CompletionRefused([problem_of(error, task and task.task_spec)])
    return refused


def dry_run(engine, task_id, data) -> list[CompletionProblem]:
    """The real step, rolled back whatever happens (its moved workflow is not kept either)."""
    try:
        engine.complete_task(task_id, data, 'rehearsal', commit=False, answerable=True)
    except CompletionRefused as refused:
        return refused.problems
    except Conflict:
        return []  # the real step refuses it with its own Conflict
    finally:
        engine.session.rollback()
    return []
