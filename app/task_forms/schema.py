"""User-task forms in the @bpmn-io/form-js schema: checking a definition and validating a
submission (the server-side HTML is `app.task_forms.rendering`).

Where a definition comes from (a file or the database) is `form_store`'s business.

The JSON file is the only source: the marshmallow schema that checks a submission (HTML post
or JSON API) and the server-rendered HTML both come from it, so they cannot drift apart.
Component types outside INPUT_TYPES/DISPLAY_TYPES are refused loudly instead of dropping data.
"""
import json
import math
import re
from functools import lru_cache
from typing import ClassVar

from flask_babel import get_locale, gettext as _
from marshmallow import EXCLUDE, Schema, ValidationError, fields, pre_load, validate

from app.platform.i18n import N_, Words
from app.task_forms.conditions import condition_problem, hidden, hide_expression
from app.task_forms.options import VALUES_KEY, options_problem, source_of, with_options
from app.task_forms.rules import rules_problem
from app.task_forms.patterns import compile_pattern, pattern_problem

INPUT_TYPES = {'textfield', 'textarea', 'number', 'checkbox', 'select', 'radio', 'datetime',
               'dynamiclist'}
DISPLAY_TYPES = {'text', 'separator', 'spacer', 'button'}  # no data; the page has the submit button
REQUIRED = N_('Este campo es obligatorio.')
PHONE = re.compile(r'^\+?[0-9 ()\-.]{7,20}$')


class FormError(ValueError):
    """A form that cannot be used: missing file, bad JSON, wrong shape or unsupported component."""


def components_problem(components, where=None, strict=False, in_row=False) -> str | None:
    """What this module cannot handle in `components` (recursively), or None; `strict`: for a
    save. The problem is Words (app/engine/words.py): Spanish as a str, and said in the page's
    language where a person reads it (app.platform.i18n.render)."""
    where = Words(N_('El formulario')) if where is None else where
    for index, c in enumerate(components):
        kind = c.get('type') if isinstance(c, dict) else None
        label = Words(N_('%(where)s, componente %(n)s'), where=where, n=index + 1)
        if kind not in INPUT_TYPES and kind not in DISPLAY_TYPES:
            return Words(N_("%(label)s: el tipo '%(kind)s' no está soportado."), label=label, kind=kind)
        named = Words('%(label)s (%(name)s)', label=label, name=c.get('key') or kind)
        if problem := condition_problem(c):
            return Words('%(named)s: %(problem)s', named=named, problem=problem)
        if in_row and hide_expression(c) is not None:
            return Words(N_('%(named)s: las condiciones dentro de una lista repetible no están soportadas.'), named=named)
        if kind in DISPLAY_TYPES:
            continue
        if not isinstance(_name(c), str) or not _name(c):
            return Words(N_("%(label)s (%(kind)s) no tiene 'key'."), label=label, kind=kind)
        field = Words('%(label)s (%(name)s)', label=label, name=_name(c))
        rules = c.get('validate') or {}
        if problem := rules_problem(rules, field):
            return problem
        if problem := options_problem(c, field, strict):
            return problem
        if kind in ('select', 'radio') and source_of(c) is None and not (
                isinstance(c.get('values'), list) and all(isinstance(o, dict) and 'value' in o for o in c['values'])):
            return Words(N_("%(field)s: necesita una lista 'values' con 'label' y 'value', o '%(property)s' con "
                            "el nombre de una fuente de opciones."), field=field, property=VALUES_KEY)
        if kind == 'datetime' and c.get('subtype', 'date') not in ('date', 'datetime'):
            return Words(N_("%(field)s: solo se admite la fecha o la fecha y hora (subtype 'date' o 'datetime')."),
                         field=field)
        if problem := pattern_problem(rules.get('pattern'), strict):
            return Words('%(field)s: %(problem)s', field=field, problem=problem)
        if kind == 'dynamiclist':
            sub = c.get('components')
            if not isinstance(sub, list) or any(isinstance(s, dict) and s.get('type') == 'dynamiclist' for s in sub):
                return Words(N_("%(field)s: necesita 'components' sin listas anidadas."), field=field)
            if problem := components_problem(sub, field, strict, in_row=True):
                return problem
    return None


def _check(definition) -> list:
    """The components of a definition given directly (not via load_form), or FormError."""
    components = definition.get('components') if isinstance(definition, dict) else None
    if not isinstance(components, list):
        raise FormError(Words(N_("El formulario no tiene una lista 'components'.")))
    if problem := components_problem(components, Words(N_("El formulario '%(key)s'"), key=definition.get('id', '?'))):
        raise FormError(problem)
    return components


def _name(c):
    """The data key: `path` for a dynamic list (form-js binds the list there), otherwise `key`."""
    return (c.get('path') or c.get('key')) if c.get('type') == 'dynamiclist' else c.get('key')


def _label(c):
    return c.get('label') or c.get('dateLabel') or _name(c)


def _inputs(components):
    return [c for c in components if c.get('type') in INPUT_TYPES]


def _text(value) -> str:
    """How a value is written in HTML: booleans as JSON spells them, so 'true' maps back to True."""
    if value is None or isinstance(value, bool):
        return {None: '', True: 'true', False: 'false'}[value]
    return value.isoformat() if hasattr(value, 'isoformat') else str(value)


def _blank(value) -> bool:
    return value is None or value is False or (isinstance(value, str) and not value.strip())


# ---------------------------------------------------------------- schema

class _Choice(fields.Field):
    """One of the option values, returned with the option's own type (a true/false radio gives bools)."""
    default_error_messages: ClassVar[dict] = {'invalid': N_('Elija una de las opciones.')}

    def __init__(self, options, **kwargs):
        super().__init__(**kwargs)
        self.options = options

    def _deserialize(self, value, attr, data, **kwargs):
        for option in self.options:
            if (type(value) is type(option) and value == option) or (isinstance(value, str) and value == _text(option)):
                return option
        raise self.make_error('invalid')


class _Number(fields.Field):
    """int when the text is a whole number, float otherwise; booleans and NaN are not numbers."""
    default_error_messages: ClassVar[dict] = {'invalid': N_('Escriba un número.')}

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, str):
            try:
                value = int(value) if re.fullmatch(r'[+-]?\d{1,18}', value) else float(value)
            except ValueError:
                raise self.make_error('invalid') from None
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise self.make_error('invalid')
        return value


class _IsoDate(fields.Date):
    """A date kept as 'YYYY-MM-DD' text, so the cleaned data stays JSON-serializable."""
    default_error_messages: ClassVar[dict] = {'invalid': N_('Escriba una fecha válida (AAAA-MM-DD).')}

    def _deserialize(self, value, attr, data, **kwargs):
        return super()._deserialize(value, attr, data, **kwargs).isoformat()


class _IsoDateTime(fields.DateTime):
    """A date and time (subtype 'datetime', `datetime-local` in the page) kept as ISO text; with
    no offset it is the local wall-clock time, which the caller places in its own time zone."""
    default_error_messages: ClassVar[dict] = {'invalid': N_('Escriba una fecha y hora válidas (AAAA-MM-DD HH:MM).')}

    def _deserialize(self, value, attr, data, **kwargs):
        return super()._deserialize(value, attr, data, **kwargs).isoformat(timespec='minutes')


def _search(pattern):
    """form-js tests patterns with RegExp.test, which searches (re.match would anchor); RE2 runs it."""
    regex, message = compile_pattern(pattern), _('El formato no es válido.')

    def check(value):
        if not regex.search(value):
            raise ValidationError(message)
    return check


def _sizes(rules, what, one, many):
    """Length checks with messages in the page's language for minLength/maxLength or
    minItems/maxItems (`one`, `many`: the message for one and for several)."""
    checks = []
    for side in ('min', 'max'):
        if rules.get(side + what):
            n = int(rules[side + what])
            checks.append(validate.Length(**{side: n}, error=_(one[side] if n == 1 else many[side], n=n)))
    return checks


_CHARACTERS = ({'min': N_('Debe tener al menos %(n)s carácter.'), 'max': N_('Debe tener como máximo %(n)s carácter.')},
               {'min': N_('Debe tener al menos %(n)s caracteres.'), 'max': N_('Debe tener como máximo %(n)s caracteres.')})
_ROWS = ({'min': N_('Debe agregar al menos %(n)s fila.'), 'max': N_('Puede agregar como máximo %(n)s fila.')},
         {'min': N_('Debe agregar al menos %(n)s filas.'), 'max': N_('Puede agregar como máximo %(n)s filas.')})
_INVALID = {'select': _Choice, 'radio': _Choice, 'number': _Number}


def _field(c) -> fields.Field:
    rules, kind = c.get('validate') or {}, c['type']
    required = bool(rules.get('required'))
    common = {'required': required, 'error_messages': {'required': _(REQUIRED), 'null': _(REQUIRED)}}
    if kind in _INVALID:
        common['error_messages']['invalid'] = _(_INVALID[kind].default_error_messages['invalid'])
    checks = []
    if kind in ('textfield', 'textarea'):
        checks = _sizes(rules, 'Length', *_CHARACTERS)
        if rules.get('pattern'):
            checks.append(_search(rules['pattern']))
        if rules.get('validationType') == 'email':
            checks.append(validate.Email(error=_('Escriba un correo electrónico válido.')))
        elif rules.get('validationType') == 'phone':
            checks.append(validate.Regexp(PHONE, error=_('Escriba un número de teléfono válido.')))
        common['error_messages']['invalid'] = _('Escriba un texto.')
        return fields.String(validate=checks, **common)
    if kind == 'checkbox':  # a required checkbox is a consent: it must be ticked
        if required:
            checks.append(validate.Equal(True, error=_('Debe marcar esta casilla.')))
        common['error_messages']['invalid'] = _('Valor no válido para una casilla.')
        return fields.Boolean(validate=checks, **common)
    if kind in ('select', 'radio'):
        return _Choice([o['value'] for o in c['values']], **common)
    if kind == 'number':
        if rules.get('min') is not None:
            checks.append(validate.Range(min=rules['min'], error=_('Debe ser mayor o igual que {min}.')))
        if rules.get('max') is not None:
            checks.append(validate.Range(max=rules['max'], error=_('Debe ser menor o igual que {max}.')))
        return _Number(validate=checks, **common)
    if kind == 'datetime':
        cls = _IsoDateTime if c.get('subtype') == 'datetime' else _IsoDate
        common['error_messages']['invalid'] = _(cls.default_error_messages['invalid'])
        return cls(**common)
    # dynamiclist: rows validated by the nested components; an absent list arrives as []
    checks = _sizes(rules, 'Items', *_ROWS)
    row = fields.Nested(_schema_class(c['components'], f'{_name(c)}Row', _('Fila no válida.')), unknown=EXCLUDE)
    return fields.List(row, validate=checks, error_messages={'invalid': _('Debe ser una lista de filas.')})


class FormSchema(Schema):
    """Base of the schemas built from a form: unknown keys are dropped, text is trimmed, blanks
    count as absent, an unticked checkbox is False and all-blank list rows are ignored."""
    components: ClassVar[list] = []

    class Meta:
        unknown = EXCLUDE

    @pre_load
    def _tidy_input(self, data, **kwargs):
        if hasattr(data, 'getlist'):
            data = _collect(self.components, data)
        return _tidy(self.components, data) if isinstance(data, dict) else data


def _schema_class(components, name, type_error=None):
    cls = FormSchema.from_dict({_name(c): _field(c) for c in _inputs(components)}, name=name)
    cls.components, cls.error_messages = components, {'type': type_error or _('Los datos enviados no son válidos.')}
    return cls


def form_schema(definition: dict) -> FormSchema:
    """A marshmallow schema for `definition`; `.load()` accepts a dict or a werkzeug MultiDict.
    Options named by `valuesKey` are the ones their source gives now (options.py)."""
    definition = with_options(definition)
    _check(definition)
    return _cached_schema_class(json.dumps(definition['components'], sort_keys=True),
                                f"{definition.get('id', 'Form')}Schema", _language())()


def _language() -> str:
    return str(get_locale() or 'es')


@lru_cache(maxsize=256)
def _cached_schema_class(components_json: str, name: str, language: str):
    """Building a schema class costs most of a submission's validation; the class depends only
    on the components and the language of its messages, so one is built per form content and
    language."""
    return _schema_class(json.loads(components_json), name)


def _tidy(components, data):
    """Known keys only; trimmed text (CRLF from browsers -> LF); blanks removed; rows dropped if blank."""
    out = {}
    for c in _inputs(components):
        name, value = _name(c), data.get(_name(c))
        if isinstance(value, str):
            value = value.replace('\r\n', '\n').strip()
        if c['type'] == 'checkbox' and _blank(value):
            value = False
        elif c['type'] == 'dynamiclist':
            value = [] if _blank(value) else value
            if isinstance(value, list):
                keys = [_name(s) for s in _inputs(c['components'])]
                value = [r for r in value if not (isinstance(r, dict) and all(_blank(r.get(k)) for k in keys))]
        if value is not None and value != '':
            out[name] = value
    return out


def _collect(components, form):
    """A MultiDict from an HTML post as a dict; list rows come as `path-INDEX-key`, in index order."""
    out = {}
    for c in _inputs(components):
        name = _name(c)
        if c['type'] != 'dynamiclist':
            if name in form:
                out[name] = form.get(name)
            continue
        keys = {_name(s) for s in _inputs(c['components'])}
        pattern = re.compile(re.escape(name) + r'-(\d{1,6})-(.+)')
        rows = {}
        for field in form:
            match = pattern.fullmatch(field)
            if match and match.group(2) in keys:
                rows.setdefault(int(match.group(1)), {})[match.group(2)] = form.get(field)
        out[name] = [rows[i] for i in sorted(rows)]
    return out


def typed_values(components, data: dict) -> dict:
    """The values as the form's fields read them (an option's own type, numbers, booleans),
    which is what conditions compare; a value that does not parse stays as it was sent."""
    out = {}
    for c in _inputs(components):
        name = _name(c)
        if name not in data:
            continue
        value = data[name]
        if c['type'] != 'dynamiclist':
            try:
                value = _field({**c, 'validate': {}}).deserialize(value)
            except ValidationError:
                pass
        out[name] = value
    return out


def shown(components, data: dict) -> list:
    """The components not hidden by their `conditional` with these (tidied) values, in order; a
    hidden field's value is not seen by the conditions after it (as form-js drops it)."""
    typed, kept = typed_values(components, data), []
    for c in components:
        if hidden(c, typed):
            typed.pop(_name(c), None)
        else:
            kept.append(c)
    return kept


def _flatten(messages, prefix=''):
    """marshmallow's nested errors as {'actions.0.owner': [...]}; schema-level ones go to the parent."""
    if not isinstance(messages, dict):
        return {prefix or '_form': list(messages) if isinstance(messages, list) else [str(messages)]}
    flat = {}
    for key, value in messages.items():
        path = prefix if key == '_schema' else (f'{prefix}.{key}' if prefix else str(key))
        for p, msgs in _flatten(value, path).items():
            flat.setdefault(p, []).extend(msgs)
    return flat


def parse_submission(definition: dict, formdata) -> tuple[dict, dict]:
    """(data, errors) for a submitted task form: a MultiDict from HTML or a dict from the API.

    Without errors, `data` is the cleaned, JSON-serializable result. With errors, `data` is what
    the user sent (tidied, blank rows dropped so row numbers match the error paths), ready to be
    put back with render_form; `errors` is {path: [messages in the page's language]}. A `valuesKey` field
    accepts the options its source gives at this moment (options.py)."""
    definition = with_options(definition)
    _check(definition)
    sent = _collect(definition['components'], formdata) if hasattr(formdata, 'getlist') else formdata
    if not isinstance(sent, dict):
        return {}, {'_form': [_('Los datos enviados no son válidos.')]}
    sent = _tidy(definition['components'], sent)
    kept = shown(definition['components'], sent)  # a hidden field's value is dropped, its rules skipped
    sent = {k: v for k, v in sent.items() if k in {_name(c) for c in _inputs(kept)}}
    schema = _cached_schema_class(json.dumps(kept, sort_keys=True), f"{definition.get('id', 'Form')}Schema", _language())()
    try:
        return schema.load(sent), {}
    except ValidationError as error:
        return sent, _flatten(error.messages)
