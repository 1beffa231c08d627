"""Builds an `Engine` for the current app context from the app's settings and what `create_app`
put in `app.extensions['pqrsf']`: the handler registry and the accounts' assignee rule are handed
in there, so the platform knows neither."""
import time

from flask import current_app
from sqlalchemy import select

from app.engine.business_days import BusinessCalendar
from app.engine.models import NonWorkingDay
from app.engine.runtime import Engine, EngineSettings
from app.engine.sandbox import Limits
from app.platform.extensions import db

CALENDAR_TTL_SECONDS = 60


def get_engine() -> Engine:
    state = current_app.extensions['pqrsf']
    config = current_app.config
    return Engine(db.session, state['specs'], calendar(), dispatch=state['dispatch'],
                  handlers=state['handlers'],
                  settings=EngineSettings(max_attempts=config['JOB_MAX_ATTEMPTS'],
                                          retry_base_seconds=config['JOB_RETRY_BASE_SECONDS'],
                                          sweep_grace_seconds=config['SWEEP_GRACE_SECONDS'],
                                          task_due_variable=config['TASK_DUE_VARIABLE'],
                                          sandbox_limits=Limits(config['SANDBOX_CPU_SECONDS'],
                                                                config['SANDBOX_MEMORY_MB']),
                                          may_hold=state['may_hold'],
                                          after_step=tuple(state.get('after_step', ()))),
                  workflows=state['workflows'])


def calendar() -> BusinessCalendar:
    """The configured calendar plus the admin's extra non-working days (re-read every minute)."""
    state = current_app.extensions['pqrsf']
    cached = state.get('calendar')
    if cached is None or time.monotonic() - cached[0] > CALENDAR_TTL_SECONDS:
        days = db.session.scalars(select(NonWorkingDay.day)).all()
        cached = (time.monotonic(), state['base_calendar'].with_extra_days(days))
        state['calendar'] = cached
    return cached[1]


def forget_calendar() -> None:
    current_app.extensions['pqrsf'].pop('calendar', None)
