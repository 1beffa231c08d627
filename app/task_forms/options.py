"""Options a select or radio takes from the app instead of listing them (form-js `valuesKey`).

In form-js, `"valuesKey": "areas"` reads the options from the form's input data under that key.
Here the key names an option source the app registers (`option_sources['areas'] = callable`,
in the composition root), so this package stays generic: the callable returns the current
options as form-js `values` ([{'label': ..., 'value': ...}]). The page, the API's form and the
server-side validation all read the options through `with_options`, at the time of the request,
so an option added or withdrawn is offered, and accepted or refused, at once."""
import copy
from collections.abc import Callable

from flask import has_app_context

from app.platform.i18n import N_, Words

from .walk import every_component

VALUES_KEY = 'valuesKey'
CHOICE_TYPES = ('select', 'radio')

option_sources: dict[str, Callable[[], list[dict]]] = {}


def source_of(component) -> str | None:
    """The option source a select or radio names with `valuesKey`, or None."""
    if not isinstance(component, dict) or component.get('type') not in CHOICE_TYPES:
        return None
    key = component.get(VALUES_KEY)
    return key if isinstance(key, str) and key else None


def options_problem(component, label, strict=False) -> str | None:
    """What is wrong with a component's `valuesKey`: not a text; with `strict` (save, preview,
    deploy) also a source the app does not provide."""
    if component.get(VALUES_KEY) is None or component.get('type') not in CHOICE_TYPES:
        return None
    key = source_of(component)
    if key is None:
        return Words(N_("%(label)s: '%(property)s' debe ser un texto que nombre una fuente de opciones."),
                     label=label, property=VALUES_KEY)
    if strict and key not in option_sources:
        known = ', '.join(sorted(option_sources)) or '—'
        return Words(N_("%(label)s: '%(property)s' nombra la fuente de opciones «%(key)s», que no existe "
                        "(fuentes: %(known)s)."), label=label, property=VALUES_KEY, key=key, known=known)
    return None


def with_options(definition: dict) -> dict:
    """The definition with each `valuesKey` component turned into a plain one whose `values` are
    read from its source (a copy; the definition itself when no component has one). When the
    source gives nothing, the component's own `values` serve; without those, a source the app
    does not provide gives no option, so nothing can be chosen (and a required field cannot be
    completed) rather than anything being accepted."""
    components = definition.get('components') if isinstance(definition, dict) else None
    if not any(source_of(c) for c in every_component(components)):
        return definition
    resolved = copy.deepcopy(definition)
    for c in every_component(resolved.get('components')):
        key = source_of(c)
        if key is not None:
            source = option_sources.get(key)
            options = [dict(o) for o in source()] if source is not None and has_app_context() else []
            # none from the source (outside the app, or an organisation that has not listed its
            # areas yet): the form's own list, if it has one, so the task can still be done
            c['values'] = options or [dict(o) for o in c.get('values') or []]
            del c[VALUES_KEY]  # a plain select now: resolving it again changes nothing
    return resolved
