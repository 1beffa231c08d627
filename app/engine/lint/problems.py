"""What lint reports: one problem with file, line, element id, message and severity."""
from dataclasses import dataclass

ERROR, WARNING = 'error', 'warning'


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None
    element_id: str | None
    message: str
    severity: str = 'error'   # error: refuses the deploy | warning: deploys, but says so

    def __str__(self):
        where = f'{self.file}:{self.line}' if self.line else self.file
        label = ' (aviso)' if self.severity == WARNING else ''
        return f"{where}: {self.element_id or '-'}{label}: {self.message}"

    def as_dict(self):
        return {'file': self.file, 'line': self.line, 'element_id': self.element_id,
                'message': self.message, 'severity': self.severity}


def errors(problems) -> list:
    """The problems that refuse a deploy (warnings do not)."""
    return [p for p in problems if p.severity == ERROR]
