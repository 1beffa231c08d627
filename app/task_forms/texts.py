"""form-js text templating: a text component may show the case's data with `{{ name }}` (or
`{{ a.b }}` for a key of a dict), as form-js renders it. Values are filled in before rendering
and escaped with the rest of the text; a name the data lack shows as nothing."""
import copy
import re

from .walk import every_component

_PLACEHOLDER = re.compile(r'\{\{\s*([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)\s*\}\}')


def _value(data: dict, path: str) -> str:
    value = data
    for part in path.split('.'):
        value = value.get(part) if isinstance(value, dict) else None
    return '' if value is None else str(value)


def _texts(definition: dict):
    """The text components of a form, inside groups too, that have a placeholder."""
    for component in every_component(definition.get('components')):
        if component.get('type') == 'text' and _PLACEHOLDER.search(component.get('text') or ''):
            yield component


def has_placeholders(definition: dict) -> bool:
    return next(_texts(definition), None) is not None


def fill_texts(definition: dict, data: dict) -> dict:
    """A copy of the form whose text components show `data` in their placeholders."""
    filled = copy.deepcopy(definition)
    for component in _texts(filled):
        component['text'] = _PLACEHOLDER.sub(lambda m: _value(data, m.group(1)), component['text'])
    return filled
