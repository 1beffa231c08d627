"""The "add row" and "remove row" buttons of a repeating group without JavaScript: the press
posts the whole form, which comes back as typed with one row more or less and no errors (the
form is not submitted). With JavaScript, task_form.js does the same in the page."""
from app.task_forms.rendering import ADD_ROW, REMOVE_ROW
from app.task_forms.schema import _collect, _inputs, _name


def row_edit(definition: dict, formdata) -> dict | None:
    """If `formdata` (an HTML post) is a press of a list's add or remove button, the values to
    show the form again with (every row as typed, blank ones too, plus or minus the row);
    None for a plain submission. minItems and maxItems are respected."""
    if not hasattr(formdata, 'getlist') or not (formdata.get(ADD_ROW) or formdata.get(REMOVE_ROW)):
        return None
    components = definition['components']
    values = _collect(components, formdata)
    lists = {_name(c): c for c in _inputs(components) if c['type'] == 'dynamiclist'}
    if formdata.get(ADD_ROW) in lists:
        path = formdata[ADD_ROW]
        rows, rules = _rows(values, lists[path]), lists[path].get('validate') or {}
        if not rules.get('maxItems') or len(rows) < int(rules['maxItems']):
            rows.append({})
        values[path] = rows
    elif formdata.get(REMOVE_ROW):
        path, _sep, index = formdata[REMOVE_ROW].rpartition('-')
        if path in lists and index.isdigit():
            rows, rules = _rows(values, lists[path]), lists[path].get('validate') or {}
            if int(index) < len(rows) and len(rows) > int(rules.get('minItems') or 0):
                del rows[int(index)]
            values[path] = rows
    return values


def _rows(values, component):
    """The rows as posted, at least as many as the page showed (defaultRepetitions)."""
    rows = list(values.get(_name(component)) or [])
    while len(rows) < int(component.get('defaultRepetitions') or 0):
        rows.append({})
    return rows
