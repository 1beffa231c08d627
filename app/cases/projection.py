"""Case columns kept in step with the case-wide variables: a process declares, with properties
`case.<column>` = `<variable>`, which of its variables the PqrsfCase row shows (the lists, the
pages and the reports read the row, never the workflow). The engine calls `after_step` in each
step's transaction that changed one of them (EngineSettings.after_step)."""
from app.engine.business_days import to_datetime
from app.cases.models import PqrsfCase

PREFIX = 'case.'
# the columns a diagram may write, and how a variable's value becomes the column's
DATETIME, BOOLEAN, INTEGER, TEXT = 'datetime', 'boolean', 'integer', 'text'
WRITABLE = {'answer_due_at': DATETIME, 'legal_due_at': DATETIME, 'paused_since': DATETIME,
            'case_type': TEXT, 'sub_type': TEXT, 'responsible_area': TEXT, 'priority': INTEGER,
            'extended': BOOLEAN}
NOT_NULL = ('answer_due_at', 'case_type', 'extended')


def declared_columns(process_facts: dict) -> dict[str, str]:
    """column -> variable name, for the writable columns the process declares."""
    out = {}
    for name, variable in (process_facts or {}).items():
        column = name[len(PREFIX):] if name.startswith(PREFIX) else None
        if column in WRITABLE and (variable or '').strip():
            out[column] = variable.strip()
    return out


def _converted(column: str, value):
    kind = WRITABLE[column]
    if value is None or value == '':
        return None
    if kind == DATETIME:
        return to_datetime(value)
    if kind == BOOLEAN:
        return value if isinstance(value, bool) else str(value).strip().lower() in ('true', '1', 'yes', 'si', 'sí')
    if kind == INTEGER:
        return int(value)
    length = PqrsfCase.__table__.c[column].type.length
    return str(value)[:length] if length else str(value)


def apply(row: PqrsfCase, variables: dict, process_facts: dict) -> None:
    """Copy the declared variables present in `variables` onto `row` (a value that does not
    convert, or a null for a column that needs one, leaves the column as it was)."""
    for column, variable in declared_columns(process_facts).items():
        if variable not in variables:
            continue
        try:
            value = _converted(column, variables[variable])
        except (TypeError, ValueError):
            continue
        if value is None and column in NOT_NULL:
            continue
        setattr(row, column, value)


def after_step(session, case, variables: dict, process_facts: dict) -> None:
    """The engine's after-step listener: the case's row (once it exists) follows the variables."""
    if not declared_columns(process_facts):
        return
    row = session.get(PqrsfCase, case.id)
    if row is not None:
        apply(row, variables, process_facts)
