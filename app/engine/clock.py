"""The one clock of the engine: real UTC time plus an offset that tests and the demo may move.

SpiffWorkflow reads `datetime.now(timezone.utc)` inside its timer definitions; `spiff_compat`
routes those calls here, so a moved clock moves timers too. In production the offset is fixed
at zero and `advance` refuses to run.
"""
from datetime import datetime, timedelta, timezone


from .models import Setting

SETTING_KEY = 'clock'


class Clock:
    def __init__(self):
        self.offset = timedelta(0)
        self.adjustable = False

    def now(self) -> datetime:
        return datetime.now(timezone.utc) + self.offset

    def real_time_of(self, moment: datetime) -> datetime:
        """When, on the wall clock, this clock will show `moment` (for scheduling in RQ)."""
        return moment - self.offset

    def refresh(self, session) -> None:
        """Pick up an offset another process stored; a no-op unless the clock is adjustable."""
        if not self.adjustable:
            return
        row = session.get(Setting, SETTING_KEY)
        self.offset = timedelta(seconds=row.value['offset_seconds']) if row else timedelta(0)

    def advance(self, session, delta: timedelta) -> datetime:
        """Move the shared clock forward by `delta`; the caller commits and sweeps."""
        if not self.adjustable:
            raise ClockLocked('El reloj solo se puede mover fuera de producción.')
        self.refresh(session)
        self.offset += delta
        row = session.get(Setting, SETTING_KEY)
        if row is None:
            session.add(Setting(key=SETTING_KEY, value={'offset_seconds': self.offset.total_seconds()}))
        else:
            row.value = {'offset_seconds': self.offset.total_seconds()}
        return self.now()


class ClockLocked(Exception):
    pass


def parse_delta(text: str) -> timedelta:
    """'3d', '12h', '30m', '45s' or combinations like '1d12h' -> timedelta."""
    import re
    parts = re.fullmatch(r'\s*(?:(\d+)d)?\s*(?:(\d+)h)?\s*(?:(\d+)m)?\s*(?:(\d+)s)?\s*', text or '')
    if not parts or not any(parts.groups()):
        raise ValueError(f"Duración inválida: {text!r} (ejemplos: 3d, 12h, 1d6h, 30m)")
    d, h, m, s = (int(p or 0) for p in parts.groups())
    return timedelta(days=d, hours=h, minutes=m, seconds=s)


clock = Clock()
