"""Why a step failed, said the way an owner can act on it: which element (id and name) and what
was missing, instead of a raw `WorkflowTaskException: NameError: name 'x' is not defined`."""
import re

_NAME_ERROR = re.compile(r"NameError: name '([^']+)' is not defined")
_KEY_ERROR = re.compile(r"KeyError: '([^']+)'")
_ATTRIBUTE_ERROR = re.compile(r"AttributeError: '(\w+)' object has no attribute '([^']+)'")


def element_of(error):
    """The SpiffWorkflow task spec an error happened on, if it says."""
    return getattr(getattr(error, 'task', None), 'task_spec', None)


def element_id_of(error) -> str | None:
    return getattr(element_of(error), 'bpmn_id', None)


def detail(error) -> str:
    """What went wrong, with Python's words for a missing name or key turned into the owner's."""
    args = getattr(error, 'args', None)
    text = args[0] if args and isinstance(args[0], str) else str(error)  # SpiffWorkflow's str adds notes
    text = _NAME_ERROR.sub(
        lambda m: (f"el nombre '{m.group(1)}' no está definido: no es una variable del caso en este "
                   f"punto ni una función del motor (¿falta un campo del formulario, un dato de inicio "
                   f"o el resultado de una tarea anterior?)"), text)
    text = _KEY_ERROR.sub(lambda m: f"falta la clave '{m.group(1)}' en los datos", text)
    return _ATTRIBUTE_ERROR.sub(_attribute_detail, text)


def _attribute_detail(match) -> str:
    kind, attribute = match.groups()
    hint = f": los datos se leen con ['{attribute}'], no con .{attribute}" if kind == 'dict' else ''
    return f"un valor de tipo {kind} no tiene '.{attribute}'{hint}"


def where(error) -> str:
    """`«Calcular plazo» (calcular_plazo)`, or the id alone, or '' if the error names no element."""
    spec = element_of(error)
    element_id = getattr(spec, 'bpmn_id', None)
    if not element_id:
        return ''
    name = getattr(spec, 'bpmn_name', None)
    return f'«{name}» ({element_id})' if name else element_id


def describe(error) -> str:
    """The whole sentence: `en «Calcular plazo» (calcular_plazo): el nombre 'x' no está definido…`."""
    place = where(error)
    return f'en {place}: {detail(error)}' if place else f'{type(error).__name__}: {detail(error)}'
