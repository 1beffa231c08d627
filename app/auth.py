"""Staff accounts: password login for the web (Flask-Login, session cookie + CSRF), HTTP Basic
or bearer tokens for API clients, and the role checks every task action goes through."""
import hashlib
import secrets
from functools import wraps

from flask import abort, request
from flask_login import LoginManager, current_user
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from .engine.clock import clock
from .extensions import db
from .models import User
from .passwords import password_problem
from .roles import LEADS, ROLES
from .throttling import guarded, login_rules

login_manager = LoginManager()
login_manager.login_view = 'auth.login'
login_manager.login_message = 'Inicie sesión para continuar.'
_DUMMY = generate_password_hash('timing-equaliser')
_UNSET = object()


@login_manager.user_loader
def _load_user(session_id):
    from .sessions import load_user  # the nonce check lives with the rest of the session rules
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


def has_role(user, *roles) -> bool:
    return bool(user and set(user.roles) & set(roles))


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


def _in_groups(user, groups) -> bool:
    return bool(user is not None and getattr(user, 'active', False) and
                set(getattr(user, 'roles', None) or ()) & set(groups or ()))


def may_hold(user, task) -> bool:
    """Whether `user`'s roles may work `task` (one of its candidate groups). A task is only ever
    given to, and completed by, such a user: read-only roles (the auditor) never are."""
    return _in_groups(user, task.candidate_groups)


def can_work(user, task) -> bool:
    """A pending task is worked by its assignee, an unassigned one by anyone in its groups; in
    both cases only by someone whose roles may work it (an assignment never grants a role)."""
    if user is None or task.state != 'open' or not may_hold(user, task):
        return False
    return not task.assignee or task.assignee == user.username


def can_claim(user, task) -> bool:
    return task.state == 'open' and not task.assignee and can_work(user, task)


def can_release(user, task) -> bool:
    return task.state == 'open' and bool(task.assignee) and (
        has_role(user, *LEADS) or (task.assignee == user.username and may_hold(user, task)))


def can_reassign(user, task, target=None) -> bool:
    """Leads reassign any task, but only to a user who may work it (`target`, when known)."""
    return task.state == 'open' and has_role(user, *LEADS) and (target is None or may_hold(target, task))


def users_with_roles(roles) -> list[User]:
    """The active users holding one of `roles`, by user name."""
    users = db.session.scalars(select(User).where(User.active.is_(True)).order_by(User.username))
    return [u for u in users if _in_groups(u, roles)]


def eligible_users(task) -> list[User]:
    """The active users who may hold `task`: the reassign list offers these and no others."""
    return users_with_roles(task.candidate_groups)


def may_hold_by_name(username: str, groups) -> bool:
    """The engine's check for an assignee taken from case data (`camunda:assignee`): the engine
    knows no users, so the app hands it this."""
    return _in_groups(db.session.scalar(select(User).where(User.username == str(username))), groups)
