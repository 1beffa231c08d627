"""Translation helpers shared by modules that define user-facing text at import time, and the
wording of the engine's errors."""
from flask_babel import gettext


def N_(message: str) -> str:
    """Marks a message for `pybabel extract`; pages translate it with `_()` where it is shown."""
    return message


def describe(error) -> str:
    """An engine error (`app.engine.errors`) in the person's language: its sentence through the
    catalogue, filled in with its parameters."""
    return gettext(error.template, **error.params)
