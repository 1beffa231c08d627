"""Check diagrams before they are deployed, and say exactly what is wrong and where.

Runs on a set of documents at once (a call activity may target a process in another file) and
reports every problem it finds, each with file, line and element id, instead of stopping at
SpiffWorkflow's first exception. The checks cover what SpiffWorkflow 3.2 would accept but fail
on at run time (reserved ids, `${}` expressions, unknown handler topics, missing forms...); a
final full parse catches whatever the checks above did not foresee.
"""
from lxml import etree
from SpiffWorkflow.bpmn.parser.BpmnParser import XSD_PATH

from ..parser import BPMN_NS, NS, parse_documents, read_xml
from .call_inputs import call_input_problems
from .camunda import ignored_problems
from .connections import connection_problems
from .decisions import lint_tables, with_deployed
from .elements import ElementChecks
from .facts import fact_problems
from .languages import language_problems
from ..words import N_, Words
from .problems import Problem, errors
from .variables import DataFlow

RESERVED_IDS = {'Start', 'End', 'Root'}
RESERVED_SUFFIXES = ('.EndJoin', '.BoundaryEventSplit', '.BoundaryEventJoin', ' [child]')
FLOW_NODES = {'startEvent', 'endEvent', 'intermediateCatchEvent', 'intermediateThrowEvent',
              'boundaryEvent', 'task', 'userTask', 'serviceTask', 'scriptTask', 'manualTask',
              'sendTask', 'receiveTask', 'businessRuleTask', 'callActivity', 'subProcess',
              'transaction', 'exclusiveGateway', 'parallelGateway', 'inclusiveGateway',
              'eventBasedGateway', 'complexGateway'}


_schema = None


def _xsd():
    global _schema
    if _schema is None:
        _schema = etree.XMLSchema(etree.parse(XSD_PATH))
    return _schema


def local(node) -> str:
    return etree.QName(node).localname if isinstance(node.tag, str) else ''


class Linter(ElementChecks):
    """`Linter(topics, form_problem, deployed_process_ids).lint({name: xml})` -> [Problem]."""

    def __init__(self, topics=None, form_problem=None, deployed_process_ids=(), input_problems=None,
                 form_fields=None, handler_outputs=None, start_data=None, intake_data=(),
                 form_untranslated=None, languages=()):
        self.topics = set(topics) if topics is not None else None
        # what each form key, handler topic and process start produces (see variables.py)
        self.data_flow = DataFlow(form_fields, handler_outputs, start_data, intake_data)
        self.form_problem = form_problem
        # form_untranslated(form key, language) -> [text lacking that language]: a warning (languages.py)
        self.form_untranslated = form_untranslated
        self.languages = tuple(languages)  # besides Spanish, the ones texts should have (a warning)
        self.deployed = set(deployed_process_ids)
        # input_problems(topic, {name: literal text}) -> [message]: a handler's own checks of
        # the literal inputs a diagram gives it (e.g. that an email template exists)
        self.input_problems = input_problems
        self.deployed_decisions = {}  # decision id -> DMN XML of its newest deployed version

    def lint(self, documents: dict[str, bytes | str]) -> list[Problem]:
        problems, trees = [], {}
        for name, content in documents.items():
            try:
                trees[name] = read_xml(content)
            except etree.XMLSyntaxError as error:
                problems.append(Problem(name, error.lineno, None, Words(N_('XML mal formado: %(error)s'),
                                                                       error=error.msg)))
        tables, trees, self.data_flow.decision_outputs = lint_tables(trees, self.deployed_decisions)  # lint/decisions.py
        problems += tables
        for name, tree in trees.items():
            problems += self._schema_problems(name, tree)
        known_processes = set(self.deployed)
        for tree in trees.values():
            known_processes.update(p.get('id') for p in tree.getroot().iter(f'{{{BPMN_NS}}}process'))
        seen_processes = {}
        for name, tree in trees.items():
            problems += self._document_problems(name, tree, known_processes, seen_processes)
            problems += fact_problems(name, tree)
            problems += language_problems(name, tree, self.languages, self.form_untranslated)
        if self.input_problems is not None:
            problems += call_input_problems(trees, self.input_problems)
        if not errors(problems):
            problems += self._parse_problems(with_deployed(documents, self.deployed_decisions), trees)
        if not errors(problems):
            problems += self.data_flow.problems(trees)
        return problems

    # ---- whole-document checks -------------------------------------------------------------

    def _schema_problems(self, name, tree):
        root = tree.getroot()
        if root.tag != f'{{{BPMN_NS}}}definitions':
            return [Problem(name, root.sourceline, root.get('id'),
                            Words(N_('El documento no es BPMN 2.0: la raíz debe ser bpmn:definitions.')))]
        schema = _xsd()
        if schema.validate(tree):
            return []
        problems = []
        for entry in schema.error_log:
            element_id = None
            namespaces = {k: v for k, v in tree.getroot().nsmap.items() if k}
            try:
                found = tree.xpath(entry.path, namespaces=namespaces) if entry.path else []
            except etree.XPathError:
                found = []
            node = found[0] if found else None
            while node is not None and element_id is None:  # nearest element with an id
                element_id = node.get('id')
                node = node.getparent()
            problems.append(Problem(name, entry.line, element_id,
                                    Words(N_('No cumple el esquema BPMN 2.0: %(error)s'), error=entry.message)))
        return problems

    def _document_problems(self, name, tree, known_processes, seen_processes):
        problems = []
        processes = list(tree.getroot().iter(f'{{{BPMN_NS}}}process'))
        if not any(p.get('isExecutable') == 'true' for p in processes):
            where = processes[0] if len(processes) == 1 else tree.getroot()
            problems.append(Problem(name, where.sourceline, where.get('id'), Words(
                N_('Ningún proceso está marcado como ejecutable (isExecutable="true").'))))
        for node in tree.getroot().iter():
            element_id = node.get('id') if isinstance(node.tag, str) else None
            if element_id and (element_id in RESERVED_IDS or element_id.endswith(RESERVED_SUFFIXES)):
                problems.append(Problem(name, node.sourceline, element_id, Words(
                    N_("El id '%(id)s' está reservado por el motor; use otro."), id=element_id)))
        problems += ignored_problems(name, tree)
        for process in processes:
            pid = process.get('id')
            if pid in seen_processes:
                problems.append(Problem(name, process.sourceline, pid, Words(
                    N_("El id de proceso '%(id)s' ya está en %(file)s."), id=pid, file=seen_processes[pid])))
            seen_processes[pid] = name
            problems += self._container_problems(name, process, known_processes)
        return problems

    def _container_problems(self, name, container, known_processes):
        """Checks on one process or embedded subprocess and, recursively, its children."""
        problems = []
        nodes = {n.get('id'): n for n in container if local(n) in FLOW_NODES}
        flows = [n for n in container if local(n) == 'sequenceFlow']
        incoming = {i: [] for i in nodes}
        outgoing = {i: [] for i in nodes}
        problems += self._missing_ids(name, container, flows)
        for flow in flows:
            fid = flow.get('id')
            for end, table in (('sourceRef', outgoing), ('targetRef', incoming)):
                ref = flow.get(end)
                if ref not in nodes:
                    problems.append(Problem(name, flow.sourceline, fid,
                                            Words(N_("La conexión apunta a '%(ref)s' (%(end)s), que no "
                                                     "existe en este proceso."), ref=ref, end=end)))
                else:
                    table[ref].append(flow)
            problems += self._expression_problem(name, flow, flow.find('bpmn:conditionExpression', NS),
                                                 Words(N_('La condición')))
        problems += connection_problems(name, container, nodes, incoming, outgoing)
        for nid, node in nodes.items():
            kind = local(node)
            problems += self._node_problems(name, node, kind, nodes, outgoing[nid], known_processes)
            if kind in ('subProcess', 'transaction'):
                problems += self._container_problems(name, node, known_processes)
        return problems

    @staticmethod
    def _missing_ids(name, container, flows):
        """A flow or element without an id is valid BPMN, but SpiffWorkflow 3.2 silently drops it
        (measured: a process whose flows lack ids parses to its start event alone)."""
        problems = []
        for node in container:
            kind = local(node)
            if (kind in FLOW_NODES or node in flows) and not node.get('id'):
                what = (Words(N_("La conexión de '%(source)s' a '%(target)s'"), source=node.get('sourceRef'),
                              target=node.get('targetRef')) if kind == 'sequenceFlow' else
                        Words(N_("El elemento %(kind)s '%(name)s'"), kind=kind, name=node.get('name') or ''))
                problems.append(Problem(name, node.sourceline, container.get('id'), Words(
                    N_('%(what)s no tiene id: el motor lo ignoraría y el caso quedaría detenido. Dele un '
                       'id único.'), what=what)))
        return problems

    # ---- last resort: SpiffWorkflow's own parse ---------------------------------------------

    def _parse_problems(self, documents, trees):
        """Parse each executable process as the engine will. Call targets were checked above
        (they may be deployed rather than in this set), so only each process's own spec is built."""
        problems = []
        try:
            parser, _ = parse_documents(documents)
        except Exception as error:  # SpiffWorkflow raises several kinds; report them all
            name = getattr(error, 'file_name', None) or next(iter(documents))
            return [Problem(name, getattr(error, 'line_number', None) or None,
                            getattr(error, 'id', None), _unparsed(error))]
        for name, tree in trees.items():
            for process in tree.getroot().iter(f'{{{BPMN_NS}}}process'):
                if process.get('isExecutable') != 'true':
                    continue
                try:
                    parser.get_spec(process.get('id'))
                except Exception as error:  # SpiffWorkflow raises several kinds; report them all
                    element_id = getattr(error, 'id', None) or process.get('id')
                    line = getattr(error, 'line_number', None) or None
                    if not line:
                        found = tree.getroot().xpath('//*[@id=$id]', id=element_id)
                        line = found[0].sourceline if found else process.sourceline
                    problems.append(Problem(name, line, element_id, _unparsed(error)))
        return problems


def _unparsed(error) -> Words:
    return Words(N_('El motor no puede interpretar el diagrama: %(error)s'), error=str(error))
