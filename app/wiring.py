"""Builds an `Engine` for the current app context from the app's settings and extensions."""
import time

from flask import current_app
from sqlalchemy import select

import handlers

from .auth import may_hold_by_name
from .engine.business_days import BusinessCalendar
from .engine.lint import Linter
from .engine.models import NonWorkingDay
from .engine.runtime import Engine, EngineSettings
from .engine.sandbox import Limits
from .extensions import db

CALENDAR_TTL_SECONDS = 60


def get_engine() -> Engine:
    state = current_app.extensions['pqrsf']
    config = current_app.config
    return Engine(db.session, state['specs'], calendar(), dispatch=state['dispatch'],
                  handlers=handlers.get,
                  settings=EngineSettings(max_attempts=config['JOB_MAX_ATTEMPTS'],
                                          retry_base_seconds=config['JOB_RETRY_BASE_SECONDS'],
                                          sweep_grace_seconds=config['SWEEP_GRACE_SECONDS'],
                                          task_due_variable=config['TASK_DUE_VARIABLE'],
                                          sandbox_limits=Limits(config['SANDBOX_CPU_SECONDS'],
                                                                config['SANDBOX_MEMORY_MB']),
                                          may_hold=may_hold_by_name),
                  workflows=state['workflows'])


def make_linter() -> Linter:
    """The deploy-time linter with what this app knows: handler topics, forms, templates."""
    from .form_store import form_problem
    return Linter(topics=handlers.topics(), form_problem=form_problem,
                  input_problems=handlers.input_problems)


def deploy_paths(paths, actor: str):
    """Lint and deploy the diagrams at `paths` (files or folders); raises DeployRefused."""
    from .engine.deployment import deploy
    from .engine.lint import read_documents
    return deploy(db.session, read_documents([str(p) for p in paths]), make_linter(), actor)


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
