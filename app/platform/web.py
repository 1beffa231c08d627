"""What every page shares: the front door, the language choice, the icon and the health check."""
from urllib.parse import urlsplit

from flask import Blueprint, has_request_context, redirect, request, session, url_for
from flask_login import current_user
from sqlalchemy import select

from app.platform.extensions import db

bp = Blueprint('web', __name__, template_folder='templates')
LANGUAGES = ('es', 'en')


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


@bp.get('/favicon.ico')
def favicon():
    """Browsers ask for it even where a page names its icon (a PDF, a JSON answer)."""
    return redirect(url_for('static', filename='favicon.svg'), 301)


@bp.get('/healthz')
def healthz():
    db.session.execute(select(1))
    return {'status': 'ok'}


def locale_selector():
    """The session's language; Spanish outside a request (the CLI, jobs), which has no session."""
    if not has_request_context():
        return 'es'
    return session.get('lang') if session.get('lang') in LANGUAGES else 'es'
