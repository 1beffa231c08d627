"""Turn BPMN XML (Camunda 7 dialect) into SpiffWorkflow specs the engine can run.

`CamundaParser` keeps the form key but drops what our service tasks and task list need
(`camunda:type`, `camunda:topic`, `camunda:inputOutput`, `camunda:candidateGroups`,
`camunda:priority`). We read those from the XML ourselves and hang them on each task spec as
`spec.camunda` (a `TaskExtras`); specs are never serialized (they are re-parsed from the stored XML), so plain attributes are safe.
"""
import re
from dataclasses import dataclass, field

from lxml import etree
from SpiffWorkflow.bpmn.parser.TaskParser import TaskParser
from SpiffWorkflow.bpmn.specs.mixins.multiinstance_task import LoopTask
from SpiffWorkflow.camunda.parser.CamundaParser import CamundaParser
from SpiffWorkflow.camunda.parser.task_spec import CamundaTaskParser

from .decisions import add_dmn, is_dmn

from .form_data import form_fields

BPMN_NS = 'http://www.omg.org/spec/BPMN/20100524/MODEL'
CAMUNDA_NS = 'http://camunda.org/schema/1.0/bpmn'
NS = {'bpmn': BPMN_NS, 'camunda': CAMUNDA_NS}


@dataclass
class Parameter:
    """A camunda:inputParameter / outputParameter: a name and a value template."""
    name: str
    kind: str          # text | map | list
    value: object      # str for text; dict[str, str] for map; list[str] for list


@dataclass
class TaskExtras:
    topic: str | None = None
    task_type: str | None = None
    candidate_groups: list = field(default_factory=list)  # names or `${...}` expressions
    assignee: str | None = None  # camunda:assignee, a literal or a `${...}` expression
    inputs: list = field(default_factory=list)
    outputs: list = field(default_factory=list)
    # user tasks: literal or `${...}` texts, evaluated when the task opens (see task_dates.py)
    due_date: str | None = None
    follow_up_date: str | None = None
    candidate_users: list = field(default_factory=list)  # literal names or `${...}` expressions
    priority: str | None = None  # camunda:priority: an integer or a `${...}` expression
    form_fields: list = field(default_factory=list)  # camunda:formData, as plain dicts


DOCTYPE = re.compile(rb'<!\s*(DOCTYPE|ENTITY)', re.IGNORECASE)
DOCTYPE_REFUSED = ('el diagrama declara un DOCTYPE (DTD o entidades), que no se admite en BPMN; '
                   'quítelo y vuelva a subirlo.')


def read_xml(content: bytes | str, name: str | None = None) -> etree._ElementTree:
    """Parse XML keeping line numbers; raises etree.XMLSyntaxError, also for any DOCTYPE.

    BPMN needs no DTD, and a DTD is how entity bombs and external entities get in, so one is
    refused before parsing (naming the line), and once more after, for encodings the byte
    search cannot read."""
    if isinstance(content, str):
        content = content.encode('utf-8')
    found = DOCTYPE.search(content)
    if found:
        raise _doctype_refused(content.count(b'\n', 0, found.start()) + 1, name)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False)
    tree = etree.ElementTree(etree.fromstring(content, parser))
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise _doctype_refused(1, name)
    return tree


def _doctype_refused(line, name):
    message = f'{name}, línea {line}: {DOCTYPE_REFUSED}' if name else DOCTYPE_REFUSED
    return etree.XMLSyntaxError(message, None, line, 1, name)


def _parameters(node, tag) -> list:
    params = []
    for param in node.xpath(f'./bpmn:extensionElements/camunda:inputOutput/camunda:{tag}', namespaces=NS):
        name = param.get('name')
        entries = param.xpath('./camunda:map/camunda:entry', namespaces=NS)
        items = param.xpath('./camunda:list/camunda:value', namespaces=NS)
        if entries:
            params.append(Parameter(name, 'map', {e.get('key'): (e.text or '') for e in entries}))
        elif items:
            params.append(Parameter(name, 'list', [(v.text or '') for v in items]))
        else:
            params.append(Parameter(name, 'text', param.text or ''))
    return params


def comma_list(text) -> list[str]:
    """`a, ${'x,' + b}` -> ['a', "${'x,' + b}"]: split at the commas outside `${...}` / `#{...}`
    expressions (which may hold commas in calls and strings)."""
    items, current, depth, quote = [], [], 0, None
    for char in (text or ''):
        if quote:
            quote = None if char == quote else quote
        elif depth and char in '\'"':
            quote = char
        elif char == '{' and (depth or ''.join(current).rstrip().endswith(('$', '#'))):
            depth += 1
        elif char == '}' and depth:
            depth -= 1
        elif char == ',' and not depth:
            items.append(''.join(current))
            current = []
            continue
        current.append(char)
    items.append(''.join(current))
    return [item.strip() for item in items if item.strip()]


def task_extras(node) -> TaskExtras:
    return TaskExtras(
        topic=node.get(f'{{{CAMUNDA_NS}}}topic'),
        task_type=node.get(f'{{{CAMUNDA_NS}}}type'),
        candidate_groups=comma_list(node.get(f'{{{CAMUNDA_NS}}}candidateGroups')),
        assignee=node.get(f'{{{CAMUNDA_NS}}}assignee'),
        inputs=_parameters(node, 'inputParameter'),
        outputs=_parameters(node, 'outputParameter'),
        due_date=node.get(f'{{{CAMUNDA_NS}}}dueDate'),
        follow_up_date=node.get(f'{{{CAMUNDA_NS}}}followUpDate'),
        candidate_users=comma_list(node.get(f'{{{CAMUNDA_NS}}}candidateUsers')),
        priority=node.get(f'{{{CAMUNDA_NS}}}priority'),
        form_fields=form_fields(node),
    )


def process_ids(tree) -> list[str]:
    return [p.get('id') for p in tree.getroot().iter(f'{{{BPMN_NS}}}process')]


def called_elements(tree) -> set[str]:
    return {c.get('calledElement') for c in tree.getroot().iter(f'{{{BPMN_NS}}}callActivity')
            if c.get('calledElement')}


def _annotate(spec, trees):
    """Attach TaskExtras to each task spec, looking ids up inside the spec's own process
    (element ids such as `StartEvent_1` repeat across files)."""
    container = None
    for tree in trees:
        found = tree.getroot().xpath('//*[@id=$id]', id=spec.name)
        if found:
            container = found[0]
            break
    by_id = {}
    if container is not None:
        for node in container.iter():
            if isinstance(node.tag, str) and node.get('id'):
                by_id.setdefault(node.get('id'), node)
    for task_spec in spec.task_specs.values():
        node = by_id.get(getattr(task_spec, 'bpmn_id', None))
        task_spec.camunda = task_extras(node) if node is not None else TaskExtras()
    from .facts import annotate  # late: facts reads this module's namespaces
    from .business_timers import count_business_days
    annotate(spec, container, by_id)
    count_business_days(spec)


class _StandardLoops:
    """A task parser that reads BPMN's own multi-instance (`loopDataInputRef` / `inputDataItem`,
    as Camunda Modeler writes it too) as BPMN defines it. SpiffWorkflow's Camunda task parsers
    only know `camunda:collection` and refuse the standard form, which its BPMN parser runs."""

    def _add_multiinstance_task(self, loop_characteristics):
        standard = loop_characteristics.find(f'{{{BPMN_NS}}}loopDataInputRef') is not None \
            and loop_characteristics.get(f'{{{CAMUNDA_NS}}}collection') is None
        if not standard:
            return super()._add_multiinstance_task(loop_characteristics)
        return TaskParser._add_multiinstance_task(self, loop_characteristics)


class CaseParser(CamundaParser):
    """CamundaParser with the standard multi-instance forms on every kind of task."""

    OVERRIDE_PARSER_CLASSES = {
        tag: (type(f'Standard{parser.__name__}', (_StandardLoops, parser), {}), spec)
        if issubclass(parser, CamundaTaskParser) else (parser, spec)
        for tag, (parser, spec) in CamundaParser.OVERRIDE_PARSER_CLASSES.items()}


def parse_documents(documents: dict[str, bytes | str]):
    """Parse named XML documents together; returns (parser, {file name: tree}).

    Raises XMLSyntaxError or SpiffWorkflow's ValidationException.
    """
    parser = CaseParser()
    trees = {}
    for name, content in documents.items():
        trees[name] = read_xml(content, name)
        if is_dmn(trees[name].getroot()):  # a decision table beside the diagrams
            add_dmn(parser, trees[name].getroot(), filename=name)
            continue
        parser.add_bpmn_xml(trees[name].getroot(), filename=name)
    return parser, trees


def build_specs(documents: dict[str, bytes | str], process_id: str):
    """The spec of `process_id` and the specs of every process it calls, annotated."""
    parser, trees = parse_documents(documents)
    spec = parser.get_spec(process_id)
    subprocess_specs = parser.get_subprocess_specs(process_id)
    for each in [spec, *subprocess_specs.values()]:
        _annotate(each, trees.values())
        _wire_loops(each)
    return spec, subprocess_specs


def _wire_loops(spec):
    """Connect each loop / multi-instance task to its instances' completion now.

    SpiffWorkflow connects `merge_child` lazily, on the shared spec, the first time a process
    creates an instance; its own spec deserializer connects it up front. We parse specs instead,
    so a process that completes an instance created by another process (or before its spec
    cache was rebuilt) would never merge it, and the case would stall after its last instance.
    Connecting here, before the spec is shared between threads, also removes the unlocked
    check-then-connect race in `create_child`.
    """
    for task_spec in spec.task_specs.values():
        if isinstance(task_spec, LoopTask):
            spec.task_specs[task_spec.task_spec].completed_event.connect(task_spec.merge_child)
