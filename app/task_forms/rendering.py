"""Server-side HTML of a user-task form (the @bpmn-io/form-js schema that `schema` validates).

The same JSON definition gives the marshmallow schema (`app.task_forms.schema`) and this HTML,
so the fields a page shows and the fields a submission is checked against cannot drift apart.
The HTML works without JavaScript and carries the accessibility attributes (labels, help and
error text tied with aria-describedby, aria-invalid)."""
from dataclasses import dataclass

from flask_babel import gettext as _
from markupsafe import Markup

from app.task_forms.conditions import as_json
from app.task_forms.options import with_options
from app.task_forms.schema import DISPLAY_TYPES, _check, _collect, _label, _name, _text, _tidy, shown

ADD_ROW, REMOVE_ROW = '_add_row', '_remove_row'  # the names of the list buttons (see rows.py)

_WRAP = Markup('<div{}>{}</div>')
_MARKER = Markup(' <span class="required-marker" aria-hidden="true">*</span>')


def _attrs(attrs: dict) -> Markup:
    """Escaped attributes; True gives a bare attribute, None/False leaves it out."""
    return Markup('').join(Markup(' {}').format(k) if v is True else Markup(' {}="{}"').format(k, v)
                           for k, v in attrs.items() if v is not None and v is not False)


def render_form(definition: dict, values=None, errors: dict | None = None) -> Markup:
    """The form's fields as accessible HTML that works without JavaScript (no <form>, token or
    button: the page adds those). `values` may be cleaned data, parse_submission's echo or a
    MultiDict; defaultValue applies only when values is None (the first display). Options named
    by `valuesKey` are the ones their source gives now (options.py)."""
    components = _check(with_options(definition))
    first = values is None
    if hasattr(values, 'getlist'):  # tidied like parse_submission, so row numbers match error paths
        values = _tidy(components, _collect(components, values))
    errors, seen, values = errors or {}, set(), values or {}
    current = {_name(c): c['defaultValue'] for c in components if 'defaultValue' in c} if first else {}
    kept = {id(c) for c in shown(components, {**current, **values})}
    body = Markup('').join(_conditional(c, id(c) not in kept, _component(
        c, values, errors, seen, first, '', '', enforce=id(c) in kept)) for c in components)
    rest = [m for path, msgs in errors.items() if path not in seen for m in msgs]
    if rest:  # errors with no field to sit next to must still be seen
        body = Markup('<div class="form-errors" role="alert">{}</div>').format(
            Markup('').join(Markup('<p class="field-error">{}</p>').format(m) for m in rest)) + body
    return body


@dataclass
class _Field:
    """What every input component's HTML is made of: names, value, messages and the pieces
    (label, help, error, common attributes) each kind arranges in its own way."""
    c: dict
    rules: dict
    name: str
    path: str
    fid: str
    value: object
    marker: Markup
    notes: Markup          # help text then error text
    described: str | None  # ids for aria-describedby
    base: dict             # attributes of the control
    label: Markup
    wrap_attrs: dict

    def wrap(self, inner) -> Markup:
        return _WRAP.format(_attrs(self.wrap_attrs), inner)


def _field(c, values, errors, shown, first, name_prefix, path_prefix, enforce) -> _Field:
    key, rules = _name(c), c.get('validate') or {}
    name, path = f'{name_prefix}{key}', f'{path_prefix}{key}'
    fid = f'field-{name}'
    msgs = errors.get(path) or []
    shown.add(path)
    required = bool(rules.get('required'))
    marker = _MARKER if required else ''
    help_html = Markup('<p class="help" id="{}-help">{}</p>').format(fid, c['description']) if c.get('description') else ''
    error_html = Markup('<p class="field-error" id="{}-error">{}</p>').format(fid, ' '.join(msgs)) if msgs else ''
    described = ' '.join([f'{fid}-help'] * bool(help_html) + [f'{fid}-error'] * bool(msgs)) or None
    aria = {'aria-invalid': 'true' if msgs else None, 'aria-describedby': described}
    return _Field(
        c=c, rules=rules, name=name, path=path, fid=fid,
        value=values.get(key, c.get('defaultValue')) if first else values.get(key),
        marker=marker, notes=help_html + error_html, described=described,
        base={'id': fid, 'name': name, 'required': required and enforce, **aria},
        label=Markup('<label for="{}">{}{}</label>').format(fid, _label(c), marker),
        wrap_attrs={'class': f"field field-{c['type']}{' has-error' if msgs else ''}"})


def _conditional(c, hide, html) -> Markup:
    """A component with a `conditional`: its condition for the page's script, hidden while the
    server (from the current values) says so; the server drops its value when hidden."""
    tree = as_json(c)
    if tree is None:
        return html
    return Markup('<div{}>{}</div>').format(_attrs({'class': 'conditional', 'data-hide': tree, 'hidden': hide}), html)


def _component(c, values, errors, shown, first, name_prefix, path_prefix, enforce=True):
    kind = c['type']
    if kind == 'text':
        return Markup('<div class="form-text">{}</div>').format(c.get('text', ''))
    if kind == 'separator':
        return Markup('<hr>')
    if kind in DISPLAY_TYPES:
        return Markup('')
    f = _field(c, values, errors, shown, first, name_prefix, path_prefix, enforce)
    if kind == 'checkbox':
        return f.wrap(_checkbox(f) + Markup(' ') + f.label + f.notes)
    if kind == 'radio':
        return f.wrap(_radio(f))
    if kind == 'dynamiclist':
        return f.wrap(_rows(f, errors, shown))
    control = {'select': _select, 'textarea': _textarea}.get(kind, _input)(f)
    return f.wrap(f.label + f.notes + control)


def _checkbox(f: _Field) -> Markup:
    value = f.value
    checked = value is True or (isinstance(value, str) and value.lower() in ('true', 'on', '1'))
    return Markup('<input type="checkbox"{}>').format(_attrs({**f.base, 'value': 'true', 'checked': checked}))


def _chosen(f: _Field, option) -> bool:
    return f.value is not None and _text(f.value) == _text(option['value'])


def _radio(f: _Field) -> Markup:
    options = Markup('').join(
        Markup('<div class="option"><input type="radio"{}> <label for="{}-{}">{}</label></div>').format(
            _attrs({**f.base, 'id': f'{f.fid}-{i}', 'aria-describedby': None, 'value': _text(o['value']),
                    'checked': _chosen(f, o)}),
            f.fid, i, o.get('label', _text(o['value'])))
        for i, o in enumerate(f.c['values']))
    return Markup('<fieldset id="{}"{}><legend>{}{}</legend>{}{}</fieldset>').format(
        f.fid, _attrs({'aria-describedby': f.described}), _label(f.c), f.marker, f.notes, options)


def _select(f: _Field) -> Markup:
    options = Markup('<option value="">{}</option>').format(_('Seleccione…')) + Markup('').join(
        Markup('<option{}>{}</option>').format(
            _attrs({'value': _text(o['value']), 'selected': _chosen(f, o)}), o.get('label', _text(o['value'])))
        for o in f.c['values'])
    return Markup('<select{}>{}</select>').format(_attrs(f.base), options)


def _textarea(f: _Field) -> Markup:
    # the newline after <textarea> is dropped by parsers; it keeps a leading one
    return Markup('<textarea{}>\n{}</textarea>').format(
        _attrs({**f.base, 'rows': 4, 'minlength': f.rules.get('minLength'), 'maxlength': f.rules.get('maxLength')}),
        _text(f.value))


def _input(f: _Field) -> Markup:
    kind, rules = f.c['type'], f.rules
    kinds = {'email': 'email', 'phone': 'tel'}
    dates = {'date': 'date', 'datetime': 'datetime-local'}
    input_type = ({'number': 'number', 'datetime': dates.get(f.c.get('subtype'), 'date')}.get(kind)
                  or kinds.get(rules.get('validationType'), 'text'))
    extra = ({'step': 'any', 'min': rules.get('min'), 'max': rules.get('max')} if kind == 'number' else
             {} if kind == 'datetime' else {'minlength': rules.get('minLength'), 'maxlength': rules.get('maxLength')})
    return Markup('<input{}>').format(_attrs({'type': input_type, **f.base, 'value': _text(f.value), **extra}))


def _rows(f: _Field, errors, shown) -> Markup:
    """A fieldset with one block per row (the rows given, at least defaultRepetitions and
    minItems) and, when rows may be added or removed, an "add" submit button and a "remove" one
    per row: without JavaScript they post the form back to be shown with one row more or less
    (rows.py), with it (task_form.js) they act in the page from the row template. Only the
    first minItems rows carry `required`: a row left blank is dropped."""
    c, value = f.c, f.value
    rows = [r for r in value if isinstance(r, dict)] if isinstance(value, list) else []
    rules = c.get('validate') or {}
    add, min_items = c.get('allowAddRemove', True), int(rules.get('minItems') or 0)
    max_items = int(rules['maxItems']) if rules.get('maxItems') else None
    count = max(len(rows), int(c.get('defaultRepetitions') or 0), min_items, 1)
    blocks = Markup('').join(_row(f, i, rows[i] if i < len(rows) else {}, errors, shown, add, min_items)
                             for i in range(count))
    controls = Markup('')
    if add:
        template = _row(f, '__i__', {}, {}, set(), add, min_items)
        controls = Markup('<template class="row-template">{}</template><button{}>{}</button>').format(
            template, _attrs({'type': 'submit', 'name': ADD_ROW, 'value': f.path, 'class': 'secondary add-row',
                              'hidden': max_items is not None and count >= max_items}), _('Añadir fila'))
    marker = _MARKER if min_items else ''
    return Markup('<fieldset{}><legend>{}{}</legend>{}{}{}</fieldset>').format(
        _attrs({'id': f.fid, 'class': 'dynamiclist', 'data-path': f.path, 'data-name': f.name,
                'data-min': min_items, 'data-max': max_items, 'aria-describedby': f.described}),
        _label(c), marker, f.notes, Markup('<div class="rows">{}</div>').format(blocks), controls)


def _row(f: _Field, i, row, errors, shown, add, min_items) -> Markup:
    """One row of a list; `i` is '__i__' in the template the script copies."""
    number = i + 1 if isinstance(i, int) else '__n__'
    remove = Markup('<button{}>{}</button>').format(
        _attrs({'type': 'submit', 'name': REMOVE_ROW, 'value': f'{f.path}-{i}', 'class': 'secondary remove-row',
                'formnovalidate': True}), _('Quitar la fila %(n)s', n=number)) if add else ''
    fields = Markup('').join(_component(s, row, errors, shown, False, f'{f.name}-{i}-', f'{f.path}.{i}.',
                                        enforce=isinstance(i, int) and i < min_items) for s in f.c['components'])
    return Markup('<fieldset class="dynamiclist-row" data-index="{}"><legend>{}</legend>{}{}</fieldset>').format(
        i, _('Fila %(n)s', n=number), fields, remove)
