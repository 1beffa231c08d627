"""PQRSF case handling on BPMN: the Flask application factory."""
import os

from flask import Flask

import handlers

from . import config as settings
from . import models  # noqa: F401  (registers the application tables)
from .engine.business_days import BusinessCalendar
from .engine.clock import clock
from .engine.database import configure_engine
from .engine.specs import SpecLibrary
from .engine.workflow_cache import WorkflowCache
from .extensions import babel, csrf, db, migrate
from .jobs import RqDispatcher
from .observability import configure_logging, count_sql, init_request_logging
from .queue import queues


def create_app(overrides: dict | None = None) -> Flask:
    app = Flask(__name__, instance_path=os.environ.get('PQRSF_INSTANCE') or None,
                instance_relative_config=True)
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.update(settings.from_env(app.instance_path))
    app.config.update(overrides or {})
    app.config['SQLALCHEMY_ENGINE_OPTIONS'] = settings.engine_options(app.config)
    configure_logging(app.config['LOG_FORMAT'])

    db.init_app(app)
    migrate.init_app(app, db, directory=str(settings.ROOT / 'migrations'), render_as_batch=True)
    with app.app_context():
        configure_engine(db.engine)
        count_sql(db.engine)
    clock.adjustable = app.config['CLOCK_ADJUSTABLE']
    handlers.load(app.config['HANDLER_MODULES'])
    app.extensions['pqrsf'] = {
        'specs': SpecLibrary(),
        'workflows': WorkflowCache(app.config['WORKFLOW_CACHE_SIZE']),
        'base_calendar': BusinessCalendar(
            country=app.config['HOLIDAY_COUNTRY'], subdivision=app.config['HOLIDAY_SUBDIVISION'],
            time_zone=app.config['TIMEZONE'], weekend=app.config['WEEKEND_DAYS']),
        'dispatch': RqDispatcher(lambda: queues(app.config)),
    }

    from .auth import login_manager
    from .web import locale_selector, register
    login_manager.init_app(app)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=locale_selector, default_timezone=app.config['TIMEZONE'])
    app.config['MAX_CONTENT_LENGTH'] = 20 * 1024 * 1024
    _template_filters(app)
    register(app)
    _surface(app)
    init_request_logging(app)
    app.teardown_appcontext(lambda exc: db.session.remove())
    return app


def _surface(app):
    """What faces the network: throttling, security headers, server-side session rules."""
    from .headers import init_headers
    from .sessions import init_sessions
    from .throttling import init_throttling
    init_throttling(app)
    init_headers(app)
    init_sessions(app)
    if app.config['PROXY_HOPS']:
        from werkzeug.middleware.proxy_fix import ProxyFix
        hops = app.config['PROXY_HOPS']
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)


def _template_filters(app):
    from zoneinfo import ZoneInfo

    from flask_babel import get_locale
    from .engine.business_days import to_datetime
    zone = ZoneInfo(app.config['TIMEZONE'])

    def local(value, pattern):
        return to_datetime(value, zone).astimezone(zone).strftime(pattern) if value else ''
    app.jinja_env.filters['local_date'] = lambda v: local(v, '%d/%m/%Y')
    app.jinja_env.filters['local_datetime'] = lambda v: local(v, '%d/%m/%Y %H:%M')
    app.jinja_env.globals['current_locale'] = lambda: str(get_locale() or 'es')
