"""The parts of the Camunda 7 dialect this engine does not run, each named as found with what
to do instead: Java delegates and connectors (map them to a handler topic), listeners and job
flags (warnings: ignored, and why nothing is lost or what to model instead), and compensation
events (SpiffWorkflow 3.2 does not parse them in the Camunda dialect)."""
from ..parser import CAMUNDA_NS, NS
from .problems import WARNING, Problem

IMPLEMENTATIONS = ('class', 'delegateExpression', 'expression')
JOB_FLAGS = {
    'asyncBefore': 'cada paso ya se guarda en su propia transacción y las tareas de servicio ya '
                   'corren en segundo plano con reintentos',
    'asyncAfter': 'cada paso ya se guarda en su propia transacción y las tareas de servicio ya '
                  'corren en segundo plano con reintentos',
    'async': 'cada paso ya se guarda en su propia transacción',
    'exclusive': 'un caso avanza un paso a la vez (su fila se bloquea durante el paso)',
}
LISTENERS = {
    'executionListener': 'modele su efecto como una tarea del flujo: una tarea de script (Python) '
                         'o una tarea de servicio con camunda:type="external" y un camunda:topic',
    'taskListener': 'para asignar use camunda:assignee o camunda:candidateGroups; para avisar o '
                    'registrar, una tarea de servicio (camunda:type="external") antes o después',
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


def _topic_hint(topics) -> str:
    known = ', '.join(sorted(topics)) if topics else 'ninguno'
    return (f'Aquí el trabajo lo hace un handler de Python: use camunda:type="external" '
            f'camunda:topic="<tema>" (temas conocidos: {known}) y pásele los datos con '
            f'camunda:inputOutput.')


def implementation_message(node, topics, what='La tarea de servicio') -> str | None:
    """The refusal for a task implemented in Java, naming what was found and the topic mapping."""
    found = found_implementation(node)
    if found is None:
        return None
    return f'{what} usa {found}, código Java que este motor no ejecuta. {_topic_hint(topics)}'


def send_task_message(node, topics) -> str | None:
    found = found_implementation(node) or (
        f"camunda:type='external' camunda:topic='{_camunda(node, 'topic')}'"
        if _camunda(node, 'type') == 'external' else None)
    if found is None:
        return None
    return (f'La tarea de envío usa {found}: aquí una tarea de envío solo emite un mensaje BPMN y no '
            f'llama a nadie. Cámbiela a tarea de servicio. {_topic_hint(topics)}')


def business_rule_message(node, topics) -> str | None:
    found = found_implementation(node)
    if found is None or _camunda(node, 'decisionRef'):
        return None
    return (f'La tarea de regla de negocio usa {found}, código Java que este motor no ejecuta: dele '
            f'una tabla DMN con camunda:decisionRef, o cámbiela a tarea de servicio. {_topic_hint(topics)}')


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
                problems.append(Problem(name, node.sourceline, nid, (
                    f"camunda:{flag}='{value}' se ignora: {reason}. Puede quitarlo."), WARNING))
        for listener in node.xpath('./bpmn:extensionElements/camunda:executionListener'
                                   ' | ./bpmn:extensionElements/camunda:taskListener', namespaces=NS):
            kind = listener.tag.rsplit('}', 1)[-1]
            does = next((f"{attribute}='{listener.get(attribute)}'" for attribute in IMPLEMENTATIONS
                         if listener.get(attribute)), None) or (
                'un script' if listener.find('camunda:script', NS) is not None else 'sin implementación')
            problems.append(Problem(name, listener.sourceline, nid, (
                f"camunda:{kind} (evento '{listener.get('event') or '?'}', {does}) se ignora: este "
                f"motor no ejecuta listeners; {LISTENERS[kind]}."), WARNING))
        retries = node.find('bpmn:extensionElements/camunda:failedJobRetryTimeCycle', NS)
        if retries is not None:
            problems.append(Problem(name, retries.sourceline, nid, (
                f"camunda:failedJobRetryTimeCycle '{(retries.text or '').strip()}' se ignora: los "
                f"reintentos de las tareas de servicio los fija la instalación (PQRSF_JOB_MAX_ATTEMPTS, "
                f"PQRSF_JOB_RETRY_BASE_SECONDS). Puede quitarlo."), WARNING))
        if node.find('bpmn:compensateEventDefinition', NS) is not None:
            problems.append(Problem(name, node.sourceline, nid, (
                'Los eventos de compensación no se ejecutan en este motor (SpiffWorkflow 3.2 no los '
                'interpreta en el dialecto Camunda). Modele la anulación como un camino: un evento de '
                'borde de error o de mensaje seguido de la tarea que deshace.')))
    return problems


def implementation_problems(name, node, kind, topics) -> list[Problem]:
    """Send and business-rule tasks written for Camunda's Java runtime (service tasks: elements.py)."""
    check = {'sendTask': send_task_message, 'businessRuleTask': business_rule_message}.get(kind)
    message = check(node, topics) if check else None
    return [Problem(name, node.sourceline, node.get('id'), message)] if message else []
