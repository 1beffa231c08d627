"""Who may do what: every `can_*` rule of the product, on tasks and on clients' data. Pages,
the API and the engine's assignee check all ask these functions, and nothing else."""
from sqlalchemy import select

from app.accounts.models import AreaMember, User
from app.accounts.roles import (AREA_ADMINS, AREA_FALLBACK, AREA_PREFIX, CLIENT_DATA, INDICATOR_READERS,
                                INTAKE, LEADS, PROCESS_OWNERS)
from app.cases.models import PqrsfCase
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


def _area_codes(groups) -> set[str]:
    return {g[len(AREA_PREFIX):] for g in groups or () if g.startswith(AREA_PREFIX) and g != AREA_PREFIX}


def area_groups(username, memberships=None) -> set[str]:
    """The area groups a user holds: `area:<code>` for an area of every branch, and
    `area:<code>:<branch>` for an area of one branch (roles.py). `memberships`: the rows already
    read (eligible_users reads them once for everybody)."""
    rows = memberships if memberships is not None else db.session.execute(
        select(AreaMember.area_code, AreaMember.branch).where(AreaMember.username == username)).all()
    return {f'{AREA_PREFIX}{code}' + (f':{branch}' if branch else '') for code, branch in rows}


def area_staffed(code: str, branch: str | None) -> bool:
    """Whether an active user is a member of area `code` for cases of `branch`."""
    covers = AreaMember.branch.is_(None) if branch is None else (
        (AreaMember.branch.is_(None)) | (AreaMember.branch == branch))
    return db.session.scalar(select(AreaMember.id).join(User, User.username == AreaMember.username).where(
        AreaMember.area_code == code, User.active.is_(True), covers).limit(1)) is not None


def task_groups(task) -> set[str]:
    """The groups that may hold `task`: its candidate groups, and for each area group of it the
    group of that area for its case's branch (`area:<code>:<branch>`), plus AREA_FALLBACK when
    nobody active is a member of the area for that branch."""
    groups = set(task.candidate_groups or ())
    codes = _area_codes(groups)
    if not codes:
        return groups
    branch = db.session.scalar(select(PqrsfCase.branch).where(PqrsfCase.case_id == task.case_id))
    for code in codes:
        if branch:
            groups.add(f'{AREA_PREFIX}{code}:{branch}')
        if not area_staffed(code, branch):
            groups.add(AREA_FALLBACK)
    return groups


def _holds(user, groups, memberships=None) -> bool:
    """An active user whose roles, or area groups, meet `groups`."""
    if user is None or not getattr(user, 'active', False):
        return False
    if set(getattr(user, 'roles', None) or ()) & groups:
        return True
    return bool(_area_codes(groups) and area_groups(user.username, memberships) & groups)


def may_hold(user, task) -> bool:
    """Whether `user` may work `task`: one of their roles or area groups is a group that may
    hold it (task_groups), or the diagram names them as a candidate user. A task is only ever
    given to, and completed by, such a user: read-only roles (the auditor) never are."""
    return _holds(user, task_groups(task)) or _named(user, task)


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
    groups = task_groups(task)
    users = db.session.scalars(select(User).where(User.active.is_(True)).order_by(User.username)).all()
    memberships = {}
    if _area_codes(groups):
        for username, code, branch in db.session.execute(
                select(AreaMember.username, AreaMember.area_code, AreaMember.branch)):
            memberships.setdefault(username, []).append((code, branch))
    return [u for u in users if _holds(u, groups, memberships.get(u.username, [])) or _named(u, task)]


def may_hold_by_name(username: str, groups) -> bool:
    """The engine's check for an assignee taken from case data (`camunda:assignee`): the engine
    knows no users, so the app hands it this. It knows no case either: a member of an area for
    any branch may hold that area's group here (the task page checks the branch again)."""
    user = db.session.scalar(select(User).where(User.username == str(username)))
    if _in_groups(user, groups):
        return True
    codes = _area_codes(groups)
    return bool(user is not None and user.active and codes and db.session.scalar(
        select(AreaMember.id).where(AreaMember.username == user.username,
                                    AreaMember.area_code.in_(codes)).limit(1)) is not None)


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


def can_manage_areas(user) -> bool:
    """The areas and their members are managed by an admin."""
    return has_role(user, *AREA_ADMINS)


# the rules templates ask (a link or a button shows only to whom may follow it)
PAGE_RULES = {'can_register': can_register, 'can_record_answer': can_record_answer,
              'can_deploy': can_deploy, 'can_read_indicators': can_read_indicators,
              'can_manage_areas': can_manage_areas}
