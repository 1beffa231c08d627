"""Server-side HTML of a user-task form (the @bpmn-io/form-js schema that `schema` validates).

The same JSON definition gives the marshmallow schema (`app.task_forms.schema`) and this HTML,
so the fields a page shows and the fields a submission is checked against cannot drift apart.
The HTML works without JavaScript and carries the accessibility attributes (labels, help and
error text tied with aria-describedby, aria-invalid)."""
from dataclasses import dataclass

from markupsafe import Markup

from app.task_forms.schema import DISPLAY_TYPES, _check, _collect, _label, _name, _text, _tidy

_WRAP = Markup('<div{}>{}</div>')
_MARKER = Markup(' <span class="required-marker" aria-hidden="true">*</span>')


def _attrs(attrs: dict) -> Markup:
    """Escaped attributes; True gives a bare attribute, None/False leaves it out."""
    return Markup('').join(Markup(' {}').format(k) if v is True else Markup(' {}="{}"').format(k, v)
                           for k, v in attrs.items() if v is not None and v is not False)


def render_form(definition: dict, values=None, errors: dict | None = None) -> Markup:
    """The form's fields as accessible HTML that works without JavaScript (no <form>, token or
    button: the page adds those). `values` may be cleaned data, parse_submission's echo or a
    MultiDict; defaultValue applies only when values is None (the first display)."""
    components = _check(definition)
    first = values is None
    if hasattr(values, 'getlist'):  # tidied like parse_submission, so row numbers match error paths
        values = _tidy(components, _collect(components, values))
    errors, shown = errors or {}, set()
    body = Markup('').join(_component(c, values or {}, errors, shown, first, '', '') for c in components)
    rest = [m for path, msgs in errors.items() if path not in shown for m in msgs]
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
        wrap_attrs={'class': f"field field-{c['type']}{' has-error' if msgs else ''}",
                    'data-hide-if': (c.get('conditional') or {}).get('hide')})


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
    options = Markup('<option value="">Seleccione…</option>') + Markup('').join(
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
    input_type = {'number': 'number', 'datetime': 'date'}.get(kind) or kinds.get(rules.get('validationType'), 'text')
    extra = ({'step': 'any', 'min': rules.get('min'), 'max': rules.get('max')} if kind == 'number' else
             {} if kind == 'datetime' else {'minlength': rules.get('minLength'), 'maxlength': rules.get('maxLength')})
    return Markup('<input{}>').format(_attrs({'type': input_type, **f.base, 'value': _text(f.value), **extra}))


def _rows(f: _Field, errors, shown) -> Markup:
    """A fieldset with one block per row: the rows given, one blank row to add another (without
    JavaScript) and at least defaultRepetitions. Only the first minItems rows carry `required`,
    so extra rows can be left (or made) blank, which drops them."""
    c, value = f.c, f.value
    rows = [r for r in value if isinstance(r, dict)] if isinstance(value, list) else []
    add = c.get('allowAddRemove', True)
    count = max(len(rows) + (1 if add else 0), int(c.get('defaultRepetitions') or 0), 1)
    min_items = int((c.get('validate') or {}).get('minItems') or 0)
    blocks = Markup('').join(
        Markup('<fieldset class="dynamiclist-row" data-index="{}"><legend>Fila {}</legend>{}</fieldset>').format(
            i, i + 1, Markup('').join(
                _component(s, rows[i] if i < len(rows) else {}, errors, shown, False,
                           f'{f.name}-{i}-', f'{f.path}.{i}.', enforce=i < min_items)
                for s in c['components']))
        for i in range(count))
    note = Markup('<p class="help">Para quitar una fila, deje vacíos todos sus campos.</p>') if add else ''
    marker = _MARKER if min_items else ''
    return Markup('<fieldset{}><legend>{}{}</legend>{}{}{}</fieldset>').format(
        _attrs({'id': f.fid, 'class': 'dynamiclist', 'data-path': f.path, 'aria-describedby': f.described}),
        _label(c), marker, note, f.notes, blocks)
