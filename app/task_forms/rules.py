"""Checks of the types in a form component's `validate` rules, so a form with a wrong type is
refused when it is saved or deployed instead of failing every submission later."""
import math


def rules_problem(rules, label) -> str | None:
    """What is wrong with the types in a component's `validate` (a wrong type would only fail
    later, on every submission), or None."""
    if not isinstance(rules, dict):
        return f"{label}: 'validate' debe ser un objeto."
    for key in ('minLength', 'maxLength', 'minItems', 'maxItems'):
        value = rules.get(key)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
            return f"{label}: '{key}' debe ser un número entero no negativo."
    for key in ('min', 'max'):
        value = rules.get(key)
        if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float))
                                  or not math.isfinite(value)):
            return f"{label}: '{key}' debe ser un número."
    for key in ('pattern', 'validationType'):
        if not isinstance(rules.get(key) or '', str):
            return f"{label}: '{key}' debe ser un texto."
    return None
