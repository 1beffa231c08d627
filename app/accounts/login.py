"""Signing in: password login for the web (Flask-Login, session cookie + CSRF), HTTP Basic or
bearer tokens for API clients, and the decorator that guards every staff page."""
import hashlib
import secrets
from functools import wraps

from flask import abort, request
from flask_babel import gettext as _
from flask_smorest import abort as api_abort
from flask_login import LoginManager, current_user
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from app.accounts.models import User
from app.accounts.passwords import password_problem
from app.accounts.policy import has_role
from app.accounts.roles import ROLES
from app.engine.clock import clock
from app.platform.extensions import db
from app.platform.throttling import guarded, login_rules

login_manager = LoginManager()
login_manager.login_view = 'auth.login'
login_manager.login_message = 'Inicie sesión para continuar.'
_DUMMY = generate_password_hash('timing-equaliser')
_UNSET = object()


@login_manager.user_loader
def _load_user(session_id):
    from app.accounts.sessions import load_user  # the nonce check lives with the rest of the session rules
    return load_user(session_id)


class AccountError(ValueError):
    pass


def create_user(username, password, roles, full_name=None, email=None) -> User:
    username = (username or '').strip().lower()
    unknown = [r for r in roles if r not in ROLES]
    if not username or not username.replace('.', '').replace('_', '').replace('-', '').isalnum():
        raise AccountError('El usuario solo puede tener letras, números, punto, guion y guion bajo.')
    if unknown:
        raise AccountError(f"Rol desconocido: {', '.join(unknown)} (roles: {', '.join(ROLES)}).")
    if problem := password_problem(password, username):
        raise AccountError(problem)
    if db.session.scalar(select(User.id).where(User.username == username)) is not None:
        raise AccountError(f'El usuario {username} ya existe.')
    user = User(username=username, full_name=full_name or username, email=email,
                password_hash=generate_password_hash(password), roles=sorted(set(roles)),
                active=True, created_at=clock.now())
    db.session.add(user)
    db.session.commit()
    return user


def authenticate(username, password) -> User | None:
    user = db.session.scalar(select(User).where(User.username == (username or '').strip().lower()))
    ok = check_password_hash(user.password_hash if user else _DUMMY, password or '')
    return user if user is not None and ok and user.active else None


def issue_token(user: User) -> str:
    """A new API token for `user` (the previous one stops working); only its hash is kept."""
    token = secrets.token_urlsafe(32)
    user.api_token_hash = _token_hash(token)
    db.session.commit()
    return token


def _token_user(token: str) -> User | None:
    found = db.session.scalar(select(User).where(User.api_token_hash == _token_hash(token)))
    return found if found is not None and found.active else None


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def api_user() -> User | None:
    """The user an API request authenticates as: `Authorization: Basic …` or `Bearer …` only
    (never the browser's session cookie, so the API needs no CSRF token)."""
    cached = getattr(request, '_pqrsf_api_user', _UNSET)  # per request, not per app context
    if cached is not _UNSET:
        return cached
    user = None
    auth = request.authorization
    if auth is not None and auth.type == 'basic':
        user = guarded(login_rules(auth.username), lambda: authenticate(auth.username, auth.password))
    elif auth is not None and auth.type == 'bearer' and auth.token:
        user = guarded(login_rules(None), lambda: _token_user(auth.token))
    request._pqrsf_api_user = user
    return user


def roles_required(*roles):
    """View decorator: signed in (else the login page) and holding one of `roles` (else 403)."""
    def decorate(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if roles and not has_role(current_user, *roles):
                abort(403)
            return view(*args, **kwargs)
        return wrapper
    return decorate


def authenticated(view):
    """API operation decorator: Basic or bearer credentials, else 401 with the challenge."""
    @wraps(view)
    def wrapper(*args, **kwargs):
        if api_user() is None:
            api_abort(401, message=_('Se requieren credenciales (Basic o Bearer).'),
                  headers={'WWW-Authenticate': 'Basic realm="pqrsf"'})
        return view(*args, **kwargs)
    return wrapper
