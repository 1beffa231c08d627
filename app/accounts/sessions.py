"""Staff sessions the server can end: signing out or a long idle time.

The signed session cookie (and Flask-Login's remember cookie) names the user as
`<id>:<session nonce>`; the nonce lives in the user's row, so signing out (which draws a new
one) refuses every copy of the old cookie, on this browser or a replayed one. A session that
has not been used for SESSION_IDLE_MINUTES is closed on its next request.
"""
import hmac
import secrets
import time

from flask import current_app, flash, session
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from app.platform.extensions import db
from app.accounts.models import User

SEEN = 'seen'  # wall-clock seconds of the session's last request (not the demo's movable clock)
SEEN_PRECISION_SECONDS = 30  # rewrite the cookie at most this often


def session_id(user: User) -> str:
    return f'{user.id}:{user.session_nonce}'


def load_user(value: str) -> User | None:
    """The active user a session cookie names, if its nonce is still the user's."""
    user_id, _sep, nonce = (value or '').partition(':')
    if not user_id.isdigit() or not nonce:
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.active or not user.session_nonce:
        return None
    return user if hmac.compare_digest(user.session_nonce, nonce) else None


def start_session(user: User) -> None:
    if not user.session_nonce:
        user.session_nonce = secrets.token_urlsafe(24)
        db.session.commit()
    _fresh_session()
    login_user(user)
    session[SEEN] = int(time.time())


def end_session() -> None:
    """Sign out everywhere this user's current sessions are: a new nonce refuses them all."""
    if current_user.is_authenticated:
        current_user.session_nonce = secrets.token_urlsafe(24)
        db.session.commit()
    logout_user()
    _fresh_session()


def _fresh_session() -> None:
    """Nothing of the session before carries over, except the language chosen."""
    language = session.get('lang')
    session.clear()
    if language:
        session['lang'] = language


def check_idle() -> None:
    """before_request: close a signed-in session idle for too long, else note it was used."""
    if '_user_id' not in session:
        return
    now = int(time.time())
    seen = session.get(SEEN)
    limit = current_app.config['SESSION_IDLE_MINUTES'] * 60
    if not isinstance(seen, int) or now - seen > limit:
        logout_user()
        _fresh_session()
        flash(_('Su sesión se cerró por inactividad. Ingrese de nuevo.'), 'error')
    elif now - seen >= SEEN_PRECISION_SECONDS:
        session[SEEN] = now


def init_sessions(app) -> None:
    app.before_request(check_idle)
