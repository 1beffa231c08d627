"""A sentence the engine says to a person, kept as its Spanish template and its values so the
app can say it in the page's language (`app.platform.i18n.render`); `str()` is the Spanish text
the CLI, logs and tests read. The engine knows no Flask: it only marks sentences (`N_`)."""
from .errors import N_  # noqa: F401  (re-exported: the one marker of the engine's sentences)


class Words(str):
    """`Words(N_('La tarea %(id)s ...'), id='a')`: a template with %(name)s slots and their
    values. A value may be Words itself (a piece of the sentence, also translated) or a list
    of Words/str (shown joined by ', '). It is the Spanish text itself (a str: callers and
    tests that read, compare or join the text keep working), and keeps `template` and `params`
    so the app can fill it in another language."""

    def __new__(cls, template: str, /, **params):  # positional: a value may be named `template`
        params = {k: tuple(v) if isinstance(v, list) else v for k, v in params.items()}
        self = super().__new__(cls, _filled(template, params, _spanish))
        self.template, self.params = template, params
        return self

    def fill(self, word=None) -> str:
        """The sentence with its values in; `word(template)` gives each template's wording
        (default: the Spanish template itself; the app passes its catalogue's gettext)."""
        return _filled(self.template, self.params, word or _spanish)

    def __str__(self):
        return str.__str__(self)

    def __repr__(self):
        return f'Words({self.template!r}, **{self.params!r})'


def _spanish(template):
    return template


def _filled(template, params, word) -> str:
    shown = {k: _shown(v, word) for k, v in params.items()}
    text = word(template)
    return text % shown if shown else text


def _shown(value, word):
    if isinstance(value, Words):
        return value.fill(word)
    if isinstance(value, tuple):
        return ', '.join(_shown(v, word) for v in value)
    return value


def listed(items, most: int = 12):
    """The first `most` items joined by ', ', and how many more there are, as words."""
    items = [str(i) for i in items]
    if len(items) <= most:
        return ', '.join(items)
    return Words(N_('%(shown)s y %(more)s más'), shown=', '.join(items[:most]), more=len(items) - most)


def joined(items):
    """'a', 'a y b', 'a, b y c' as words (each item may be Words)."""
    items = list(items)
    if len(items) < 2:
        return items[0] if items else ''
    return Words(N_('%(first)s y %(last)s'), first=tuple(items[:-1]), last=items[-1])
