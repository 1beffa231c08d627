"""Workflows kept deserialised between steps, per process.

Restoring a case's workflow from its JSON costs more than running SpiffWorkflow's step on it.
A process that has just saved a case usually moves it next as well (the same staff member's
next task arrives on the same keep-alive connection; a worker runs the service call it queued),
so the workflow it saved is kept in memory and used again, as long as nothing else changed
the case since:

- an entry is the workflow exactly as this process committed it, with the case's revision after
  that commit; every writer of `Case.workflow` bumps the revision, so a case moved by another
  process (or migrated) no longer matches and is restored from the database;
- `take` removes the entry: the step owns the object while it runs (under the case's row lock),
  and only a step that commits puts it back. A step that fails leaves nothing behind, so a
  half-run workflow is never reused;
- an entry also has to hang on the very spec objects the process would build now: a rebuilt
  spec library starts from the database again.
"""
import threading
from collections import OrderedDict


class WorkflowCache:
    def __init__(self, size: int = 200):
        self.size = size
        self._entries = OrderedDict()  # case id -> (revision, workflow)
        self._lock = threading.Lock()

    def take(self, case_id: int, revision: int, spec):
        """The workflow saved at `revision` of case `case_id` on `spec`, or None."""
        with self._lock:
            entry = self._entries.pop(case_id, None)
        if entry is None or entry[0] != revision or entry[1].spec is not spec:
            return None
        return entry[1]

    def put(self, case_id: int, revision: int, workflow) -> None:
        """Keep `workflow` as committed at `revision`; the least recently saved go first."""
        if self.size <= 0:
            return
        with self._lock:
            self._entries[case_id] = (revision, workflow)
            self._entries.move_to_end(case_id)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def __len__(self):
        return len(self._entries)
