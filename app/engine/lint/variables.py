"""Warn when a condition or expression reads a case variable no earlier step produces.

A must-be-defined analysis over each process's flow: what is surely in the case data when an
element is reached is what every path to it produced (the start data, form fields, scripts'
assignments, handlers' declared outputs, `camunda:outputParameter`s, a message's result variable,
a multi-instance element variable, what a called process or subprocess hands back). Paths meet
by intersection, except at a parallel join, where SpiffWorkflow merges every branch's data; loops
settle by fixed point. Whatever is not known (a form the app cannot read, a handler that declares
no outputs, a DMN table, a process whose start data nobody declares) may produce anything, so it
never causes a warning: a false warning costs an owner more than a missing one.

Data passes as SpiffWorkflow 3.2 passes it: a call activity or embedded subprocess gets all of the
caller's data and hands all of its own back (`camunda:in`/`camunda:out` are not applied by the
engine); a boundary event sees the data of the activity it is attached to when that started.
A called process starts with what every call site in the documents surely passes; a process
nobody calls here starts with its start event's form fields, a `start_data` property
(`camunda:property name="start_data" value="a, b"` on the process or its start event) and what
the app says it passes (`Linter(start_data={process id: names})`).
"""
from collections import deque
from dataclasses import dataclass

from lxml import etree

from ..facts import INTAKE, TRUE_VALUES as INTAKE_VALUES
from ..parser import BPMN_NS, CAMUNDA_NS, NS
from .names import ScriptNames, expression_reads
from ..words import N_, Words
from .problems import WARNING, Problem
from .reads import node_reads

ANY = None  # not known: any variable may be defined here
GATEWAYS = {'exclusiveGateway', 'parallelGateway', 'inclusiveGateway', 'eventBasedGateway',
            'complexGateway'}
FLOW_NODES = GATEWAYS | {
    'startEvent', 'endEvent', 'intermediateCatchEvent', 'intermediateThrowEvent', 'boundaryEvent',
    'task', 'userTask', 'serviceTask', 'scriptTask', 'manualTask', 'sendTask', 'receiveTask',
    'businessRuleTask', 'callActivity', 'subProcess', 'transaction'}
CONTAINERS = {'subProcess', 'transaction'}
FORM_TASKS = {'userTask', 'task', 'manualTask', 'startEvent'}
MESSAGE_CATCHERS = {'startEvent', 'intermediateCatchEvent', 'boundaryEvent', 'receiveTask'}
MAX_ROUNDS = 50


def local(node) -> str:
    return etree.QName(node).localname if isinstance(node.tag, str) else ''


def meet(values):
    """What every one of `values` surely has (ANY is the identity)."""
    known = [v for v in values if v is not ANY]
    return frozenset.intersection(*known) if known else ANY


def join(values):
    """What any of `values` has (ANY absorbs)."""
    values = list(values)
    return ANY if any(v is ANY for v in values) or not values else frozenset().union(*values)


def plus(value, produced):
    return ANY if value is ANY or produced is ANY else value | produced


def missing(value, name) -> bool:
    return value is not ANY and name not in value


def names_in(text: str) -> frozenset:
    return frozenset(n for n in (text or '').replace(',', ' ').split() if n)


class Graph:
    """One process or subprocess: its flow nodes, the flows between them, boundary events."""

    def __init__(self, container):
        self.container = container
        self.nodes = {n.get('id'): n for n in container if local(n) in FLOW_NODES and n.get('id')}
        self.kinds = {nid: local(n) for nid, n in self.nodes.items()}
        self.flows = [f for f in container if local(f) == 'sequenceFlow'
                      and f.get('sourceRef') in self.nodes and f.get('targetRef') in self.nodes]
        self.incoming = {nid: [] for nid in self.nodes}
        self.outgoing = {nid: [] for nid in self.nodes}
        for flow in self.flows:
            self.outgoing[flow.get('sourceRef')].append(flow.get('targetRef'))
            self.incoming[flow.get('targetRef')].append(flow.get('sourceRef'))
        self.boundaries = {nid: [] for nid in self.nodes}
        for nid, node in self.nodes.items():
            if self.kinds[nid] == 'boundaryEvent' and node.get('attachedToRef') in self.nodes:
                self.boundaries[node.get('attachedToRef')].append(nid)
        self.starts = [nid for nid, kind in self.kinds.items() if kind == 'startEvent']
        self.signal_throws = {}  # signal id -> the throw events of this process that send it
        for nid, kind in self.kinds.items():
            definition = self.nodes[nid].find('bpmn:signalEventDefinition', NS)
            if kind in ('intermediateThrowEvent', 'endEvent') and definition is not None:
                self.signal_throws.setdefault(definition.get('signalRef'), []).append(nid)
        # an error end leaves by the caller's boundary event, not by the normal completion
        ends = [nid for nid, kind in self.kinds.items() if kind == 'endEvent'
                and self.nodes[nid].find('bpmn:errorEventDefinition', NS) is None]
        self.ends = ends or [nid for nid in self.nodes if not self.outgoing[nid]
                             and self.kinds[nid] != 'boundaryEvent']
        # what a process returns is what its main path leaves: a side path a non-interrupting
        # boundary event starts (a reminder, an update) ends while its host still runs
        side = self._reached_from([nid for nid, kind in self.kinds.items() if kind == 'boundaryEvent'
                                   and self.nodes[nid].get('cancelActivity') == 'false'])
        self.ends = [nid for nid in self.ends if nid not in side] or self.ends

    def _reached_from(self, sources) -> set:
        seen, pending = set(), list(sources)
        while pending:
            nid = pending.pop()
            if nid not in seen:
                seen.add(nid)
                pending.extend(self.outgoing.get(nid, []))
        return seen

    def throws_of(self, node) -> list:
        """The throw events of this process whose signal `node` (a boundary event) catches: what
        they had defined reaches it, as the engine delivers a signal thrown in the case."""
        definition = node.find('bpmn:signalEventDefinition', NS)
        return self.signal_throws.get(definition.get('signalRef'), []) if definition is not None else []


@dataclass
class Result:
    ins: dict
    outs: dict
    end: frozenset | None


class DataFlow:
    """`DataFlow(form_fields, handler_outputs, start_data).problems({name: tree})` -> warnings.

    `form_fields(key)` and `handler_outputs(topic)` return a set of names, or None if unknown."""

    def __init__(self, form_fields=None, handler_outputs=None, start_data=None, intake_data=()):
        self.form_fields = form_fields or (lambda key: None)
        self.handler_outputs = handler_outputs or (lambda topic: None)
        self.start_data = {pid: frozenset(names) for pid, names in (start_data or {}).items()}
        self.intake_data = frozenset(intake_data)  # what the app adds when it starts the intake
        self.decision_outputs = {}  # decision id -> names its outputs write (set by the linter)
        self.messages, self.ends, self.sites, self._cache, self._graphs, self._asked = {}, {}, {}, {}, {}, {}

    # ---- the whole set of documents --------------------------------------------------------

    def problems(self, trees: dict) -> list[Problem]:
        self.messages, self._graphs, self._asked = {}, {}, {}
        processes = {}
        for name, tree in trees.items():
            root = tree.getroot()
            for message in root.iter(f'{{{BPMN_NS}}}message'):
                self.messages[message.get('id')] = message.get('name')
            for process in root.iter(f'{{{BPMN_NS}}}process'):
                processes.setdefault(process.get('id'), (name, self.graph(process)))
        called = {c.get('calledElement') for _, g in processes.values()
                  for c in g.container.iter(f'{{{BPMN_NS}}}callActivity')}
        declared = {pid: self._declared_start(pid, g.container) for pid, (_, g) in processes.items()}
        by_calls = {pid for pid, (_, g) in processes.items()
                    if pid in called and not _has_io_inputs(g.container)}
        starts = {pid: ANY if pid in by_calls else declared[pid] for pid in processes}
        self.ends = dict.fromkeys(processes, ANY)
        for _ in range(MAX_ROUNDS):  # values only shrink: this settles in a few rounds
            self._cache, self.sites = {}, {pid: [] for pid in processes}
            ends = {pid: self.run(graph, starts[pid]).end for pid, (_, graph) in processes.items()}
            new_starts = {pid: plus(meet(self.sites[pid]), declared[pid] or frozenset())
                          if pid in by_calls else starts[pid] for pid in processes}
            if ends == self.ends and new_starts == starts:
                break
            self.ends, starts = ends, new_starts
        found = {}
        for pid, (name, graph) in processes.items():
            self._report(name, graph, self.run(graph, starts[pid]), found)
        return list(found.values())

    def _declared_start(self, pid, process):
        """The start data of a process nobody calls here, or ANY if nothing says what it is."""
        declared = [_property(process, 'start_data')]
        declared += [_property(n, 'start_data') for n in process
                     if local(n) == 'startEvent']
        declared = [d for d in declared if d is not None]
        if pid in self.start_data:
            declared.append(self.start_data[pid])
        if self.intake_data and _property(process, INTAKE) == frozenset(INTAKE_VALUES):
            declared.append(self.intake_data)
        has_form = any(n.get(f'{{{CAMUNDA_NS}}}formKey') or _form_data(n) for n in process
                       if local(n) == 'startEvent')
        if not declared and not has_form:
            return ANY
        return frozenset().union(*declared)

    # ---- one graph -------------------------------------------------------------------------

    def run(self, graph, start) -> Result:
        """The fixed point of one process or subprocess entered with `start` (cached)."""
        key = (id(graph.container), start)
        if key not in self._cache:
            self._cache[key] = self._solve(graph, start)
        return self._cache[key]

    def _solve(self, graph, start) -> Result:
        ins = dict.fromkeys(graph.nodes, ANY)
        outs = dict.fromkeys(graph.nodes, ANY)
        for _ in range(MAX_ROUNDS * max(1, len(graph.nodes))):
            changed = False
            for nid in graph.nodes:
                value = self._entry(graph, nid, start, ins, outs)
                out = self._transfer(graph, nid, value)
                if value != ins[nid] or out != outs[nid]:
                    ins[nid], outs[nid], changed = value, out, True
            if not changed:
                break
        return Result(ins, outs, meet(outs[nid] for nid in graph.ends))

    def _entry(self, graph, nid, start, ins, outs):
        kind, node = graph.kinds[nid], graph.nodes[nid]
        if kind == 'startEvent' or node.get('triggeredByEvent') == 'true':
            return start
        if kind == 'boundaryEvent':
            caught = [outs[t] for t in graph.throws_of(node)]  # a signal thrown in this process
            attached = ins.get(node.get('attachedToRef'), ANY)
            return plus(attached, meet(caught)) if caught and attached is not ANY else attached
        before = [outs[p] for p in graph.incoming[nid]]
        if not before:
            return ANY  # reached by no flow (a compensation handler...): not this check's business
        return join(before) if kind == 'parallelGateway' and len(before) > 1 else meet(before)

    def _transfer(self, graph, nid, value):
        """What an element leaves in the case data, entered with `value`."""
        if value is ANY:
            return ANY
        node, kind = graph.nodes[nid], graph.kinds[nid]
        element, output = _multi_instance(node)
        inside = value | element
        if kind in CONTAINERS and node.get('triggeredByEvent') != 'true':
            produced = self.run(self.graph(node), inside).end
        elif kind == 'scriptTask':
            script = node.find('bpmn:script', NS)
            names = ScriptNames(script.text if script is not None else '')
            inside, produced = inside - names.deletes, frozenset(names.writes)
        else:
            produced = self.produced(node, kind, inside)
        return ANY if produced is ANY else inside | produced | output

    def graph(self, container) -> Graph:
        key = ('graph', id(container))
        if key not in self._graphs:
            self._graphs[key] = Graph(container)
        return self._graphs[key]

    def produced(self, node, kind, value):
        """The names one element (not a container nor a script) writes; ANY if not known."""
        if kind == 'serviceTask':
            outputs = node.xpath('./bpmn:extensionElements/camunda:inputOutput/camunda:outputParameter',
                                 namespaces=NS)
            if outputs:
                return frozenset(p.get('name') for p in outputs if p.get('name'))
            declared = self.handler_outputs(node.get(f'{{{CAMUNDA_NS}}}topic'))
            return ANY if declared is None else frozenset(declared)
        if kind == 'callActivity':
            return self._call(node, value)
        if kind == 'businessRuleTask':  # the outputs of its table, when the lint has it
            outputs = self.decision_outputs.get(node.get(f'{{{CAMUNDA_NS}}}decisionRef'))
            return ANY if outputs is None else outputs
        produced = frozenset()
        if kind in FORM_TASKS:
            produced = self.form_names(node)
        if kind in MESSAGE_CATCHERS and produced is not ANY:
            produced = plus(produced, self._message_names(node))
        return produced

    def form_names(self, node):
        key = node.get(f'{{{CAMUNDA_NS}}}formKey')
        if key:
            if ('form', key) not in self._asked:  # the app may read the form from its database
                fields = self.form_fields(key)
                self._asked['form', key] = ANY if fields is None else frozenset(fields)
            return self._asked['form', key]
        return _form_data(node)

    def _message_names(self, node):
        """The engine delivers a message's payload under the message's name."""
        names = set()
        for definition in node.xpath('.//bpmn:messageEventDefinition', namespaces=NS) + [node]:
            ref = definition.get('messageRef')
            if ref:
                if not self.messages.get(ref):
                    return ANY
                names.add(self.messages[ref])
        return frozenset(names)

    def _call(self, node, value):
        called = node.get('calledElement')
        if called not in self.ends:
            return ANY  # deployed before, or missing (reported elsewhere)
        # the call's own input parameters are data of the called process's start (spiff_compat)
        given = frozenset(p.get('name') for p in node.xpath(
            './bpmn:extensionElements/camunda:inputOutput/camunda:inputParameter', namespaces=NS) if p.get('name'))
        self.sites[called].append(plus(value, given) if given else value)
        return self.ends[called]

    # ---- reporting -------------------------------------------------------------------------

    def _report(self, name, graph, result, found):
        for flow in graph.flows:
            condition = flow.find('bpmn:conditionExpression', NS)
            if condition is not None:
                self._warn(name, graph, result, found, flow.get('id'), condition.sourceline,
                           Words(N_("La condición de '%(element)s'"), element=flow.get('id')), expression_reads(condition.text),
                           (flow.get('sourceRef'), 'out'))
        for nid, node in graph.nodes.items():
            value = result.ins[nid]
            element, _ = _multi_instance(node)
            for what, line, names, when in node_reads(self, node, graph.kinds[nid]):
                defined = {'in': value, 'inside': plus(value, element),
                           'out': result.outs[nid]}[when]
                self._warn(name, graph, result, found, nid, line, what, names,
                           (nid, 'out' if when == 'out' else 'in'), defined)
            if graph.kinds[nid] in CONTAINERS and value is not ANY:
                inner = self.graph(node)
                self._report(name, inner, self.run(inner, plus(value, element)), found)

    def _warn(self, name, graph, result, found, element_id, line, what, names, target, defined=None):
        if defined is None:
            defined = result.outs[target[0]]
        for variable in sorted(names):
            if not missing(defined, variable) or (element_id, what, variable) in found:
                continue
            found[(element_id, what, variable)] = Problem(name, line, element_id, Words(
                N_("%(what)s lee '%(variable)s', que ningún paso anterior produce %(path)s."),
                what=what, variable=variable, path=_path_text(graph, result, variable, target)), WARNING)


def _path_text(graph, result, variable, target) -> Words:
    """'en el camino desde 'start' por 'a', 'b'': a path along which `variable` is never set."""
    goal, when = target
    starts = [s for s in graph.starts if missing(result.ins[s], variable)]
    parents, queue = dict.fromkeys(starts), deque(starts)
    while queue and goal not in parents:
        nid = queue.popleft()
        after = graph.outgoing[nid] if missing(result.outs[nid], variable) else []
        beside = graph.boundaries[nid] if missing(result.ins[nid], variable) else []
        for following in after + beside:
            if following not in parents and missing(result.ins[following], variable):
                parents[following] = nid
                queue.append(following)
    if goal not in parents:
        return Words(N_('en todos los caminos'))
    chain, nid = [], goal
    while nid is not None:
        chain.append(nid)
        nid = parents[nid]
    chain.reverse()
    via = [n for n in chain[1:] if graph.kinds[n] not in GATEWAYS and (n != goal or when == 'out')]
    shown = ', '.join(f"'{n}'" for n in via[:6]) + (', …' if len(via) > 6 else '')
    if not via:
        return Words(N_("en el camino desde '%(start)s'"), start=chain[0])
    return Words(N_("en el camino desde '%(start)s' por %(via)s"), start=chain[0], via=shown)


def _property(node, name):
    for prop in node.xpath('./bpmn:extensionElements/camunda:properties/camunda:property',
                           namespaces=NS):
        if prop.get('name') == name:
            return names_in(prop.get('value'))
    return None


def _form_data(node) -> frozenset:
    return frozenset(f.get('id') for f in node.xpath(
        './bpmn:extensionElements/camunda:formData/camunda:formField', namespaces=NS) if f.get('id'))


def _multi_instance(node) -> tuple[frozenset, frozenset]:
    """(the element variable each instance sees, the output collection it fills)."""
    loop = node.find('bpmn:multiInstanceLoopCharacteristics', NS)
    if loop is None:
        return frozenset(), frozenset()
    element = {loop.get(f'{{{CAMUNDA_NS}}}elementVariable')}
    item = loop.find('bpmn:inputDataItem', NS)
    if item is not None:
        element |= {item.get('name'), item.get('id')}
    output = loop.find('bpmn:loopDataOutputRef', NS)
    out_item = loop.find('bpmn:outputDataItem', NS)
    outputs = {(output.text or '').strip()} if output is not None else set()
    if out_item is not None:
        element |= {out_item.get('name'), out_item.get('id')}
    return frozenset(n for n in element if n), frozenset(n for n in outputs if n)


def _has_io_inputs(process) -> bool:
    return bool(process.xpath('./bpmn:ioSpecification/bpmn:dataInput', namespaces=NS))
