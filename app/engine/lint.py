"""Check diagrams before they are deployed, and say exactly what is wrong and where.

Runs on a set of documents at once (a call activity may target a process in another file) and
reports every problem it finds, each with file, line and element id, instead of stopping at
SpiffWorkflow's first exception. The checks cover what SpiffWorkflow 3.2 would accept but fail
on at run time (reserved ids, `${}` expressions, unknown handler topics, missing forms...); a
final full parse catches whatever the checks above did not foresee.
"""
import ast
import os
from dataclasses import dataclass

from lxml import etree
from SpiffWorkflow.bpmn.parser.BpmnParser import XSD_PATH

from .expressions import (check_timer_literal, expression_problems, iso_literal, looks_iso,
                          normalize, script_problems)
from .parser import BPMN_NS, CAMUNDA_NS, NS, parse_documents, read_xml

RESERVED_IDS = {'Start', 'End', 'Root'}
RESERVED_SUFFIXES = ('.EndJoin', '.BoundaryEventSplit', '.BoundaryEventJoin', ' [child]')
TIMER_KINDS = ('timeDate', 'timeDuration', 'timeCycle')
FLOW_NODES = {'startEvent', 'endEvent', 'intermediateCatchEvent', 'intermediateThrowEvent',
              'boundaryEvent', 'task', 'userTask', 'serviceTask', 'scriptTask', 'manualTask',
              'sendTask', 'receiveTask', 'businessRuleTask', 'callActivity', 'subProcess',
              'transaction', 'exclusiveGateway', 'parallelGateway', 'inclusiveGateway',
              'eventBasedGateway', 'complexGateway'}
NO_INCOMING_NEEDED = {'startEvent', 'boundaryEvent'}
NO_OUTGOING_NEEDED = {'endEvent'}
CONDITIONAL_GATEWAYS = {'exclusiveGateway', 'inclusiveGateway'}


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None
    element_id: str | None
    message: str

    def __str__(self):
        where = f'{self.file}:{self.line}' if self.line else self.file
        return f"{where}: {self.element_id or '-'}: {self.message}"

    def as_dict(self):
        return {'file': self.file, 'line': self.line, 'element_id': self.element_id,
                'message': self.message}


_schema = None


def _xsd():
    global _schema
    if _schema is None:
        _schema = etree.XMLSchema(etree.parse(XSD_PATH))
    return _schema


def local(node) -> str:
    return etree.QName(node).localname if isinstance(node.tag, str) else ''


class Linter:
    """`Linter(topics, form_problem, deployed_process_ids).lint({name: xml})` -> [Problem]."""

    def __init__(self, topics=None, form_problem=None, deployed_process_ids=(), input_problems=None):
        self.topics = set(topics) if topics is not None else None
        self.form_problem = form_problem
        self.deployed = set(deployed_process_ids)
        # input_problems(topic, {name: literal text}) -> [message]: a handler's own checks of
        # the literal inputs a diagram gives it (e.g. that an email template exists)
        self.input_problems = input_problems

    def lint(self, documents: dict[str, bytes | str]) -> list[Problem]:
        problems, trees = [], {}
        for name, content in documents.items():
            try:
                trees[name] = read_xml(content)
            except etree.XMLSyntaxError as error:
                problems.append(Problem(name, error.lineno, None, f'XML mal formado: {error.msg}'))
        for name, tree in trees.items():
            problems += self._schema_problems(name, tree)
        known_processes = set(self.deployed)
        for tree in trees.values():
            known_processes.update(p.get('id') for p in tree.getroot().iter(f'{{{BPMN_NS}}}process'))
        seen_processes = {}
        for name, tree in trees.items():
            problems += self._document_problems(name, tree, known_processes, seen_processes)
        if not problems:
            problems += self._parse_problems(documents, trees)
        return problems

    # ---- whole-document checks -------------------------------------------------------------

    def _schema_problems(self, name, tree):
        root = tree.getroot()
        if root.tag != f'{{{BPMN_NS}}}definitions':
            return [Problem(name, root.sourceline, root.get('id'),
                            'El documento no es BPMN 2.0: la raíz debe ser bpmn:definitions.')]
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
                                    f'No cumple el esquema BPMN 2.0: {entry.message}'))
        return problems

    def _document_problems(self, name, tree, known_processes, seen_processes):
        problems = []
        processes = list(tree.getroot().iter(f'{{{BPMN_NS}}}process'))
        if not any(p.get('isExecutable') == 'true' for p in processes):
            where = processes[0] if len(processes) == 1 else tree.getroot()
            problems.append(Problem(name, where.sourceline, where.get('id'),
                                    'Ningún proceso está marcado como ejecutable (isExecutable="true").'))
        for node in tree.getroot().iter():
            element_id = node.get('id') if isinstance(node.tag, str) else None
            if element_id and (element_id in RESERVED_IDS or element_id.endswith(RESERVED_SUFFIXES)):
                problems.append(Problem(name, node.sourceline, element_id,
                                        f"El id '{element_id}' está reservado por el motor; use otro."))
        for process in processes:
            pid = process.get('id')
            if pid in seen_processes:
                problems.append(Problem(name, process.sourceline, pid,
                                        f"El id de proceso '{pid}' ya está en {seen_processes[pid]}."))
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
        for flow in flows:
            fid = flow.get('id')
            for end, table in (('sourceRef', outgoing), ('targetRef', incoming)):
                ref = flow.get(end)
                if ref not in nodes:
                    problems.append(Problem(name, flow.sourceline, fid,
                                            f"La conexión apunta a '{ref}' ({end}), que no existe en este proceso."))
                else:
                    table[ref].append(flow)
            problems += self._expression_problem(name, flow, flow.find('bpmn:conditionExpression', NS),
                                                 'La condición')
        for nid, node in nodes.items():
            kind = local(node)
            is_compensation = node.get('isForCompensation') == 'true'
            in_event_subprocess = container.get('triggeredByEvent') == 'true'
            if not incoming[nid] and kind not in NO_INCOMING_NEEDED and not is_compensation:
                problems.append(Problem(name, node.sourceline, nid,
                                        'El elemento no tiene ninguna conexión de entrada (queda suelto).'))
            if not outgoing[nid] and kind not in NO_OUTGOING_NEEDED and not in_event_subprocess \
                    and not is_compensation:
                problems.append(Problem(name, node.sourceline, nid,
                                        'El elemento no tiene ninguna conexión de salida (el caso quedaría detenido).'))
            problems += self._node_problems(name, node, kind, nodes, outgoing[nid], known_processes)
            if kind in ('subProcess', 'transaction'):
                problems += self._container_problems(name, node, known_processes)
        return problems

    # ---- element checks ----------------------------------------------------------------------

    def _node_problems(self, name, node, kind, nodes, outgoing, known_processes):
        nid, line = node.get('id'), node.sourceline
        check = self._KIND_CHECKS.get(kind)
        if kind in CONDITIONAL_GATEWAYS and len(outgoing) > 1:
            check = Linter._gateway_messages
        messages = list(check(self, node, nodes=nodes, outgoing=outgoing,
                              known_processes=known_processes)) if check else []
        problems = [Problem(name, *m) if isinstance(m, tuple) else Problem(name, line, nid, m)
                    for m in messages]
        problems += self._evaluated_text_problems(name, node)
        multi = node.find('bpmn:multiInstanceLoopCharacteristics', NS)
        if multi is not None and multi.get(f'{{{CAMUNDA_NS}}}collection') is None \
                and multi.find('bpmn:loopCardinality', NS) is None:
            problems.append(Problem(name, line, nid, 'La actividad multi-instancia necesita '
                                                     'camunda:collection o loopCardinality.'))
        for timer in node.findall('bpmn:timerEventDefinition', NS):
            problems += self._timer_problems(name, node, timer)
        return problems

    # Each kind's own checks yield messages about the element, or (line, element id, message)
    # about another one.

    def _user_task_messages(self, node, **_):
        key = node.get(f'{{{CAMUNDA_NS}}}formKey')
        if not key:
            yield 'La tarea de usuario no tiene formulario (camunda:formKey).'
        elif self.form_problem is not None and (issue := self.form_problem(key)):
            yield issue

    def _service_task_messages(self, node, **_):
        topic = node.get(f'{{{CAMUNDA_NS}}}topic')
        if node.get(f'{{{CAMUNDA_NS}}}type') != 'external' or not topic:
            yield ('La tarea de servicio necesita camunda:type="external" y un camunda:topic '
                   'con el nombre del handler.')
        elif self.topics is not None and topic not in self.topics:
            known = ', '.join(sorted(self.topics)) or 'ninguno'
            yield f"No hay ningún handler para el tema '{topic}' (conocidos: {known})."
        elif self.input_problems is not None:
            literals = {p.get('name'): (p.text or '').strip() for p in node.xpath(
                './bpmn:extensionElements/camunda:inputOutput/camunda:inputParameter', namespaces=NS)
                if not (p.text or '').strip().startswith(('${', '#{')) and len(p) == 0}
            yield from self.input_problems(topic, literals)

    def _script_task_messages(self, node, **_):
        script = node.find('bpmn:script', NS)
        if script is None or not (script.text or '').strip():
            yield 'La tarea de script no tiene script.'
        else:
            for message in script_problems(script.text):
                yield f'El script no se puede ejecutar: {message}'

    def _call_activity_messages(self, node, known_processes, **_):
        called = node.get('calledElement')
        if not called:
            yield 'La actividad de llamada no dice qué proceso llama (calledElement).'
        elif called not in known_processes:
            yield (f"La actividad de llamada llama al proceso '{called}', que no está ni en "
                   f"estos archivos ni desplegado.")

    def _boundary_event_messages(self, node, nodes, **_):
        attached = node.get('attachedToRef')
        if attached not in nodes:
            yield f"El evento de borde está unido a '{attached}', que no existe en este proceso."

    def _gateway_messages(self, node, outgoing, **_):
        default = node.get('default')
        if default and default not in {f.get('id') for f in outgoing}:
            yield f"La salida por defecto '{default}' no es una salida de esta compuerta."
        for flow in outgoing:
            if flow.get('id') != default and flow.find('bpmn:conditionExpression', NS) is None:
                yield (flow.sourceline, flow.get('id'),
                       f"La salida de la compuerta '{node.get('id')}' no tiene condición "
                       f"ni es la salida por defecto.")

    _KIND_CHECKS = {'userTask': _user_task_messages, 'serviceTask': _service_task_messages,
                    'scriptTask': _script_task_messages, 'callActivity': _call_activity_messages,
                    'boundaryEvent': _boundary_event_messages}

    # Where else a diagram's text is evaluated, besides conditions on flows, scripts and timers.
    EVALUATED = (
        ('./bpmn:multiInstanceLoopCharacteristics/bpmn:loopCardinality', 'La cardinalidad'),
        ('./bpmn:multiInstanceLoopCharacteristics/bpmn:completionCondition', 'La condición de fin'),
        ('./bpmn:standardLoopCharacteristics/bpmn:loopCondition', 'La condición del ciclo'),
        ('./bpmn:conditionalEventDefinition/bpmn:condition', 'La condición del evento'),
    )
    PARAMETERS = ('./bpmn:extensionElements/camunda:inputOutput/*[not(*)]'
                  ' | ./bpmn:extensionElements/camunda:inputOutput/*/camunda:map/camunda:entry'
                  ' | ./bpmn:extensionElements/camunda:inputOutput/*/camunda:list/camunda:value')

    def _evaluated_text_problems(self, name, node):
        """Parameters, the assignee, loop and event conditions: each must run in the sandbox."""
        nid, problems = node.get('id'), []
        for param in node.xpath(self.PARAMETERS, namespaces=NS):
            if (param.text or '').strip().startswith(('${', '#{')):
                problems += self._expression_problem(name, param, param, 'El parámetro', nid)
        assignee = node.get(f'{{{CAMUNDA_NS}}}assignee') or ''
        if assignee.strip().startswith(('${', '#{')):
            problems += [Problem(name, node.sourceline, nid, f'El responsable (camunda:assignee) no se '
                                 f'puede evaluar: {message}') for message in expression_problems(assignee)]
        for path, what in self.EVALUATED:
            for element in node.xpath(path, namespaces=NS):
                problems += self._expression_problem(name, element, element, what, nid)
        multi = node.find('bpmn:multiInstanceLoopCharacteristics', NS)
        collection = multi.get(f'{{{CAMUNDA_NS}}}collection') if multi is not None else None
        if collection is not None and (not collection.isidentifier() or collection.startswith('_')):
            problems.append(Problem(name, multi.sourceline, nid,
                                    f"camunda:collection debe ser el nombre de una variable, no '{collection}'."))
        return problems

    def _timer_problems(self, name, node, timer):
        nid = node.get('id')
        present = [(kind, timer.find(f'bpmn:{kind}', NS)) for kind in TIMER_KINDS]
        present = [(kind, el) for kind, el in present if el is not None]
        if len(present) != 1:
            return [Problem(name, timer.sourceline, nid,
                            'El temporizador debe tener exactamente una de timeDate, timeDuration '
                            'o timeCycle.')]
        kind, element = present[0]
        text = (element.text or '').strip()
        if not text:
            return [Problem(name, element.sourceline, nid, f'El temporizador ({kind}) está vacío.')]
        literal = iso_literal(text) or (normalize(text) if looks_iso(text) else None) \
            or _quoted_constant(normalize(text))
        if literal is not None:
            try:
                check_timer_literal(literal, kind)
            except ValueError as error:
                return [Problem(name, element.sourceline, nid, str(error))]
            return []
        return self._expression_problem(name, element, element, f'La expresión del temporizador ({kind})', nid)

    @staticmethod
    def _expression_problem(name, owner, element, what, element_id=None):
        if element is None:
            return []
        text = (element.text or '').strip()
        if not text:
            return [Problem(name, element.sourceline, element_id or owner.get('id'), f'{what} está vacía.')]
        return [Problem(name, element.sourceline, element_id or owner.get('id'),
                        f"{what} no se puede evaluar: {normalize(text)!r}: {message}")
                for message in expression_problems(text)]

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
                            getattr(error, 'id', None), f'El motor no puede interpretar el diagrama: {error}')]
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
                    problems.append(Problem(name, line, element_id,
                                            f'El motor no puede interpretar el diagrama: {error}'))
        return problems


def read_documents(paths) -> dict[str, bytes]:
    """{display name: content} for files and directories (every *.bpmn inside, sorted)."""
    documents = {}
    for path in paths:
        if os.path.isdir(path):
            for entry in sorted(os.listdir(path)):
                if entry.endswith('.bpmn'):
                    full = os.path.join(path, entry)
                    with open(full, 'rb') as handle:
                        documents[full] = handle.read()
        else:
            with open(path, 'rb') as handle:
                documents[path] = handle.read()
    return documents


def _quoted_constant(expression: str) -> str | None:
    """The text of an expression that is only a quoted string (`"P3D"`): it is the timer's value
    as it stands, so it is checked as ISO 8601 at deploy instead of failing when the timer is set."""
    try:  # parsed, never evaluated: diagram text runs only in the sandbox
        body = ast.parse(expression, mode='eval').body
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return None
    return body.value.strip() if isinstance(body, ast.Constant) and isinstance(body.value, str) else None
