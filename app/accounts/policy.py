"""Who may do what: every `can_*` rule of the product, on tasks and on clients' data. Pages,
the API and the engine's assignee check all ask these functions, and nothing else."""
from sqlalchemy import select

from app.accounts.models import User
from app.accounts.roles import CLIENT_DATA, INDICATOR_READERS, INTAKE, LEADS, PROCESS_OWNERS
from app.platform.extensions import db


def has_role(user, *roles) -> bool:
    return bool(user and set(user.roles) & set(roles))


def _in_groups(user, groups) -> bool:
    return bool(user is not None and getattr(user, 'active', False) and
                set(getattr(user, 'roles', None) or ()) & set(groups or ()))


def _named(user, task) -> bool:
    """`user` is one of the task's candidate users (`camunda:candidateUsers`) and active."""
    return bool(user is not None and getattr(user, 'active', False)
                and user.username in (getattr(task, 'candidate_users', None) or ()))


def may_hold(user, task) -> bool:
    """Whether `user` may work `task`: one of their roles is a candidate group of it, or the
    diagram names them as a candidate user. A task is only ever given to, and completed by,
    such a user: read-only roles (the auditor) never are."""
    return _in_groups(user, task.candidate_groups) or _named(user, task)


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
    users = db.session.scalars(select(User).where(User.active.is_(True)).order_by(User.username))
    return [u for u in users if may_hold(u, task)]


def may_hold_by_name(username: str, groups) -> bool:
    """The engine's check for an assignee taken from case data (`camunda:assignee`): the engine
    knows no users, so the app hands it this."""
    return _in_groups(db.session.scalar(select(User).where(User.username == str(username))), groups)


def can_see_client_data(user) -> bool:
    """Only the roles that handle clients (`CLIENT_DATA`) see their contact data."""
    return bool(user is not None and set(getattr(user, 'roles', None) or ()) & CLIENT_DATA)


def can_download_attachments(user) -> bool:
    """Attachments may hold id documents: the same roles as the contact data."""
    return can_see_client_data(user)


def can_register(user) -> bool:
    """Cases from any channel are registered by the intake roles (clients use the public form)."""
    return has_role(user, *INTAKE)


def can_record_answer(user) -> bool:
    """The client's answer given by phone or in person is recorded by the intake roles."""
    return has_role(user, *INTAKE)


def can_deploy(user) -> bool:
    """Process owners deploy diagrams and migrate running cases to a new version."""
    return has_role(user, *PROCESS_OWNERS)


def can_read_indicators(user) -> bool:
    """The indicators are read by auditors, leads and process owners."""
    return has_role(user, *INDICATOR_READERS)


# the rules templates ask (a link or a button shows only to whom may follow it)
PAGE_RULES = {'can_register': can_register, 'can_record_answer': can_record_answer,
              'can_deploy': can_deploy, 'can_read_indicators': can_read_indicators}
