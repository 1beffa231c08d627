"""The OpenAPI (JSON Schema) description of a form-js form, generated from the same form file
that validates a submission (app/task_forms/schema.py), so the API contract names the very fields, options,
lengths and patterns the server checks.

The server is a little more lenient than the schema says (it trims text, reads "3" as a number
and "true" as a tick, drops unknown keys); everything the schema allows, it accepts as input.
"""
import json

from app.platform.config import ROOT
from app.task_forms.conditions import hide_expression
from app.task_forms.options import source_of
from app.task_forms.schema import INPUT_TYPES, PHONE
from app.task_forms.store import form_path


def _text(c, rules):
    schema = {'type': 'string'}
    for side in ('min', 'max'):
        if rules.get(f'{side}Length'):
            schema[f'{side}Length'] = int(rules[f'{side}Length'])
    patterns = [rules['pattern']] if rules.get('pattern') else []
    if rules.get('validationType') == 'email':
        schema['format'] = 'email'
    elif rules.get('validationType') == 'phone':
        patterns.append(PHONE.pattern)
    if patterns:  # form-js tests patterns with RegExp.test, a search, as JSON Schema does
        schema['pattern'] = patterns[0]
        if len(patterns) > 1:
            schema['allOf'] = [{'pattern': p} for p in patterns[1:]]
    return schema


def _choice(c, rules):
    if source_of(c) is not None:  # the options change with the app's data: named, not listed
        return {'type': 'string', 'description': f"Uno de los valores de la fuente de opciones «{source_of(c)}»."}
    values = [o['value'] for o in c['values']]
    schema = {'enum': values}
    kinds = {type(v) for v in values}
    if len(kinds) == 1:
        schema['type'] = {str: 'string', bool: 'boolean', int: 'integer', float: 'number'}.get(kinds.pop())
        if schema['type'] is None:
            del schema['type']
    return schema


def _number(c, rules):
    schema = {'type': 'number'}
    if rules.get('min') is not None:
        schema['minimum'] = rules['min']
    if rules.get('max') is not None:
        schema['maximum'] = rules['max']
    return schema


def _checkbox(c, rules):
    # a required checkbox is a consent: only a tick passes
    return {'type': 'boolean', 'enum': [True]} if rules.get('required') else {'type': 'boolean'}


def _list(c, rules):
    schema = {'type': 'array', 'items': object_schema(c['components'])}
    for side in ('min', 'max'):
        if rules.get(f'{side}Items'):
            schema[f'{side}Items'] = int(rules[f'{side}Items'])
    return schema


KINDS = {'textfield': _text, 'textarea': _text, 'select': _choice, 'radio': _choice,
         'number': _number, 'checkbox': _checkbox, 'dynamiclist': _list,
         'datetime': lambda c, rules: {'type': 'string',
                                       'format': 'date-time' if c.get('subtype') == 'datetime' else 'date'}}


def _key(c):
    return (c.get('path') or c.get('key')) if c['type'] == 'dynamiclist' else c['key']


def object_schema(components, drop=()) -> dict:
    """The JSON Schema of an object with the input components' fields (except `drop`)."""
    properties, required = {}, []
    for c in components:
        if c.get('type') not in INPUT_TYPES or _key(c) in drop:
            continue
        rules = c.get('validate') or {}
        schema = KINDS[c['type']](c, rules)
        label = c.get('label') or c.get('dateLabel')
        if label:
            schema['title'] = label
        hide = hide_expression(c)
        notes = [c.get('description')] + ([f"Se ignora cuando se cumple «{hide}»; si no, "
                                           f"{'es obligatorio' if rules.get('required') else 'es opcional'}."]
                                          if hide else [])
        if any(notes):
            schema['description'] = ' '.join(n for n in notes if n)
        properties[_key(c)] = schema
        if rules.get('required') and not hide:  # required when shown: the API says so in words
            required.append(_key(c))
    schema = {'type': 'object', 'properties': properties}
    if required:
        schema['required'] = required
    return schema


def form_schema_doc(definition: dict, source: str, drop=()) -> dict:
    """The schema of a form's submission, saying which file it comes from."""
    schema = object_schema(definition['components'], drop)
    schema['description'] = (f"Campos del formulario «{definition.get('title') or definition.get('id')}» "
                             f"({source}). Si el formulario se edita en el navegador, se valida "
                             f"contra la versión vigente.")
    return schema


FORM_COMPONENTS = {'Registro': ('ser_ft_01_registro', ()), 'RespuestaCliente': ('respuesta_cliente', ())}


def register_form_schemas(api, app):
    """Add the request bodies built from the form files to the document (from FORMS_DIRS, else
    the shipped forms/ folder; a form found in neither is documented as a free object)."""
    with app.app_context():
        for component, (key, drop) in FORM_COMPONENTS.items():
            path = form_path(key) or ROOT / 'forms' / f'{key}.json'
            try:
                with open(path, encoding='utf-8') as handle:
                    schema = form_schema_doc(json.load(handle), f'forms/{key}.json', drop)
            except (OSError, ValueError, KeyError, TypeError):
                schema = {'type': 'object', 'description': f'Campos del formulario {key} (no se encontró su archivo).'}
            api.spec.components.schema(component, component=schema)
