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


class _Tally:
    """What the history says of each element, per (process id, element id): how often it ran,
    its last event, whether it was cancelled, failed or is still active; and how often each
    sequence flow was taken (the flow into an element, found from the task that led to it)."""

    def __init__(self):
        self.owner, self.seen_tasks, self.active = {}, set(), {}
        self.runs, self.cancelled, self.failed, self.last = defaultdict(int), set(), set(), {}
        self.taken = defaultdict(int)

    def add(self, e, diagram):
        key = (diagram.version.process_id, e.element_id)
        if e.task_id:
            self._follow(e, diagram)
        self.last[key] = {'actor': e.actor, 'at': e.at.isoformat(), 'kind': e.kind}
        if e.kind in REACHED and e.task_id:
            self.active[e.task_id] = key
        if e.kind in COMPLETION:
            if not (e.element_type or '').endswith('MultiInstanceTask'):  # its instances count
                self.runs[key] += 1
            if e.kind != 'timer_fired':  # a cycle timer keeps waiting after each round
                self.active.pop(e.task_id, None)
        elif e.kind in CANCELLED:
            self.cancelled.add(key)
            self.active.pop(e.task_id, None)
        elif e.kind in FAILED:
            self.failed.add(key)

    def _follow(self, e, diagram):
        self.owner[e.task_id] = e.element_id
        if e.task_id not in self.seen_tasks and (e.kind in REACHED or e.kind in COMPLETION):
            self.seen_tasks.add(e.task_id)
            flow = diagram.flows.get((self.owner.get(e.parent_task_id), e.element_id))
            if flow:
                self.taken[(diagram.version.process_id, flow)] += 1

    def keep_open_failures(self, open_incidents):
        """Now (not as of an earlier event), an incident resolved since is no longer a failure."""
        self.failed = {key for key in self.failed if key[1] in open_incidents}

    def process(self, diagram) -> dict:
        pid, live = diagram.version.process_id, set(self.active.values())
        keys = {k for k in set(self.runs) | self.cancelled | self.failed | live | set(self.last) if k[0] == pid}
        elements = []
        for _, element_id in sorted(keys):
            key = (pid, element_id)
            state = ('failed' if key in self.failed else 'active' if key in live else
                     'completed' if self.runs[key] else 'cancelled' if key in self.cancelled else 'reached')
            elements.append({'id': element_id, 'state': state, 'runs': self.runs[key],
                             'last': self.last.get(key), 'calls': diagram.called.get(element_id)})
        return {'process_id': pid, 'version': diagram.version.version, 'version_id': diagram.version.id,
                'file_name': diagram.version.file_name, 'elements': elements,
                'flows': [{'id': flow, 'count': count}
                          for (p, flow), count in sorted(self.taken.items()) if p == pid]}


def case_path(session, case_id: int, as_of: int | None = None) -> dict:
    """The executed path of a case, per diagram it ran in, as of event `as_of` (else now)."""
    case = session.get(Case, case_id)
    version_ids = [case.version_id, *case.called_versions.values()]
    diagrams = [_Diagram(session.get(ProcessVersion, vid)) for vid in version_ids]
    diagram_of = {}  # a process id or embedded subprocess id -> the diagram it is drawn in
    for diagram in diagrams:
        for container in diagram.containers:
            diagram_of.setdefault(container, diagram)

    all_events = session.scalars(select(Event).where(Event.case_id == case_id).order_by(Event.id)).all()
    tally = _Tally()
    for e in all_events:
        if (as_of is None or e.id <= as_of) and e.element_id is not None and e.process_id in diagram_of:
            tally.add(e, diagram_of[e.process_id])
    if as_of is None:
        tally.keep_open_failures({row for row in session.execute(select(Incident.element_id).where(
            Incident.case_id == case_id, Incident.resolved_at.is_(None))).scalars()})
    return {'case_id': case_id, 'as_of': as_of, 'processes': [tally.process(d) for d in diagrams],
            'events': [{'id': e.id, 'at': e.at.isoformat(), 'kind': e.kind, 'element_id': e.element_id,
                        'actor': e.actor} for e in all_events]}
