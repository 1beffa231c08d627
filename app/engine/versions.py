"""Between two versions of a diagram: what changed, and moving running cases across.

`diff_summary` compares the BPMN elements of two files by id (ignoring layout), for the owner
who is about to deploy. `migrate_case` moves one running case to another version with
SpiffWorkflow's spec diff, but only when it is safe: no element the case already completed or
is waiting in was changed or removed (otherwise the case would claim a history it never had).
"""
from lxml import etree
from sqlalchemy import select
from SpiffWorkflow.bpmn.util.diff import SpecDiff, WorkflowDiff, migrate_workflow
from SpiffWorkflow.util.task import TaskState

from . import audit, serializer
from .clock import clock
from .errors import Conflict, NotFound
from .models import Case, Event, ProcessVersion
from .parser import BPMN_NS, read_xml
from .projections import Projector, StepNote, snapshot

LAYOUT_NAMESPACES = ('http://www.omg.org/spec/BPMN/20100524/DI', 'http://www.omg.org/spec/DD/20100524/DC',
                     'http://www.omg.org/spec/DD/20100524/DI')
LIVE = TaskState.READY | TaskState.STARTED | TaskState.WAITING
COMPLETION_KINDS = ('task_completed', 'service_completed', 'timer_fired', 'message_received',
                    'call_completed', 'element_completed')


def _elements(xml: str, process_id: str) -> dict[str, bytes]:
    """id -> canonical form of each element of the process (and its children), layout excluded."""
    tree = read_xml(xml)
    found = tree.getroot().xpath('//bpmn:process[@id=$id]', id=process_id, namespaces={'bpmn': BPMN_NS})
    elements = {}
    for node in (found[0].iter() if found else []):
        if not _is_element(node) or node is found[0]:
            continue
        copy = etree.fromstring(etree.tostring(node))
        for child in copy.iter():
            for nested in [c for c in child if _is_element(c)]:  # they count on their own
                child.remove(nested)
            # an editor re-indents the file on save: whitespace between tags is not a change
            if child.text is not None and not child.text.strip():
                child.text = None
            if child.tail is not None and not child.tail.strip():
                child.tail = None
        # exclusive: only the namespaces the element uses, not every one the file declares
        elements[node.get('id')] = etree.tostring(copy, method='c14n', exclusive=True)
    return elements


def _is_element(node) -> bool:
    """A diagram element in its own right; an event definition belongs to its event."""
    if not isinstance(node.tag, str) or not node.get('id'):
        return False
    name = etree.QName(node)
    return name.namespace not in LAYOUT_NAMESPACES and not name.localname.endswith('EventDefinition')


def diff_summary(old_xml: str | None, new_xml: str, process_id: str) -> dict:
    """{'added': [...], 'removed': [...], 'changed': [...]} element ids, sorted."""
    old = _elements(old_xml, process_id) if old_xml else {}
    new = _elements(new_xml, process_id)
    return {'added': sorted(set(new) - set(old)), 'removed': sorted(set(old) - set(new)),
            'changed': sorted(i for i in set(old) & set(new) if old[i] != new[i])}


def _changed_specs(spec_diff: SpecDiff) -> set[str]:
    """Names of specs SpiffWorkflow sees as changed or removed, plus changes only our own
    extensions carry (topic, inputs, candidate groups), which its serializer does not see.
    A change of declared properties alone (a public message, a milestone) changes no behaviour
    of a step already taken, so it does not count: events from now on carry the new facts."""
    names = {s.name for s in spec_diff.removed}
    for original, changes in spec_diff.changed.items():
        if list(changes) != ['extensions']:  # CamundaParser keeps only camunda:properties there
            names.add(original.name)
    for original, new in spec_diff.alignment.items():
        if new is not None and getattr(original, 'camunda', None) != getattr(new, 'camunda', None):
            names.add(original.name)
    return names


def migrate_case(session, specs, script_engine, case_id: int, to_version_id: int, actor: str) -> Case:
    """Move a running case to another version of its process; Conflict with the reason if unsafe."""
    case = session.execute(select(Case).where(Case.id == case_id).with_for_update()
                           .execution_options(populate_existing=True)).scalar_one_or_none()
    target = session.get(ProcessVersion, to_version_id)
    if case is None or target is None:
        session.rollback()
        raise NotFound('migration_target_missing', case_id=case_id, version_id=to_version_id)
    if case.state != 'running' or target.process_id != case.process_id:
        session.rollback()
        raise Conflict('migration_not_running', case_id=case_id)
    old_version = session.get(ProcessVersion, case.version_id)
    spec, sub_specs = specs.load(session, case.version_id, case.called_versions)
    called = specs.resolve_called(session, target)
    new_spec, new_sub_specs = specs.load(session, target.id, called)
    workflow = serializer.loads(case.workflow, spec, sub_specs, script_engine)
    registry = serializer.registry()

    diffs = [(workflow, SpecDiff(registry, workflow.spec, new_spec), new_spec)]
    for sub in workflow.subprocesses.values():
        if sub.spec.name not in new_sub_specs:
            raise _refuse(session, 'called_process_gone', process_id=sub.spec.name)
        diffs.append((sub, SpecDiff(registry, sub.spec, new_sub_specs[sub.spec.name]), new_sub_specs[sub.spec.name]))

    completed = set(session.execute(select(Event.process_id, Event.element_id).where(
        Event.case_id == case.id, Event.kind.in_(COMPLETION_KINDS))).all())
    blocking = set()
    for wf, spec_diff, _ in diffs:
        changed = _changed_specs(spec_diff)
        for task in wf.tasks.values():
            name = task.task_spec.name
            bpmn_id = getattr(task.task_spec, 'bpmn_id', None)
            if name in changed and bpmn_id and (task.state & LIVE or (wf.spec.name, bpmn_id) in completed):
                blocking.add(bpmn_id)
    if blocking:
        raise _refuse(session, 'migration_unsafe', elements=', '.join(sorted(blocking)))

    before = snapshot(workflow)
    for wf, spec_diff, target_spec in diffs:
        migrate_workflow(WorkflowDiff(wf, spec_diff), wf, target_spec)
    workflow.subprocess_specs = new_sub_specs
    now = clock.now()
    note = StepNote(actor=actor, extra_events=[dict(kind='case_migrated', process_id=case.process_id, data={
        'from_version': old_version.version, 'to_version': target.version})])
    projector = Projector(session, case, now)
    projector.apply(workflow, before, note)
    audit.append(session, case, projector.events)
    case.version_id, case.called_versions = target.id, called
    case.workflow = serializer.dumps(workflow)
    case.updated_at, case.revision = now, case.revision + 1
    session.commit()
    return case


def _refuse(session, code: str, **params) -> Conflict:
    session.rollback()
    return Conflict(code, **params)
