"""Checks on one flow element by its kind, and on every text of it that gets evaluated.

`ElementChecks` is mixed into the Linter: it uses the linter's topics, form and input checks.
Each kind's own checks yield messages about the element, or (line, element id, message) about
another one; `_node_problems` turns them into Problems.
"""
import ast

from ..expressions import (check_timer_literal, expression_problems, iso_literal, looks_iso,
                           normalize, script_problems)
from ..parser import CAMUNDA_NS, NS
from ..cron import looks_like_cron
from .camunda import implementation_message, implementation_problems, known_or_none
from .timers import business_day_problems, counts_business_days, cron_problems
from .loops import loop_problems
from ..words import N_, Words
from .problems import Problem
from .user_tasks import human_task_messages

TIMER_KINDS = ('timeDate', 'timeDuration', 'timeCycle')
CONDITIONAL_GATEWAYS = {'exclusiveGateway', 'inclusiveGateway'}


class ElementChecks:
    def _node_problems(self, name, node, kind, nodes, outgoing, known_processes):
        nid, line = node.get('id'), node.sourceline
        check = self._KIND_CHECKS.get(kind)
        if kind in CONDITIONAL_GATEWAYS and len(outgoing) > 1:
            check = ElementChecks._gateway_messages
        messages = list(check(self, node, nodes=nodes, outgoing=outgoing,
                              known_processes=known_processes)) if check else []
        problems = [Problem(name, *m) if isinstance(m, tuple) else Problem(name, line, nid, m)
                    for m in messages]
        problems += self._evaluated_text_problems(name, node)
        problems += loop_problems(name, node)
        problems += implementation_problems(name, node, kind, self.topics)
        for timer in node.findall('bpmn:timerEventDefinition', NS):
            problems += self._timer_problems(name, node, timer)
        return problems

    # Each kind's own checks yield messages about the element, or (line, element id, message)
    # about another one.

    def _user_task_messages(self, node, **_):
        """Its form file, or the generic form's fields; its dates and candidate users."""
        yield from human_task_messages(node, self.form_problem)

    def _service_task_messages(self, node, **_):
        topic = node.get(f'{{{CAMUNDA_NS}}}topic')
        java = implementation_message(node, self.topics)
        if java and (node.get(f'{{{CAMUNDA_NS}}}type') != 'external' or not topic):
            yield java
        elif node.get(f'{{{CAMUNDA_NS}}}type') != 'external' or not topic:
            yield Words(N_('La tarea de servicio necesita camunda:type="external" y un camunda:topic '
                           'con el nombre del handler.'))
        elif self.topics is not None and topic not in self.topics:
            yield Words(N_("No hay ningún handler para el tema '%(topic)s' (conocidos: %(known)s)."),
                        topic=topic, known=known_or_none(self.topics))
        elif self.input_problems is not None:
            # literal values; an expression's value is only known at run time (None)
            literals = {p.get('name'): None if len(p) or (p.text or '').strip().startswith(('${', '#{'))
                        else (p.text or '').strip() for p in node.xpath(
                './bpmn:extensionElements/camunda:inputOutput/camunda:inputParameter', namespaces=NS)}
            yield from self.input_problems(topic, literals)

    def _script_task_messages(self, node, **_):
        script = node.find('bpmn:script', NS)
        language = (node.get('scriptFormat') or 'python').strip()
        if script is None or not (script.text or '').strip():
            yield Words(N_('La tarea de script no tiene script.'))
        elif language.lower() not in ('python', 'py', 'text/x-python'):
            yield Words(N_("El script está en scriptFormat='%(language)s': aquí solo se ejecutan scripts "
                           "de Python (scriptFormat='python'); reescríbalo en Python o use una tarea de "
                           "servicio (camunda:type=\"external\") con un handler."), language=language)
        else:
            for message in script_problems(script.text):
                yield Words(N_('El script no se puede ejecutar: %(problem)s'), problem=message)

    def _call_activity_messages(self, node, known_processes, **_):
        called = node.get('calledElement')
        if not called:
            yield Words(N_('La actividad de llamada no dice qué proceso llama (calledElement).'))
        elif called not in known_processes:
            yield Words(N_("La actividad de llamada llama al proceso '%(called)s', que no está ni en "
                           "estos archivos ni desplegado."), called=called)

    def _boundary_event_messages(self, node, nodes, **_):
        attached = node.get('attachedToRef')
        if attached not in nodes:
            yield Words(N_("El evento de borde está unido a '%(attached)s', que no existe en este "
                           "proceso."), attached=attached)

    def _gateway_messages(self, node, outgoing, **_):
        default = node.get('default')
        if default and default not in {f.get('id') for f in outgoing}:
            yield Words(N_("La salida por defecto '%(default)s' no es una salida de esta compuerta."),
                        default=default)
        for flow in outgoing:
            if flow.get('id') != default and flow.find('bpmn:conditionExpression', NS) is None:
                yield (flow.sourceline, flow.get('id'),
                       Words(N_("La salida de la compuerta '%(gateway)s' no tiene condición ni es la "
                                "salida por defecto."), gateway=node.get('id')))

    _KIND_CHECKS = {'userTask': _user_task_messages, 'task': _user_task_messages,
                    'manualTask': _user_task_messages, 'serviceTask': _service_task_messages,
                    'scriptTask': _script_task_messages, 'callActivity': _call_activity_messages,
                    'boundaryEvent': _boundary_event_messages}

    # Where else a diagram's text is evaluated, besides conditions on flows, scripts and timers.
    EVALUATED = (
        ('./bpmn:multiInstanceLoopCharacteristics/bpmn:loopCardinality', N_('La cardinalidad')),
        ('./bpmn:multiInstanceLoopCharacteristics/bpmn:completionCondition', N_('La condición de fin')),
        ('./bpmn:standardLoopCharacteristics/bpmn:loopCondition', N_('La condición del ciclo')),
        ('./bpmn:conditionalEventDefinition/bpmn:condition', N_('La condición del evento')),
    )
    PARAMETERS = ('./bpmn:extensionElements/camunda:inputOutput/*[not(*)]'
                  ' | ./bpmn:extensionElements/camunda:inputOutput/*/camunda:map/camunda:entry'
                  ' | ./bpmn:extensionElements/camunda:inputOutput/*/camunda:list/camunda:value')

    def _evaluated_text_problems(self, name, node):
        """Parameters, the assignee, loop and event conditions: each must run in the sandbox."""
        nid, problems = node.get('id'), []
        for param in node.xpath(self.PARAMETERS, namespaces=NS):
            if (param.text or '').strip().startswith(('${', '#{')):
                problems += self._expression_problem(name, param, param, Words(N_('El parámetro')), nid)
        assignee = node.get(f'{{{CAMUNDA_NS}}}assignee') or ''
        if assignee.strip().startswith(('${', '#{')):
            problems += [Problem(name, node.sourceline, nid, Words(
                N_('El responsable (camunda:assignee) no se puede evaluar: %(problem)s'), problem=message))
                for message in expression_problems(assignee)]
        for path, what in self.EVALUATED:
            for element in node.xpath(path, namespaces=NS):
                problems += self._expression_problem(name, element, element, Words(what), nid)
        multi = node.find('bpmn:multiInstanceLoopCharacteristics', NS)
        collection = multi.get(f'{{{CAMUNDA_NS}}}collection') if multi is not None else None
        if collection is not None and (not collection.isidentifier() or collection.startswith('_')):
            problems.append(Problem(name, multi.sourceline, nid, Words(
                N_("camunda:collection debe ser el nombre de una variable, no '%(collection)s'."),
                collection=collection)))
        return problems

    def _timer_problems(self, name, node, timer):
        nid = node.get('id')
        present = [(kind, timer.find(f'bpmn:{kind}', NS)) for kind in TIMER_KINDS]
        present = [(kind, el) for kind, el in present if el is not None]
        if len(present) != 1:
            return [Problem(name, timer.sourceline, nid, Words(
                N_('El temporizador debe tener exactamente una de timeDate, timeDuration o timeCycle.')))]
        kind, element = present[0]
        text = (element.text or '').strip()
        if not text:
            return [Problem(name, element.sourceline, nid, Words(
                N_('El temporizador (%(kind)s) está vacío.'), kind=kind))]
        cron_text = looks_like_cron(normalize(text))
        literal = normalize(text) if cron_text else iso_literal(text) or (
            normalize(text) if looks_iso(text) else None) or _quoted_constant(normalize(text))
        business = [Problem(name, element.sourceline, nid, message) for message in
                    business_day_problems(kind, literal, cron_text)] if counts_business_days(node) else []
        if cron_text:
            return [Problem(name, element.sourceline, nid, message)
                    for message in cron_problems(normalize(text), kind)] + business
        if literal is not None:
            try:
                check_timer_literal(literal, kind)
            except ValueError as error:
                return [Problem(name, element.sourceline, nid, error.args[0])]  # Words
            return business
        return self._expression_problem(name, element, element, Words(
            N_('La expresión del temporizador (%(kind)s)'), kind=kind), nid) + business

    @staticmethod
    def _expression_problem(name, owner, element, what: Words, element_id=None):
        """`what` names the text ('La condición') as words."""
        if element is None:
            return []
        text = (element.text or '').strip()
        if not text:
            return [Problem(name, element.sourceline, element_id or owner.get('id'), Words(
                N_('%(what)s está vacía.'), what=what))]
        return [Problem(name, element.sourceline, element_id or owner.get('id'), Words(
                        N_('%(what)s no se puede evaluar: %(expression)s: %(problem)s'),
                        what=what, expression=repr(normalize(text)), problem=message))
                for message in expression_problems(text)]


def _quoted_constant(expression: str) -> str | None:
    """The text of an expression that is only a quoted string (`"P3D"`): it is the timer's value
    as it stands, so it is checked as ISO 8601 at deploy instead of failing when the timer is set."""
    try:  # parsed, never evaluated: diagram text runs only in the sandbox
        body = ast.parse(expression, mode='eval').body
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return None
    return body.value.strip() if isinstance(body, ast.Constant) and isinstance(body.value, str) else None
