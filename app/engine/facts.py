"""Process facts declared in the diagram as Camunda extension properties, never as ids in code.

An owner marks elements in Camunda Modeler's (or our editor's) "Extension properties":

- `public_message` on any element: what the client's timeline says once the element happened
  (Spanish); `public_message_en` (any `public_message_<locale>`) says it in another language.
- `name_en` (any `name_<locale>`) on any named element: its name in another language, shown
  wherever the element's name is (task list, task page, history, report, path); the BPMN `name`
  is the Spanish one and the fallback.
- `milestone` on any element: what the indicators count, one of `MILESTONES`.
- `client_message` on a message catch event: which client form it waits for, one of
  `CLIENT_MESSAGES`; the form's data land in a variable named as the BPMN message.
- `due_date_variable` on a user task or on a process: the case variable that holds the task's
  due date (a task's own property first, then its process's, then the calling process's).
- `intake` = `true` on a process: the process the public intake form starts.
- `shared_variables` on a process: names (comma or space separated) of variables that hold one
  value per case, as Camunda's process variables do, instead of one copy per branch as
  SpiffWorkflow's task data: what any task writes reaches every waiting task, boundary timer and
  called process of the case, and a waiting timer whose date reads one of them moves with it.
- `business_days` = `true` on a timer event: its `timeDuration` / `timeCycle` days are business
  days of the engine calendar (see business_timers.py).

The projector copies an element's milestone and public message onto the event that says the
element happened (`facts_of_event`), so reports read columns and never re-parse diagrams.
"""
from .parser import BPMN_NS, CAMUNDA_NS

MILESTONES = ('answer_sent', 'escalated', 'nonconformity', 'clock_stopped', 'clock_resumed',
              'extended', 'desisted')
CLIENT_MESSAGES = ('answer', 'information', 'more_time')
MILESTONE, PUBLIC_MESSAGE, CLIENT_MESSAGE = 'milestone', 'public_message', 'client_message'
DUE_DATE_VARIABLE, INTAKE, SHARED_VARIABLES = 'due_date_variable', 'intake', 'shared_variables'
BUSINESS_DAYS = 'business_days'
NAME = 'name'
TRUE_VALUES = ('true',)
# the values a property may take, for lint (None: any text)
ALLOWED = {MILESTONE: MILESTONES, CLIENT_MESSAGE: CLIENT_MESSAGES, INTAKE: ('true', 'false'),
           BUSINESS_DAYS: ('true', 'false')}
# the event kind on which an element's facts land: an activity that calls or embeds a process
# happened when it started (the case "was escalated"), anything else when it completed
FACT_KINDS = {'call_started', 'service_completed', 'task_completed', 'message_received',
              'timer_fired', 'element_completed'}


def properties_of(node) -> dict[str, str]:
    """The element's own `camunda:property` name -> value (not those of elements inside it)."""
    if node is None:
        return {}
    found = node.findall(f'{{{BPMN_NS}}}extensionElements/{{{CAMUNDA_NS}}}properties/{{{CAMUNDA_NS}}}property')
    return {p.get('name'): (p.get('value') or '') for p in found if p.get('name')}


def annotate(spec, container, by_id) -> None:
    """Hang the declared properties on a process spec and each of its task specs as `facts`,
    and on each task spec its lane's other names as `lane_names` (a lane declares `name_<locale>`
    as any element does; SpiffWorkflow keeps only the lane's name)."""
    spec.facts = properties_of(container)
    lanes = {lane.get('name'): _in_locales(properties_of(lane), NAME)
             for lane in _lanes_around(container) if lane.get('name')}
    for task_spec in spec.task_specs.values():
        task_spec.facts = properties_of(by_id.get(getattr(task_spec, 'bpmn_id', None)))
        task_spec.lane_names = lanes.get(getattr(task_spec, 'lane', None)) or None


def _lanes_around(container):
    """The lanes of the process that holds `container` (an embedded sub-process has none of
    its own: its tasks sit in the lanes of its process)."""
    process = container
    while process is not None and process.tag != f'{{{BPMN_NS}}}process':
        process = process.getparent()
    return () if process is None else process.iter(f'{{{BPMN_NS}}}lane')


def declared(spec) -> dict:
    return getattr(spec, 'facts', None) or {}


def public_message(facts: dict) -> dict | None:
    """{'es': text, 'en': text, ...} of the element, or None."""
    spanish = (facts.get(PUBLIC_MESSAGE) or '').strip()
    return {**_in_locales(facts, PUBLIC_MESSAGE), 'es': spanish} if spanish else None


def _in_locales(facts: dict, prefix: str) -> dict:
    """{locale: text} of the non-empty `<prefix>_<locale>` properties."""
    start = prefix + '_'
    return {name[len(start):]: value.strip() for name, value in facts.items()
            if name.startswith(start) and len(name) > len(start) and value.strip()}


def other_names(spec) -> dict | None:
    """{'en': text, ...}: the element's name in the languages it declares (`name_<locale>`),
    or None; its BPMN `name` is the Spanish one."""
    return (_in_locales(declared(spec), NAME) or None) if spec is not None else None


def task_names(spec) -> dict | None:
    """A human task's `other_names`, and its lane's under 'lane' (the task pages show both)."""
    names = other_names(spec) or {}
    if getattr(spec, 'lane_names', None):
        names['lane'] = spec.lane_names
    return names or None


def element_names(names: dict | None) -> dict | None:
    """A task's names as an event carries them: the element's own, not its lane's."""
    return {k: v for k, v in (names or {}).items() if k != 'lane'} or None


def facts_of_event(kind: str, spec) -> dict:
    """The columns an event row carries for an element's declared facts (empty if none)."""
    facts = declared(spec)
    if not facts or kind not in FACT_KINDS:
        return {}
    return {'milestone': facts.get(MILESTONE) or None, 'public_message': public_message(facts)}


def due_variable(task) -> str | None:
    """The variable naming `task`'s due date: the task's own, its process's, the case's."""
    own = declared(task.task_spec).get(DUE_DATE_VARIABLE)
    if own:
        return own
    workflow = task.workflow
    for process_spec in (workflow.spec, getattr(workflow, 'top_workflow', workflow).spec):
        value = declared(process_spec).get(DUE_DATE_VARIABLE)
        if value:
            return value
    return None


def message_named(specs, name: str, value: str) -> str | None:
    """The BPMN message a catch event declaring property `name` = `value` waits for, among
    `specs` (a case's process and every process it calls)."""
    from .projections import event_definition_of
    for spec in specs:
        for task_spec in spec.task_specs.values():
            if declared(task_spec).get(name) == value:
                definition = event_definition_of(task_spec)
                message = getattr(definition, 'name', None)
                if message:
                    return message
    return None


def process_properties(tree) -> dict[str, dict]:
    """process id -> its declared properties, for each process of a document."""
    return {p.get('id'): properties_of(p) for p in tree.getroot().iter(f'{{{BPMN_NS}}}process')}


_process_facts = {}  # content hash -> {process id: properties}: a deployed text never changes


def intake_process(session, specs) -> str:
    """The process the public intake starts: of the newest versions of all deployed processes,
    the most recently deployed one whose process declares `intake` = `true`."""
    from .errors import NotFound
    from .parser import read_xml
    found = []
    for version in specs.latest_versions(session).values():
        if version.content_hash not in _process_facts:
            _process_facts[version.content_hash] = process_properties(read_xml(version.bpmn_xml))
        if declared_value(_process_facts[version.content_hash].get(version.process_id, {}), INTAKE) in TRUE_VALUES:
            found.append((version.deployed_at, version.id, version.process_id))
    if not found:
        raise NotFound('intake_not_declared')
    return max(found)[2]


def declared_value(facts: dict, name: str) -> str:
    return (facts.get(name) or '').strip().lower()


def client_message(session, specs, case_id: int, value: str) -> str | None:
    """The BPMN message of the catch event of case `case_id`'s diagrams that declares
    `client_message` = `value` (the case's pinned versions), or None; NotFound without the case."""
    from .errors import NotFound
    from .models import Case
    case = session.get(Case, case_id)
    if case is None:
        raise NotFound('case_not_found', case_id=case_id)
    spec, subprocess_specs = specs.load(session, case.version_id, case.called_versions)
    return message_named([spec, *subprocess_specs.values()], CLIENT_MESSAGE, value)
