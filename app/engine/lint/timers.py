"""Timer values lint checks beyond ISO 8601 literals: Camunda's cron `timeCycle`."""
from .. import cron


def cron_problems(text: str, kind: str) -> list[str]:
    """A cron runs as its ISO cycle when it has one (see engine/cron.py); else the reason."""
    if kind != 'timeCycle':
        return [f"{kind} '{text}' es una expresión cron: cron solo vale en timeCycle (un ciclo); "
                f"para {kind} use ISO 8601 (p. ej. 'PT1H' o '2026-01-05T09:00:00-05:00')."]
    return [] if cron.cycle_of(text) is not None else [cron.refusal(text)]
