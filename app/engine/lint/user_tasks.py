"""Checks of what a person works: the form of a user (or plain, or manual) task, its due and
follow-up dates, its candidate users and groups and its priority, as Camunda Modeler writes them.

A task without `camunda:formKey` is accepted: it gets a generic form from its
`camunda:formData` fields (or a comment), so only fields that could not become one are refused.
"""
from datetime import datetime

from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition

from ..expressions import expression_problems, iso_literal, normalize
from ..form_data import field_problems, field_warnings, form_fields
from ..parser import CAMUNDA_NS, comma_list
from ..task_dates import java_rewrite
from ..task_settings import as_priority
from ..words import N_, Words
from .problems import WARNING

DATE_ATTRIBUTES = ('dueDate', 'followUpDate')
NAME_ATTRIBUTES = (('candidateUsers', N_('Los usuarios candidatos (camunda:candidateUsers)')),
                   ('candidateGroups', N_('Los grupos candidatos (camunda:candidateGroups)')))


def human_task_messages(node, form_problem):
    """Messages (errors) or (line, id, message, severity) tuples about one human task."""
    key = node.get(f'{{{CAMUNDA_NS}}}formKey')
    if key and not node.tag.endswith('}userTask'):  # Camunda reads a form key on user tasks only
        yield (node.sourceline, node.get('id'), Words(N_(
            'camunda:formKey solo vale en tareas de usuario: esta tarea se trabaja con el formulario '
            'genérico; conviértala en tarea de usuario.')), WARNING)
        key = None
    if key:
        if form_problem is not None and (issue := form_problem(key)):
            yield issue
    else:
        for field in form_fields(node):
            yield from field_problems(field)
            for warning in field_warnings(field):
                yield node.sourceline, node.get('id'), warning, WARNING
    for attribute in DATE_ATTRIBUTES:
        yield from date_messages(attribute, node.get(f'{{{CAMUNDA_NS}}}{attribute}'))
    for attribute, what in NAME_ATTRIBUTES:
        for text in comma_list(node.get(f'{{{CAMUNDA_NS}}}{attribute}')):
            if text.startswith(('${', '#{')):
                yield from (Words(N_('%(what)s no se pueden evaluar: %(expression)s: %(problem)s'),
                                  what=Words(what), expression=repr(normalize(text)), problem=m)
                            for m in expression_problems(text))
    yield from priority_messages(node.get(f'{{{CAMUNDA_NS}}}priority'))


def priority_messages(text: str | None):
    """Why a camunda:priority could not give an integer when the task opens."""
    text = (text or '').strip()
    if not text:
        return
    if text.startswith(('${', '#{')):
        yield from (Words(N_('La prioridad (camunda:priority) no se puede evaluar: %(expression)s: '
                             '%(problem)s'), expression=repr(normalize(text)), problem=m)
                    for m in expression_problems(text))
        return
    try:
        as_priority(text)
    except ValueError as error:
        yield Words(N_('La prioridad (camunda:priority) %(text)s no vale: %(error)s; escriba un número '
                       'entero (p. ej. 3) o una expresión ${...} (p. ej. ${priority}).'),
                    text=repr(text), error=str(error))


def date_messages(attribute: str, text: str | None):
    """Why a dueDate / followUpDate could not give a moment when the task opens."""
    text = (text or '').strip()
    if not text:
        return
    what = f'camunda:{attribute}'
    rewrite = java_rewrite(text)
    if rewrite:
        yield Words(N_('%(what)s %(text)s usa la API de fechas de Java de Camunda, que aquí no corre; '
                       'escriba %(rewrite)s.'), what=what, text=repr(text), rewrite=rewrite)
        return
    literal = iso_literal(text)
    if literal is not None:
        yield from _literal_messages(what, literal)
    elif text.startswith(('${', '#{')):
        yield from (Words(N_('%(what)s no se puede evaluar: %(expression)s: %(problem)s'), what=what,
                          expression=repr(normalize(text)), problem=m) for m in expression_problems(text))
    else:
        yield Words(N_('%(what)s %(text)s no es una fecha ISO 8601 (2026-12-31T17:00:00), una duración '
                       '(P3D) ni una expresión ${...} (p. ej. ${add_business_days(now(), 2)}).'),
                    what=what, text=repr(text))


def _literal_messages(what, literal):
    if literal.startswith('R'):
        yield Words(N_('%(what)s %(text)s es un ciclo; use una fecha o una duración (P3D).'),
                    what=what, text=repr(literal))
        return
    try:
        if literal.startswith('P'):
            TimerEventDefinition.parse_iso_duration(literal)
        else:
            datetime.fromisoformat(literal.replace('Z', '+00:00'))
    except Exception as error:  # SpiffWorkflow's duration parser raises several kinds
        yield Words(N_('%(what)s %(text)s no es ISO 8601 válido (%(error)s).'), what=what,
                    text=repr(literal), error=str(error))
