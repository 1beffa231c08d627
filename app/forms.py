"""Form definitions: `forms/<key>.json` in the form-js schema (components with key, label, type).

Only loading and checking live here for now; rendering and validation come with the web app.
"""
import json
import os

from flask import current_app


def form_path(key: str) -> str | None:
    if not key or '/' in key or '\\' in key or key.startswith('.'):
        return None
    for folder in current_app.config['FORMS_DIRS']:
        path = os.path.join(folder, f'{key}.json')
        if os.path.isfile(path):
            return path
    return None


def form_problem(key: str) -> str | None:
    """Why the form `key` cannot be used, or None if it is fine."""
    path = form_path(key)
    if path is None:
        return f"No existe el formulario '{key}' (se buscó {key}.json en {', '.join(current_app.config['FORMS_DIRS'])})."
    try:
        with open(path, encoding='utf-8') as handle:
            definition = json.load(handle)
    except json.JSONDecodeError as error:
        return f"El formulario '{key}' no es JSON válido (línea {error.lineno}): {error.msg}"
    components = definition.get('components') if isinstance(definition, dict) else None
    if not isinstance(components, list):
        return f"El formulario '{key}' no tiene una lista 'components'."
    for index, component in enumerate(components):
        if not isinstance(component, dict) or 'type' not in component:
            return f"El formulario '{key}': el componente {index + 1} no tiene 'type'."
    return None
