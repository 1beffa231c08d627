"""What lint reports: one problem with file, line, element id, message and severity.

The message is said as `Words` (app/engine/words.py: a Spanish template and its values) so the
app can show it in the page's language (`app.platform.i18n.problem_dict`); `message` is the
Spanish text (CLI, logs). A plain string is accepted too and shown as it is."""
from dataclasses import dataclass, field

from ..words import Words

ERROR, WARNING = 'error', 'warning'


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None
    element_id: str | None
    words: Words | str = field(repr=False)
    severity: str = 'error'   # error: refuses the deploy | warning: deploys, but says so

    @property
    def message(self) -> str:
        return str(self.words)

    @property
    def template(self) -> str:
        return self.words.template if isinstance(self.words, Words) else self.words

    @property
    def params(self) -> dict:
        return dict(self.words.params) if isinstance(self.words, Words) else {}

    def __str__(self):
        where = f'{self.file}:{self.line}' if self.line else self.file
        label = ' (aviso)' if self.severity == WARNING else ''
        return f"{where}: {self.element_id or '-'}{label}: {self.message}"

    def as_dict(self, message: str | None = None):
        """The problem for JSON; `message` the sentence in another language (default Spanish)."""
        return {'file': self.file, 'line': self.line, 'element_id': self.element_id,
                'message': self.message if message is None else message, 'severity': self.severity}


def errors(problems) -> list:
    """The problems that refuse a deploy (warnings do not)."""
    return [p for p in problems if p.severity == ERROR]
