"""Lint of the process facts a diagram declares (`camunda:properties`, see engine/facts.py): a
value the code would not understand is an error naming the element and the values allowed, so a
misspelt milestone cannot silently drop a case from the indicators."""
from ..facts import ALLOWED, BUSINESS_DAYS, CLIENT_MESSAGE, DUE_DATE_VARIABLE, SHARED_VARIABLES, properties_of
from ..shared import invalid_names
from ..parser import BPMN_NS
from ..words import N_, Words
from .problems import Problem

MESSAGE_DEFINITION = f'{{{BPMN_NS}}}messageEventDefinition'
TIMER_DEFINITION = f'{{{BPMN_NS}}}timerEventDefinition'


def fact_problems(name, tree) -> list[Problem]:
    problems, waiting = [], {}
    for node in tree.getroot().iter():
        if not isinstance(node.tag, str) or not node.get('id'):
            continue
        element_id = node.get('id')
        for prop, value in properties_of(node).items():
            allowed = ALLOWED.get(prop)
            if allowed is not None and value.strip().lower() not in allowed:
                problems.append(Problem(name, node.sourceline, element_id, Words(
                    N_("La propiedad '%(property)s' vale '%(value)s', que no se reconoce; valores "
                       "permitidos: %(allowed)s."), property=prop, value=value, allowed=', '.join(allowed))))
            if prop == DUE_DATE_VARIABLE and not value.strip().isidentifier():
                problems.append(Problem(name, node.sourceline, element_id, Words(
                    N_("La propiedad '%(property)s' debe ser el nombre de una variable del caso, no "
                       "'%(value)s'."), property=prop, value=value)))
            if prop == SHARED_VARIABLES and invalid_names(value):
                problems.append(Problem(name, node.sourceline, element_id, Words(
                    N_("La propiedad '%(property)s' lista nombres de variables separados por comas; "
                       "no lo son: %(names)s."), property=prop, names=', '.join(invalid_names(value)))))
            if prop == BUSINESS_DAYS and node.find(TIMER_DEFINITION) is None:
                problems.append(Problem(name, node.sourceline, element_id, Words(
                    N_("La propiedad '%(property)s' va en un evento de temporizador (timeDuration o "
                       "timeCycle); este elemento no espera ninguno."), property=prop)))
            if prop == CLIENT_MESSAGE and node.find(MESSAGE_DEFINITION) is None:
                problems.append(Problem(name, node.sourceline, element_id, Words(
                    N_("La propiedad '%(property)s' va en un evento que espera un mensaje; este "
                       "elemento no espera ninguno."), property=prop)))
            elif prop == CLIENT_MESSAGE:
                message = node.find(MESSAGE_DEFINITION).get('messageRef')
                first = waiting.setdefault(value, (element_id, message))
                if first[1] != message:  # several events may wait for one message, not two
                    problems.append(Problem(name, node.sourceline, element_id, Words(
                        N_("'%(property)s' = '%(value)s' ya está declarado en '%(first)s' con otro "
                           "mensaje: el mensaje del cliente sería ambiguo."),
                        property=prop, value=value, first=first[0])))
    return problems
