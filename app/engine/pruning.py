"""Keep a case's task tree small: drop the finished past that no live task can reach.

SpiffWorkflow keeps every task it ever created, so each loop pass (analysis -> not effective
-> analysis) makes the tree deeper, and every step (load, run, save) costs more: ~5x slower at
300 passes than at 10, and ancestor walks recurse once per level. The history lives in our
event table, so the engine only needs what live tasks depend on: the subtree under the lowest
common ancestor of every unfinished task. Joins, boundary events, gateways and multi-instance
parents all sit inside that subtree (a join waits under the split that started its branches).
We keep that subtree plus a few ancestors, re-attach it to the root, and drop the rest, along
with the called-process workflows of call activities that were dropped.
"""
from SpiffWorkflow.util.task import TaskState

DONE = TaskState.COMPLETED | TaskState.CANCELLED
KEEP_ANCESTORS = 3
MIN_REMOVED = 48


def prune(workflow) -> int:
    """Prune the top workflow and each called process; returns how many tasks were dropped."""
    removed = sum(_prune_tree(wf) for wf in [workflow, *workflow.subprocesses.values()])
    if removed:
        _drop_orphan_subprocesses(workflow)
    return removed


def _ancestry(task) -> list:
    chain = []
    while task is not None:
        chain.append(task.id)
        task = task.parent
    return chain[::-1]


def _prune_tree(workflow) -> int:
    live = [t for t in workflow.tasks.values() if not t.has_state(DONE)]
    if not live or len(workflow.tasks) - len(live) <= MIN_REMOVED:  # too few finished to drop
        return 0
    common = _ancestry(live[0])
    for task in live[1:]:
        path = _ancestry(task)
        size = 0
        while size < min(len(common), len(path)) and common[size] == path[size]:
            size += 1
        common = common[:size]
    anchor_at = len(common) - 1 - KEEP_ANCESTORS
    if anchor_at <= 1:  # the root's direct child, or nothing to gain
        return 0
    root, anchor = workflow.task_tree, workflow.tasks[common[anchor_at]]
    keep, pending = {root.id}, [anchor.id]
    while pending:
        task_id = pending.pop()
        keep.add(task_id)
        pending.extend(workflow.tasks[task_id]._children)
    removed = len(workflow.tasks) - len(keep)
    if removed < MIN_REMOVED:
        return 0
    workflow.tasks = {tid: task for tid, task in workflow.tasks.items() if tid in keep}
    anchor._parent, root._children = root.id, [anchor.id]
    if workflow.last_task is not None and workflow.last_task.id not in keep:
        workflow.last_task = anchor
    return removed


def _drop_orphan_subprocesses(workflow) -> None:
    """Called-process workflows whose call activity task is gone, and theirs, recursively."""
    while True:
        present = set(workflow.tasks)
        for sub in workflow.subprocesses.values():
            present.update(sub.tasks)
        orphans = [task_id for task_id in workflow.subprocesses if task_id not in present]
        if not orphans:
            return
        for task_id in orphans:
            del workflow.subprocesses[task_id]
