"""The Flask application factory: the composition root, where every area is registered."""
import os

from flask import Flask

from app.platform import handlers as handler_registry
from app.accounts.areas import area_options
from app.accounts.policy import may_hold_by_name
from app.platform import config as settings
from app.accounts import models as _accounts_models  # noqa: F401  (register the application tables)
from app.cases import models as _cases_models  # noqa: F401
from app.cases import projection as case_projection
from app.inbound import models as _inbound_models  # noqa: F401
from app.notifications import models as _notification_models  # noqa: F401
from app.notifications.jobs import init_hooks as notification_hooks
from app.task_forms import models as _form_models  # noqa: F401
from app.task_forms.options import option_sources
from app.engine.business_days import BusinessCalendar
from app.engine.clock import clock
from app.engine.database import configure_engine
from app.engine.specs import SpecLibrary
from app.engine.workflow_cache import WorkflowCache
from app.platform.extensions import babel, csrf, db, migrate
from app.jobs import run_job
from app.platform.observability import configure_logging, count_sql, init_request_logging
from app.platform.queue import RqDispatcher, queues


def create_app(overrides: dict | None = None) -> Flask:
    # named after the package (not this module): its folder holds static/ and translations/
    app = Flask('app', instance_path=os.environ.get('PQRSF_INSTANCE') or None,
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
    if clock.adjustable:  # moved by `pqrsf clock advance` in another process: seen at the next request
        app.before_request(lambda: clock.refresh(db.session))
    handler_registry.load(app.config['HANDLER_MODULES'])
    notification_hooks()  # a committed step that opened human tasks queues their notifications
    option_sources['areas'] = area_options  # the classification's area select (valuesKey "areas")
    app.extensions['pqrsf'] = {
        'specs': SpecLibrary(),
        'workflows': WorkflowCache(app.config['WORKFLOW_CACHE_SIZE']),
        'base_calendar': BusinessCalendar(
            country=app.config['HOLIDAY_COUNTRY'], subdivision=app.config['HOLIDAY_SUBDIVISION'],
            time_zone=app.config['TIMEZONE'], weekend=app.config['WEEKEND_DAYS']),
        'dispatch': RqDispatcher(lambda: queues(app.config), run_job),
        'handlers': handler_registry.get,
        'may_hold': may_hold_by_name,
        'after_step': (case_projection.after_step,),
    }

    from app.accounts.login import login_manager
    from app.platform.web import locale_selector
    login_manager.init_app(app)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=locale_selector, default_timezone=app.config['TIMEZONE'])
    app.config['MAX_CONTENT_LENGTH'] = 20 * 1024 * 1024
    _template_filters(app)
    _register_areas(app)
    _surface(app)
    init_request_logging(app)
    app.teardown_appcontext(lambda exc: db.session.remove())
    return app


def _register_areas(app):
    """Every area's pages and API operations, then the error pages (after the API: they replace
    flask-smorest's handler of HTTP errors)."""
    from app.accounts import area_views, views as accounts_views
    from app.accounts.policy import PAGE_RULES
    from app.cases import api as _cases_api  # noqa: F401  (API modules add their operations to `blp`)
    from app.cases import public, views as cases_views
    from app.inbound import api as _inbound_api  # noqa: F401
    from app.inbound import views as inbound_views
    from app.oversight import api as _oversight_api  # noqa: F401
    from app.oversight import indicator_views, report_views
    from app.platform import ops, web
    from app.platform.api import blp, init_api
    from app.platform.errors import register_errors
    from app.notifications import api as _notifications_api  # noqa: F401
    from app.notifications import views as notification_views
    from app.processes import views as processes_views
    from app.task_forms import editor
    from app.task_forms.openapi import register_form_schemas
    from app.tasks import api as _tasks_api  # noqa: F401
    from app.tasks import views as tasks_views
    for module in (web, accounts_views, area_views, tasks_views, cases_views, public, processes_views, editor,
                   indicator_views, report_views, ops, notification_views, inbound_views):
        app.register_blueprint(module.bp)
    init_api(app, documents=[register_form_schemas])
    csrf.exempt(blp)
    app.jinja_env.globals.update(PAGE_RULES, unread_badge=notification_views.unread_badge)
    register_errors(app)


def _surface(app):
    """What faces the network: throttling, security headers, server-side session rules."""
    from app.platform.headers import init_headers
    from app.accounts.sessions import init_sessions
    from app.platform.throttling import init_throttling
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
    from app.platform.dates import local_text
    from app.platform.i18n import localized
    from app.task_forms.error_summary import error_items
    zone = ZoneInfo(app.config['TIMEZONE'])

    def local(value, pattern):
        return local_text(value, zone, pattern) if value else ''
    app.jinja_env.filters['local_date'] = lambda v: local(v, '%d/%m/%Y')
    app.jinja_env.filters['local_datetime'] = lambda v: local(v, '%d/%m/%Y %H:%M')
    app.jinja_env.globals['current_locale'] = lambda: str(get_locale() or 'es')
    app.jinja_env.globals['error_items'] = error_items
    # an element's name in the page's language: {{ task.name | localized(task.names) }}
    app.jinja_env.filters['localized'] = lambda spanish, others: localized(spanish, others)
