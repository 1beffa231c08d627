"""Dates as people read them: in the configured time zone."""
from app.engine.business_days import to_datetime


def local_text(value, zone, pattern: str) -> str:
    """`value` (a datetime, date or ISO text; a naive one is in `zone`) written in `zone`."""
    return to_datetime(value, zone).astimezone(zone).strftime(pattern)
