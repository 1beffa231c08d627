"""Adjustments to SpiffWorkflow 3.2 that the engine depends on, applied once at import.

- Timer definitions call `datetime.now(timezone.utc)` directly; we give that module a datetime
  whose `now()` reads the engine clock, so tests and the demo can move time.
- The task iterator stops descending at depth 1000, so a case that loops ~330 times stops
  seeing its READY tasks. Loops are legitimate in our processes (analysis -> not effective ->
  analysis again), so the default depth is raised far beyond any real case.
"""
from datetime import datetime

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
