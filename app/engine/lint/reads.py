"""Where one flow element reads case variables: its parameters, script, assignee, timers, loop
and event conditions; each with the moment it is read (see variables.py).

`node_reads` yields (what, line, names, when): `when` is 'in' (the data the element was entered
with), 'inside' (that, plus a multi-instance element variable) or 'out' (after it ran).
"""
from ..parser import CAMUNDA_NS, NS, comma_list
from ..words import N_, Words
from .names import ScriptNames, expression_reads

EXPRESSION_ATTRIBUTES = (('assignee', N_('El responsable (camunda:assignee)')),
                         ('candidateUsers', N_('Los usuarios candidatos (camunda:candidateUsers)')),
                         ('candidateGroups', N_('Los grupos candidatos (camunda:candidateGroups)')),
                         ('dueDate', N_('La fecha límite (camunda:dueDate)')),
                         ('followUpDate', N_('La fecha de seguimiento (camunda:followUpDate)')),
                         ('priority', N_('La prioridad (camunda:priority)')))
EVENT_TEXTS = (('./bpmn:timerEventDefinition/bpmn:timeDate', N_('El temporizador')),
               ('./bpmn:timerEventDefinition/bpmn:timeDuration', N_('El temporizador')),
               ('./bpmn:timerEventDefinition/bpmn:timeCycle', N_('El temporizador')),
               ('./bpmn:conditionalEventDefinition/bpmn:condition', N_('La condición del evento')))
PARAMETER_TEXTS = './camunda:map/camunda:entry | ./camunda:list/camunda:value'


def _of(template, nid) -> Words:
    return Words(template, element=nid)


def _what_of(what, nid) -> Words:
    """'La cardinalidad de 'x'' as words."""
    return Words(N_("%(what)s de '%(element)s'"), what=Words(what), element=nid)


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
            yield _of(N_("La colección de '%(element)s'"), nid), multi.sourceline, {collection}, 'in'
        source = multi.find('bpmn:loopDataInputRef', NS)
        if source is not None and (source.text or '').strip().isidentifier():
            yield _of(N_("La colección de '%(element)s'"), nid), source.sourceline, {source.text.strip()}, 'in'
        for path, what, when in (('bpmn:loopCardinality', N_('La cardinalidad'), 'in'),
                                 ('bpmn:completionCondition', N_('La condición de fin'), 'out')):
            found = multi.find(path, NS)
            if found is not None:
                yield _what_of(what, nid), found.sourceline, expression_reads(found.text), when
    for condition in node.xpath('./bpmn:standardLoopCharacteristics/bpmn:loopCondition', namespaces=NS):
        yield _of(N_("La condición del ciclo de '%(element)s'"), nid), condition.sourceline, expression_reads(condition.text), 'out'


def node_reads(flow, node, kind):
    """What `node` reads, and when; `flow` (the DataFlow) says what a handler returns."""
    nid = node.get('id')
    yield from _loop_reads(node, nid)
    for attribute, what in EXPRESSION_ATTRIBUTES:
        texts = comma_list(node.get(f'{{{CAMUNDA_NS}}}{attribute}'))  # names and expressions
        names = set().union(*(expression_reads(t) for t in texts if t.startswith(('${', '#{'))))
        if names:
            yield _what_of(what, nid), node.sourceline, names, 'inside'
    for path, what in EVENT_TEXTS:
        for found in node.xpath(path, namespaces=NS):
            yield _what_of(what, nid), found.sourceline, expression_reads(found.text), 'in'
    if kind == 'scriptTask':
        script = node.find('bpmn:script', NS)
        if script is not None:
            yield _of(N_("El script de '%(element)s'"), nid), script.sourceline, ScriptNames(script.text).reads, 'inside'
    io = './bpmn:extensionElements/camunda:inputOutput/camunda:'
    for param in node.xpath(io + 'inputParameter', namespaces=NS):
        yield (Words(N_("El parámetro '%(name)s' de '%(element)s'"), name=param.get('name'), element=nid),
               param.sourceline,
               _parameter_reads(param), 'inside')
    returned = flow.handler_outputs(node.get(f'{{{CAMUNDA_NS}}}topic')) if kind == 'serviceTask' else ()
    if returned is not None:  # else what the handler returns is not known: it may be read here
        for param in node.xpath(io + 'outputParameter', namespaces=NS):
            yield (Words(N_("El parámetro de salida '%(name)s' de '%(element)s'"), name=param.get('name'),
                         element=nid), param.sourceline,
                   _parameter_reads(param) - set(returned), 'inside')
