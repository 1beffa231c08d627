"""Translation helpers shared by modules that define user-facing text at import time."""


def N_(message: str) -> str:
    """Marks a message for `pybabel extract`; pages translate it with `_()` where it is shown."""
    return message
