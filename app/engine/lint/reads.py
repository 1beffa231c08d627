"""Where one flow element reads case variables: its parameters, script, assignee, timers, loop
and event conditions; each with the moment it is read (see variables.py).

`node_reads` yields (what, line, names, when): `when` is 'in' (the data the element was entered
with), 'inside' (that, plus a multi-instance element variable) or 'out' (after it ran).
"""
from ..parser import CAMUNDA_NS, NS, comma_list
from .names import ScriptNames, expression_reads

EXPRESSION_ATTRIBUTES = (('assignee', 'El responsable (camunda:assignee)'),
                         ('candidateUsers', 'Los usuarios candidatos (camunda:candidateUsers)'),
                         ('candidateGroups', 'Los grupos candidatos (camunda:candidateGroups)'),
                         ('dueDate', 'La fecha límite (camunda:dueDate)'),
                         ('followUpDate', 'La fecha de seguimiento (camunda:followUpDate)'),
                         ('priority', 'La prioridad (camunda:priority)'))
EVENT_TEXTS = (('./bpmn:timerEventDefinition/bpmn:timeDate', 'El temporizador'),
               ('./bpmn:timerEventDefinition/bpmn:timeDuration', 'El temporizador'),
               ('./bpmn:timerEventDefinition/bpmn:timeCycle', 'El temporizador'),
               ('./bpmn:conditionalEventDefinition/bpmn:condition', 'La condición del evento'))
PARAMETER_TEXTS = './camunda:map/camunda:entry | ./camunda:list/camunda:value'


def _parameter_reads(param):
    texts = param.xpath(PARAMETER_TEXTS, namespaces=NS) or [param]
    names = set()
    for text in texts:
        if (text.text or '').strip().startswith(('${', '#{')) and (text is not param or len(param) == 0):
            names |= expression_reads(text.text)
    return names


def _loop_reads(node, nid):
    multi = node.find('bpmn:multiInstanceLoopCharacteristics', NS)
    if multi is not None:
        collection = multi.get(f'{{{CAMUNDA_NS}}}collection')
        if collection and collection.isidentifier():
            yield f"La colección de '{nid}'", multi.sourceline, {collection}, 'in'
        source = multi.find('bpmn:loopDataInputRef', NS)
        if source is not None and (source.text or '').strip().isidentifier():
            yield f"La colección de '{nid}'", source.sourceline, {source.text.strip()}, 'in'
        for path, what, when in (('bpmn:loopCardinality', 'La cardinalidad', 'in'),
                                 ('bpmn:completionCondition', 'La condición de fin', 'out')):
            found = multi.find(path, NS)
            if found is not None:
                yield f"{what} de '{nid}'", found.sourceline, expression_reads(found.text), when
    for condition in node.xpath('./bpmn:standardLoopCharacteristics/bpmn:loopCondition', namespaces=NS):
        yield f"La condición del ciclo de '{nid}'", condition.sourceline, expression_reads(condition.text), 'out'


def node_reads(flow, node, kind):
    """What `node` reads, and when; `flow` (the DataFlow) says what a handler returns."""
    nid = node.get('id')
    yield from _loop_reads(node, nid)
    for attribute, what in EXPRESSION_ATTRIBUTES:
        texts = comma_list(node.get(f'{{{CAMUNDA_NS}}}{attribute}'))  # names and expressions
        names = set().union(*(expression_reads(t) for t in texts if t.startswith(('${', '#{'))))
        if names:
            yield f"{what} de '{nid}'", node.sourceline, names, 'inside'
    for path, what in EVENT_TEXTS:
        for found in node.xpath(path, namespaces=NS):
            yield f"{what} de '{nid}'", found.sourceline, expression_reads(found.text), 'in'
    if kind == 'scriptTask':
        script = node.find('bpmn:script', NS)
        if script is not None:
            yield f"El script de '{nid}'", script.sourceline, ScriptNames(script.text).reads, 'inside'
    io = './bpmn:extensionElements/camunda:inputOutput/camunda:'
    for param in node.xpath(io + 'inputParameter', namespaces=NS):
        yield (f"El parámetro '{param.get('name')}' de '{nid}'", param.sourceline,
               _parameter_reads(param), 'inside')
    returned = flow.handler_outputs(node.get(f'{{{CAMUNDA_NS}}}topic')) if kind == 'serviceTask' else ()
    if returned is not None:  # else what the handler returns is not known: it may be read here
        for param in node.xpath(io + 'outputParameter', namespaces=NS):
            yield (f"El parámetro de salida '{param.get('name')}' de '{nid}'", param.sourceline,
                   _parameter_reads(param) - set(returned), 'inside')
