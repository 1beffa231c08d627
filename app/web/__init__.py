"""Web blueprints and what every page shares: language choice, health check, error pages."""
from urllib.parse import urlsplit

from flask import Blueprint, has_request_context, redirect, request, session, url_for
from flask_login import current_user
from sqlalchemy import select

from ..auth import has_role
from ..extensions import db
from .errors import register_errors

bp = Blueprint('web', __name__)
LANGUAGES = ('es', 'en')


def register(app):
    from . import auth, cases, form_editor, indicators, ops, processes, public, report, tasks
    for blueprint in (bp, auth.bp, tasks.bp, cases.bp, public.bp, processes.bp, form_editor.bp,
                      indicators.bp, report.bp, ops.bp):
        app.register_blueprint(blueprint)
    from ..api import init_api
    init_api(app)
    app.jinja_env.globals.update(has_role=has_role)
    register_errors(app)  # after init_api: replaces flask-smorest's handler of HTTP errors


@bp.get('/')
def index():
    if current_user.is_authenticated:
        return redirect(url_for('tasks.index'))
    return redirect(url_for('public.intake'))


@bp.post('/idioma')
def language():
    choice = request.form.get('lang')
    if choice in LANGUAGES:
        session['lang'] = choice
    target = request.form.get('next') or '/'
    parts = urlsplit(target)
    safe = parts.path if not parts.netloc and parts.path.startswith('/') else '/'
    return redirect(safe + (f'?{parts.query}' if parts.query else ''))


@bp.get('/healthz')
def healthz():
    db.session.execute(select(1))
    return {'status': 'ok'}


def locale_selector():
    """The session's language; Spanish outside a request (the CLI, jobs), which has no session."""
    if not has_request_context():
        return 'es'
    return session.get('lang') if session.get('lang') in LANGUAGES else 'es'
