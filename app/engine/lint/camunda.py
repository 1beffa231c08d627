"""The parts of the Camunda 7 dialect this engine does not run, each named as found with what
to do instead: Java delegates and connectors (map them to a handler topic), listeners and job
flags (warnings: ignored, and why nothing is lost or what to model instead), and compensation
events (SpiffWorkflow 3.2 does not parse them in the Camunda dialect)."""
from ..parser import CAMUNDA_NS, NS
from ..words import N_, Words
from .problems import WARNING, Problem

IMPLEMENTATIONS = ('class', 'delegateExpression', 'expression')
JOB_FLAGS = {
    'asyncBefore': N_('cada paso ya se guarda en su propia transacción y las tareas de servicio ya '
                      'corren en segundo plano con reintentos'),
    'asyncAfter': N_('cada paso ya se guarda en su propia transacción y las tareas de servicio ya '
                     'corren en segundo plano con reintentos'),
    'async': N_('cada paso ya se guarda en su propia transacción'),
    'exclusive': N_('un caso avanza un paso a la vez (su fila se bloquea durante el paso)'),
}
LISTENERS = {
    'executionListener': N_('modele su efecto como una tarea del flujo: una tarea de script (Python) '
                            'o una tarea de servicio con camunda:type="external" y un camunda:topic'),
    'taskListener': N_('para asignar use camunda:assignee o camunda:candidateGroups; para avisar o '
                       'registrar, una tarea de servicio (camunda:type="external") antes o después'),
}


def _camunda(node, attribute):
    return node.get(f'{{{CAMUNDA_NS}}}{attribute}')


def found_implementation(node) -> str | None:
    """What Java implementation a task carries, as written (`camunda:class='org.acme.SendMail'`)."""
    for attribute in IMPLEMENTATIONS:
        value = _camunda(node, attribute)
        if value:
            return f"camunda:{attribute}='{value}'"
    connector = node.find('bpmn:extensionElements/camunda:connector', NS)
    if connector is not None:
        connector_id = (connector.findtext('camunda:connectorId', '', NS) or '').strip()
        return f"camunda:connector (connectorId '{connector_id}')" if connector_id else 'camunda:connector'
    return None


def known_or_none(names, none=None):
    """Names joined by ', ', or the word for none ('ninguno')."""
    return ', '.join(sorted(names)) if names else Words(none or N_('ninguno'))


def _topic_hint(topics) -> Words:
    return Words(N_('Aquí el trabajo lo hace un handler de Python: use camunda:type="external" '
                    'camunda:topic="<tema>" (temas conocidos: %(known)s) y pásele los datos con '
                    'camunda:inputOutput.'), known=known_or_none(topics))


def implementation_message(node, topics) -> Words | None:
    """The refusal for a service task implemented in Java, naming what was found and the topic
    mapping."""
    found = found_implementation(node)
    if found is None:
        return None
    return Words(N_('La tarea de servicio usa %(found)s, código Java que este motor no ejecuta. '
                    '%(hint)s'), found=found, hint=_topic_hint(topics))


def send_task_message(node, topics) -> str | None:
    found = found_implementation(node) or (
        f"camunda:type='external' camunda:topic='{_camunda(node, 'topic')}'"
        if _camunda(node, 'type') == 'external' else None)
    if found is None:
        return None
    return Words(N_('La tarea de envío usa %(found)s: aquí una tarea de envío solo emite un mensaje '
                    'BPMN y no llama a nadie. Cámbiela a tarea de servicio. %(hint)s'),
                 found=found, hint=_topic_hint(topics))


def business_rule_message(node, topics) -> str | None:
    found = found_implementation(node)
    if found is None or _camunda(node, 'decisionRef'):
        return None
    return Words(N_('La tarea de regla de negocio usa %(found)s, código Java que este motor no '
                    'ejecuta: dele una tabla DMN con camunda:decisionRef, o cámbiela a tarea de '
                    'servicio. %(hint)s'), found=found, hint=_topic_hint(topics))


def ignored_problems(name, tree) -> list[Problem]:
    """Warnings for listeners and job flags on any element; errors for compensation events."""
    problems = []
    for node in tree.getroot().iter():
        if not isinstance(node.tag, str) or not node.get('id'):
            continue
        nid = node.get('id')
        for flag, reason in JOB_FLAGS.items():
            value = _camunda(node, flag)
            if value is not None:
                problems.append(Problem(name, node.sourceline, nid, Words(
                    N_("%(found)s se ignora: %(reason)s. Puede quitarlo."),
                    found=f"camunda:{flag}='{value}'", reason=Words(reason)), WARNING))
        for listener in node.xpath('./bpmn:extensionElements/camunda:executionListener'
                                   ' | ./bpmn:extensionElements/camunda:taskListener', namespaces=NS):
            kind = listener.tag.rsplit('}', 1)[-1]
            does = next((f"{attribute}='{listener.get(attribute)}'" for attribute in IMPLEMENTATIONS
                         if listener.get(attribute)), None) or Words(
                N_('un script') if listener.find('camunda:script', NS) is not None else N_('sin implementación'))
            problems.append(Problem(name, listener.sourceline, nid, Words(
                N_("camunda:%(kind)s (evento '%(event)s', %(does)s) se ignora: este motor no ejecuta "
                   "listeners; %(instead)s."), kind=kind, event=listener.get('event') or '?',
                does=does, instead=Words(LISTENERS[kind])), WARNING))
        retries = node.find('bpmn:extensionElements/camunda:failedJobRetryTimeCycle', NS)
        if retries is not None:
            problems.append(Problem(name, retries.sourceline, nid, Words(
                N_("camunda:failedJobRetryTimeCycle '%(value)s' se ignora: los reintentos de las "
                   "tareas de servicio los fija la instalación (PQRSF_JOB_MAX_ATTEMPTS, "
                   "PQRSF_JOB_RETRY_BASE_SECONDS). Puede quitarlo."),
                value=(retries.text or '').strip()), WARNING))
        if node.find('bpmn:compensateEventDefinition', NS) is not None:
            problems.append(Problem(name, node.sourceline, nid, Words(N_(
                'Los eventos de compensación no se ejecutan en este motor (SpiffWorkflow 3.2 no los '
                'interpreta en el dialecto Camunda). Modele la anulación como un camino: un evento de '
                'borde de error o de mensaje seguido de la tarea que deshace.'))))
    return problems


def implementation_problems(name, node, kind, topics) -> list[Problem]:
    """Send and business-rule tasks written for Camunda's Java runtime (service tasks: elements.py)."""
    check = {'sendTask': send_task_message, 'businessRuleTask': business_rule_message}.get(kind)
    message = check(node, topics) if check else None
    return [Problem(name, node.sourceline, node.get('id'), message)] if message else []
