"""Camunda's generated task forms (`camunda:formData`), read as plain data.

A user task without `camunda:formKey` may declare its fields in the diagram. SpiffWorkflow keeps
them only when a form key is present too, so they are read here from the XML, as dicts the
human-task row can hold (the app turns them into a form-js form: app/task_forms/generic.py).
"""
from .words import N_, Words

CAMUNDA = '{http://camunda.org/schema/1.0/bpmn}'
FIELD_TYPES = ('string', 'long', 'boolean', 'date', 'enum')
CONSTRAINTS = ('required', 'readonly', 'minlength', 'maxlength', 'min', 'max')


def _children(node, tag):
    return [child for child in node if child.tag == f'{CAMUNDA}{tag}']


def _one(node, path):
    """The first element down a path of camunda tags, or None."""
    for tag in path:
        found = _children(node, tag) if node is not None else []
        node = found[0] if found else None
    return node


def field_nodes(node) -> list:
    """The camunda:formField elements of a task (under extensionElements/formData)."""
    extensions = [c for c in node if isinstance(c.tag, str) and c.tag.endswith('}extensionElements')]
    form = _one(extensions[0], ('formData',)) if extensions else None
    return _children(form, 'formField') if form is not None else []


def read_field(xml_field) -> dict:
    validation = _one(xml_field, ('validation',))
    constraints = {c.get('name'): c.get('config') for c in _children(validation, 'constraint')} \
        if validation is not None else {}
    return {
        'id': xml_field.get('id'), 'label': xml_field.get('label'), 'type': xml_field.get('type'),
        'default': xml_field.get('defaultValue'),
        'values': [{'id': v.get('id'), 'name': v.get('name')} for v in _children(xml_field, 'value')],
        'constraints': constraints,
    }


def form_fields(node) -> list[dict]:
    return [read_field(f) for f in field_nodes(node)]


def field_problems(field: dict) -> list:
    """Why a formField cannot become a form field (lint refuses the diagram for these)."""
    fid, kind = field.get('id'), field.get('type')
    name = Words(N_("El campo '%(field)s' de camunda:formData"), field=fid)
    if not fid or not fid.isidentifier() or fid.startswith('_'):
        return [Words(N_('%(name)s necesita un id que sea un nombre de variable (letras, números y _).'),
                      name=name)]
    if kind not in FIELD_TYPES:
        return [Words(N_("%(name)s es de tipo '%(kind)s', que no se admite (se admite: %(allowed)s)."),
                      name=name, kind=kind, allowed=', '.join(FIELD_TYPES))]
    problems = []
    if kind == 'enum' and not [v for v in field['values'] if v.get('id')]:
        problems.append(Words(N_('%(name)s es de tipo enum pero no tiene valores (camunda:value con id).'),
                              name=name))
    for constraint, config in field['constraints'].items():
        if constraint in ('minlength', 'maxlength', 'min', 'max') and not _is_number(config):
            problems.append(Words(N_("%(name)s: la restricción '%(constraint)s' necesita un número, no "
                                     "%(value)s."), name=name, constraint=constraint, value=repr(config)))
    return problems


def field_warnings(field: dict) -> list:
    """What is accepted but not enforced: constraints Camunda runs as Java validators."""
    unknown = [c for c in field.get('constraints', {}) if c not in CONSTRAINTS]
    if not unknown:
        return []
    return [Words(N_("El campo '%(field)s' de camunda:formData: las restricciones %(unknown)s no se "
                     "aplican (se aplican: %(known)s)."), field=field.get('id'),
                  unknown=', '.join(map(repr, unknown)), known=', '.join(CONSTRAINTS))]


def _is_number(text) -> bool:
    try:
        float(text)
    except (TypeError, ValueError):
        return False
    return True
