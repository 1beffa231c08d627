"""The executed path of a case, from its history (never from the workflow, which forgets).

For each diagram the case ran (its own version and the versions of the processes it called):
every element with its state (completed, active, cancelled, failed) and how many times it ran,
who touched it last and when, and the sequence flows actually taken, with how often. A flow is
taken when an element is reached from the element the history names before it. `as_of` replays
the path up to a given event.
"""
from collections import defaultdict

from sqlalchemy import select

from .models import Case, Event, Incident, ProcessVersion
from .parser import BPMN_NS, read_xml

COMPLETION = {'task_completed', 'service_completed', 'timer_fired', 'message_received', 'call_completed',
              'element_completed'}
REACHED = {'task_created', 'service_queued', 'call_started', 'timer_set'}
CANCELLED = {'element_cancelled', 'task_cancelled'}
FAILED = {'incident_opened', 'step_failed'}
CONTAINERS = ('process', 'subProcess', 'transaction')


class _Diagram:
    """One deployed file: which container each element sits in, and its flows by (source, target)."""

    def __init__(self, version: ProcessVersion):
        self.version = version
        root = read_xml(version.bpmn_xml).getroot()
        self.container_of, self.flows, self.called = {}, {}, {}
        for kind in CONTAINERS:
            for container in root.iter(f'{{{BPMN_NS}}}{kind}'):
                for node in container:
                    if not isinstance(node.tag, str) or not node.get('id'):
                        continue
                    self.container_of[node.get('id')] = container.get('id')
                    if node.tag == f'{{{BPMN_NS}}}sequenceFlow':
                        self.flows[(node.get('sourceRef'), node.get('targetRef'))] = node.get('id')
                    if node.tag == f'{{{BPMN_NS}}}callActivity':
                        self.called[node.get('id')] = node.get('calledElement')
        self.containers = {c.get('id') for kind in CONTAINERS for c in root.iter(f'{{{BPMN_NS}}}{kind}')}


def case_path(session, case_id: int, as_of: int | None = None) -> dict:
    case = session.get(Case, case_id)
    version_ids = [case.version_id, *case.called_versions.values()]
    diagrams = [_Diagram(session.get(ProcessVersion, vid)) for vid in version_ids]
    diagram_of = {}  # a process id or embedded subprocess id -> the diagram it is drawn in
    for diagram in diagrams:
        for container in diagram.containers:
            diagram_of.setdefault(container, diagram)

    query = select(Event).where(Event.case_id == case_id).order_by(Event.id)
    all_events = session.scalars(query).all()
    events = [e for e in all_events if as_of is None or e.id <= as_of]
    owner, seen_tasks, active = {}, set(), {}
    runs, cancelled, failed, last = defaultdict(int), set(), set(), {}
    taken = defaultdict(int)
    for e in events:
        if e.element_id is None or e.process_id not in diagram_of:
            continue
        diagram = diagram_of[e.process_id]
        key = (diagram.version.process_id, e.element_id)
        if e.task_id:
            owner[e.task_id] = e.element_id
            if e.task_id not in seen_tasks and (e.kind in REACHED or e.kind in COMPLETION):
                seen_tasks.add(e.task_id)
                source = owner.get(e.parent_task_id)
                flow = diagram.flows.get((source, e.element_id))
                if flow:
                    taken[(diagram.version.process_id, flow)] += 1
        last[key] = {'actor': e.actor, 'at': e.at.isoformat(), 'kind': e.kind}
        if e.kind in REACHED and e.task_id:
            active[e.task_id] = key
        if e.kind in COMPLETION:
            if not (e.element_type or '').endswith('MultiInstanceTask'):  # its instances count
                runs[key] += 1
            if e.kind != 'timer_fired':  # a cycle timer keeps waiting after each round
                active.pop(e.task_id, None)
        elif e.kind in CANCELLED:
            cancelled.add(key)
            active.pop(e.task_id, None)
        elif e.kind in FAILED:
            failed.add(key)
    if as_of is None:  # an incident resolved since is no longer a failure now
        open_incidents = {row for row in session.execute(select(Incident.element_id).where(
            Incident.case_id == case_id, Incident.resolved_at.is_(None))).scalars()}
        failed = {key for key in failed if key[1] in open_incidents}
    live = set(active.values())

    result = []
    for diagram in diagrams:
        pid = diagram.version.process_id
        keys = {k for k in set(runs) | cancelled | failed | live | set(last) if k[0] == pid}
        elements = []
        for _, element_id in sorted(keys):
            key = (pid, element_id)
            state = ('failed' if key in failed else 'active' if key in live else
                     'completed' if runs[key] else 'cancelled' if key in cancelled else 'reached')
            elements.append({'id': element_id, 'state': state, 'runs': runs[key], 'last': last.get(key),
                             'calls': diagram.called.get(element_id)})
        result.append({'process_id': pid, 'version': diagram.version.version, 'version_id': diagram.version.id,
                       'file_name': diagram.version.file_name, 'elements': elements,
                       'flows': [{'id': flow, 'count': count} for (p, flow), count in sorted(taken.items()) if p == pid]})
    return {'case_id': case_id, 'as_of': as_of, 'processes': result,
            'events': [{'id': e.id, 'at': e.at.isoformat(), 'kind': e.kind, 'element_id': e.element_id,
                        'actor': e.actor} for e in all_events]}
