"""Which flow nodes need incoming and outgoing sequence flows, as BPMN defines it and as
SpiffWorkflow 3.2 runs it (both checked on this stack):

- a start event, a boundary event, an event subprocess (`triggeredByEvent`) and a compensation
  handler (`isForCompensation`, reached by an association) have no incoming flow; a compensation
  boundary event and an event subprocess have no outgoing flow either;
- in a process, a node without outgoing flow is an implicit end: the case completes when
  nothing else is left. On a path after a boundary event that is how error, cancel and escalation
  paths often end, so it is not reported; on the main path it deploys with a warning;
- in a subprocess (embedded, transaction or event subprocess) SpiffWorkflow completes the
  subprocess only when one of its end events is reached, so a path ending elsewhere can leave the
  case waiting for ever: an error there, and a subprocess needs a start and an end event.
"""
from lxml import etree

from ..parser import NS
from ..words import N_, Words, joined
from .problems import WARNING, Problem

SUBPROCESSES = {'subProcess', 'transaction'}


def _kind(node) -> str:
    return etree.QName(node).localname


def _is_event_subprocess(node) -> bool:
    return _kind(node) in SUBPROCESSES and node.get('triggeredByEvent') == 'true'


def _is_compensation_boundary(node) -> bool:
    return _kind(node) == 'boundaryEvent' and node.find('bpmn:compensateEventDefinition', NS) is not None


def _is_link_event(node) -> bool:
    return node.find('bpmn:linkEventDefinition', NS) is not None


def _main_path(nodes, outgoing) -> set:
    """Ids reachable from the container's start events by sequence flows (boundary paths and
    event subprocesses start elsewhere)."""
    seen = set()
    pending = [nid for nid, node in nodes.items() if _kind(node) == 'startEvent']
    while pending:
        nid = pending.pop()
        if nid in seen or nid not in nodes:
            continue
        seen.add(nid)
        pending += [flow.get('targetRef') for flow in outgoing.get(nid, [])]
    return seen


def connection_problems(name, container, nodes, incoming, outgoing) -> list[Problem]:
    in_subprocess = _kind(container) in SUBPROCESSES
    main_path = _main_path(nodes, outgoing)
    problems = []
    if in_subprocess:
        problems += _subprocess_events(name, container, nodes)
    for nid, node in nodes.items():
        kind = _kind(node)
        free = node.get('isForCompensation') == 'true' or _is_event_subprocess(node)
        if not incoming[nid] and not free and kind not in ('startEvent', 'boundaryEvent') \
                and not _is_link_event(node):
            problems.append(Problem(name, node.sourceline, nid, Words(
                N_('El elemento no tiene ninguna conexión de entrada (queda suelto).'))))
        if outgoing[nid] or free or kind == 'endEvent' or _is_compensation_boundary(node) \
                or _is_link_event(node):
            continue
        if in_subprocess:
            problems.append(Problem(name, node.sourceline, nid, Words(N_(
                'El elemento no tiene ninguna conexión de salida: dentro de un subproceso el motor '
                'solo da por terminado el subproceso al llegar a un evento de fin, así que el caso '
                'quedaría detenido; conéctelo a un evento de fin.'))))
        elif nid in main_path:
            problems.append(Problem(name, node.sourceline, nid, Words(N_(
                'El elemento no tiene ninguna conexión de salida: el camino termina aquí sin evento '
                'de fin (un fin implícito, que BPMN admite). Si no es lo que quería, conéctelo; si '
                'lo es, un evento de fin lo deja claro.')), WARNING))
    return problems


def _subprocess_events(name, container, nodes):
    kinds = {_kind(node) for node in nodes.values()}
    what = N_('El subproceso de evento') if _is_event_subprocess(container) else N_('El subproceso')
    missing = [Words(label) for kind, label in (('startEvent', N_('un evento de inicio')),
                                                ('endEvent', N_('un evento de fin'))) if kind not in kinds]
    if not missing:
        return []
    return [Problem(name, container.sourceline, container.get('id'), Words(
        N_('%(what)s necesita %(missing)s: el motor no lo puede ejecutar sin él.'),
        what=Words(what), missing=joined(missing)))]
