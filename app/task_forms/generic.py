"""The form of a human task that names no form file: a form-js definition built in memory.

A Camunda user task (or a plain/manual task) without `camunda:formKey` is worked as Camunda's
Tasklist would: with the fields of its `camunda:formData` if it declares any, else with an
optional comment and the complete button. The definition is ordinary form-js, so the same
rendering, marshmallow validation, JSON API and OpenAPI description apply as to a file form.
"""
COMMENT = {'type': 'textarea', 'key': 'comment', 'label': 'Comentario',
           'validate': {'maxLength': 4000}}
YES_NO = [{'label': 'Sí', 'value': True}, {'label': 'No', 'value': False}]


def _number(text):
    value = float(text)
    return int(value) if value.is_integer() else value


def _default(kind, text):
    """A formField's defaultValue as its field's type holds it (or None when it does not fit)."""
    if text in (None, ''):
        return None
    try:
        return {'long': lambda t: int(float(t)), 'boolean': lambda t: t.strip().lower() == 'true'}.get(
            kind, lambda t: t)(text)
    except ValueError:
        return None


def _rules(kind, constraints) -> dict:
    rules = {'required': True} if 'required' in constraints else {}
    sizes = {'minlength': 'minLength', 'maxlength': 'maxLength'} if kind == 'string' else \
        {'min': 'min', 'max': 'max'} if kind == 'long' else {}
    for camunda, formjs in sizes.items():
        if constraints.get(camunda) not in (None, ''):
            value = _number(constraints[camunda])
            rules[formjs] = int(value) if formjs.endswith('Length') else value
    return rules


def component(field: dict) -> dict:
    """One camunda:formField as a form-js component; a readonly one is shown, never submitted."""
    kind, constraints = field.get('type'), field.get('constraints') or {}
    label = field.get('label') or field['id']
    default = _default(kind, field.get('default'))
    if 'readonly' in constraints:
        shown = '—' if default is None else ('Sí' if default is True else 'No' if default is False else default)
        return {'type': 'text', 'text': f'{label}: {shown}'}
    rules = _rules(kind, constraints)
    c = {'key': field['id'], 'label': label}
    if kind == 'long':
        c['type'] = 'number'
    elif kind == 'boolean':  # a required yes/no must be answered, not necessarily ticked
        c.update(type='radio', values=YES_NO) if rules.get('required') else c.update(type='checkbox')
    elif kind == 'date':
        c.update(type='datetime', subtype='date', dateLabel=label)
    elif kind == 'enum':
        c.update(type='select', values=[{'label': v.get('name') or v['id'], 'value': v['id']}
                                        for v in field.get('values') or [] if v.get('id')])
    else:
        c['type'] = 'textfield'
    if rules:
        c['validate'] = rules
    if default is not None:
        c['defaultValue'] = default
    return c


def generic_form(fields, element_id: str | None = None) -> dict:
    """The form-js definition of a task without a form file, from its formData fields (plain
    dicts, see app/engine/form_data.py); without fields, a comment and the complete button."""
    components = [component(f) for f in fields or [] if isinstance(f, dict) and f.get('id')]
    return {'schemaVersion': 16, 'type': 'default', 'id': f"generic_{element_id or 'task'}",
            'components': components or [dict(COMMENT)]}
