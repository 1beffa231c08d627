"""Adjustments to SpiffWorkflow 3.2 that the engine depends on, applied once at import.

- Timer definitions call `datetime.now(timezone.utc)` directly; we give that module a datetime
  whose `now()` reads the engine clock, so tests and the demo can move time.
- The task iterator stops descending at depth 1000, so a case that loops ~330 times stops
  seeing its READY tasks. Loops are legitimate in our processes (analysis -> not effective ->
  analysis again), so the default depth is raised far beyond any real case.
- A workflow built without a script engine (the serializer builds them so before the engine
  attaches its own) would get SpiffWorkflow's default, which hands diagram text to `exec` and
  `eval`. That default is replaced by one that refuses to evaluate anything, so no path can
  run diagram text outside the sandbox.
- A call activity's `camunda:inputParameter`s (read by our parser, SpiffWorkflow drops them)
  become data of the called process's start, evaluated in the sandbox as a service task's
  are: one reusable process (tell the client, treat a non-conformity) takes what it needs from
  each call without a script before it.
"""
from datetime import datetime

from SpiffWorkflow.bpmn import workflow as _workflow
from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine
from SpiffWorkflow.bpmn.specs.mixins.subworkflow_task import CallActivity
from SpiffWorkflow.bpmn.specs.event_definitions import timer as _timer
from SpiffWorkflow.util import task as _task_util

from .clock import clock

MAX_TREE_DEPTH = 10_000_000


class ClockDatetime(datetime):
    @classmethod
    def now(cls, tz=None):
        moment = clock.now()
        return moment.astimezone(tz) if tz is not None else moment.replace(tzinfo=None)


_timer.datetime = ClockDatetime

_defaults = list(_task_util.TaskIterator.__init__.__defaults__)
# signature: (task, end_at_spec=None, max_depth=1000, depth_first=True, task_filter=None)
_defaults[1] = MAX_TREE_DEPTH
_task_util.TaskIterator.__init__.__defaults__ = tuple(_defaults)


class NoScriptEngine(PythonScriptEngine):
    """The default of a workflow until the engine attaches the sandboxed one: evaluates nothing."""

    def __init__(self, environment=None):
        super().__init__(environment=_NoEnvironment())


class _NoEnvironment:
    def evaluate(self, expression, context, external_context=None):
        raise RuntimeError('no hay motor de scripts del sandbox conectado a este flujo')

    execute = evaluate


_workflow.PythonScriptEngine = NoScriptEngine


_copy_call_data = CallActivity.copy_data


def _copy_call_inputs(self, my_task, subworkflow):
    _copy_call_data(self, my_task, subworkflow)
    inputs = getattr(getattr(self, 'camunda', None), 'inputs', None)
    if not inputs:
        return
    from .projections import evaluate_parameter  # late: projections imports this module's users
    start = subworkflow.get_next_task(subworkflow.task_tree, skip_subprocesses=True, spec_name='Start')
    evaluate = my_task.workflow.script_engine.evaluate
    start.data.update({param.name: evaluate_parameter(param, lambda expr: evaluate(my_task, expr))
                       for param in inputs})


CallActivity.copy_data = _copy_call_inputs
