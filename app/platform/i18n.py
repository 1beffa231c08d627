"""Translation helpers shared by modules that define user-facing text at import time, and the
wording of the engine's errors."""
from flask_babel import gettext

from app.engine.words import Words  # noqa: F401  (for handlers' deploy checks, which may not import the engine)


def N_(message: str) -> str:
    """Marks a message for `pybabel extract`; pages translate it with `_()` where it is shown."""
    return message


def describe(error) -> str:
    """An engine error (`app.engine.errors`) in the person's language: its sentence through the
    catalogue, filled in with its parameters."""
    return gettext(error.template, **error.params)


def render(words) -> str:
    """Engine words (`app.engine.words.Words`, or a plain string) in the person's language: each
    template, and each piece of the sentence that is Words too, through the catalogue."""
    fill = getattr(words, 'fill', None)
    return fill(gettext) if fill else str(words)


def problem_dict(problem) -> dict:
    """A lint problem (`app.engine.lint.Problem`) for JSON, its message in the person's language."""
    return problem.as_dict(message=render(problem.words))


def page_language() -> str:
    """The language of the page being built ('es' outside a request)."""
    from flask_babel import get_locale
    return str(get_locale() or 'es').split('_')[0]


def localized(spanish, others: dict | None, language: str | None = None):
    """An owner's text (an element's name, a form's label) in the page's language: `others`
    holds its other languages ({'en': text}); the Spanish text is the fallback."""
    if not others or not isinstance(others, dict):
        return spanish
    return others.get(language or page_language()) or spanish
