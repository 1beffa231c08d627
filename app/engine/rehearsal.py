"""A completion tried on a copy of the workflow, before the real step: would these answers
make the next step fail?

The copy is restored from the case's saved JSON (never the cached workflow the real step will
use), the task is completed with the proposed data, the engine runs until it waits, and the
inputs of every service task it reached are evaluated as the real step would queue them. That
covers the conditions of the gateways after the task (an error in one, or no flow taken), the
scripts on the way and what the next service tasks read. Nothing is written: the caller shows
the form again with what went wrong, the case stays where it was. All evaluation is the
sandbox's, through the engine's own script engine.
"""
import re
from dataclasses import dataclass

from SpiffWorkflow.bpmn.specs.mixins.service_task import ServiceTask
from SpiffWorkflow.util.task import TaskState

from .facts import other_names
from .models import Case
from .projections import evaluate_parameter, iter_tasks

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


def rehearse_completion(engine, case: Case, task_id, data: dict) -> list[CompletionProblem]:
    """[] when completing `task_id` with `data` would run; else what would fail (one problem:
    the engine stops at the first)."""
    workflow = engine.saved_workflow(case)
    task = engine._find_task(workflow, task_id)
    if task is None or task.state != TaskState.READY or not task.task_spec.manual:
        return []  # the real step refuses it with its own Conflict
    started = {t.id for t in iter_tasks(workflow) if t.state == TaskState.STARTED}
    current = task
    try:
        task.data.update(data)
        task.run()
        workflow.do_engine_steps()
        for current in iter_tasks(workflow):
            if (current.state == TaskState.STARTED and current.id not in started
                    and isinstance(current.task_spec, ServiceTask)):
                for param in current.task_spec.camunda.inputs:
                    evaluate_parameter(param, lambda expr, t=current: t.workflow.script_engine.evaluate(t, expr))
    except Exception as error:  # any failure of the rehearsed step is what the user must see
        return [_problem(error, current)]
    return []


def _problem(error, current) -> CompletionProblem:
    failed = getattr(error, 'task', None)  # a WorkflowException names only its spec
    spec = getattr(failed, 'task_spec', None) or getattr(error, 'task_spec', None) or current.task_spec
    text = f'{type(error).__name__}: {error}'
    missing = _MISSING.search(text)
    refused = _REFUSED.search(text)
    return CompletionProblem(element_id=getattr(spec, 'bpmn_id', None),
                             element_name=getattr(spec, 'bpmn_name', None),
                             element_names=other_names(spec),
                             missing=missing.group(1) if missing else None,
                             no_path=bool(_NO_PATH.search(text)), error=text,
                             refusal=refused.group(1).strip() if refused else None)
