"""Timer values lint checks beyond ISO 8601 literals: Camunda's cron `timeCycle`, and the whole
days a timer declaring `business_days` = true counts (see engine/business_timers.py)."""
from .. import business_timers, cron
from ..words import N_, Words
from ..facts import BUSINESS_DAYS, TRUE_VALUES, declared_value, properties_of


def cron_problems(text: str, kind: str) -> list:
    """A cron runs as its ISO cycle when it has one (see engine/cron.py); else the reason."""
    if kind != 'timeCycle':
        return [Words(N_("%(kind)s '%(text)s' es una expresión cron: cron solo vale en timeCycle (un "
                         "ciclo); para %(kind)s use ISO 8601 (p. ej. 'PT1H' o '2026-01-05T09:00:00-05:00')."),
                      kind=kind, text=text)]
    return [] if cron.cycle_of(text) is not None else [cron.refusal(text)]


def counts_business_days(node) -> bool:
    return declared_value(properties_of(node), BUSINESS_DAYS) in TRUE_VALUES


def business_day_problems(kind: str, literal: str | None, cron_text: bool = False) -> list:
    """With `business_days` = true: a date, a cron, or a literal that is not whole days (PnD)
    cannot be counted in business days. An expression is checked when the timer is reached."""
    if cron_text:
        return [Words(N_("Con business_days=true el temporizador no puede ser una expresión cron "
                         "('%(text)s'): escríbalo como ciclo ISO de días enteros, p. ej. 'R/P1D' o "
                         "'R/2026-01-05T09:00:00/P1D'."), text=literal)]
    if kind == 'timeDate' or literal is not None:
        problem = business_timers.literal_problem(literal or '', kind)
        return [problem] if problem else []
    return []
