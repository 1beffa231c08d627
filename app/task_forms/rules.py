"""Checks of the types in a form component's `validate` rules, so a form with a wrong type is
refused when it is saved or deployed instead of failing every submission later."""
import math

from app.platform.i18n import N_, Words


def rules_problem(rules, label) -> str | None:
    """What is wrong with the types in a component's `validate` (a wrong type would only fail
    later, on every submission), or None."""
    if not isinstance(rules, dict):
        return Words(N_("%(label)s: 'validate' debe ser un objeto."), label=label)
    for key in ('minLength', 'maxLength', 'minItems', 'maxItems'):
        value = rules.get(key)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
            return Words(N_("%(label)s: '%(key)s' debe ser un número entero no negativo."), label=label, key=key)
    for key in ('min', 'max'):
        value = rules.get(key)
        if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float))
                                  or not math.isfinite(value)):
            return Words(N_("%(label)s: '%(key)s' debe ser un número."), label=label, key=key)
    for key in ('pattern', 'validationType'):
        if not isinstance(rules.get(key) or '', str):
            return Words(N_("%(label)s: '%(key)s' debe ser un texto."), label=label, key=key)
    return None
