"""The responsible areas and their members, managed by an admin: the use cases the admin pages
and `pqrsf users area` call, and the option source the classification form's area select
reads (`valuesKey: "areas"`). Who may take an area's tasks is policy.py's business."""
import re

from flask_babel import gettext as _
from sqlalchemy import select

from app.accounts.models import Area, AreaMember, User
from app.accounts.policy import can_manage_areas
from app.cases.vocabulary import BRANCHES
from app.engine.clock import clock
from app.platform.extensions import db
from app.platform.refusals import Invalid, Missing, NotAllowed

CODE = re.compile(r'^[a-z0-9][a-z0-9_-]{1,59}$')
NAME_MAX = 120


def _refuse(field: str, message: str):
    raise Invalid({field: [message]}, message)


def _allowed(actor):
    """Only admins manage areas (None: the command line, run by whoever runs the server)."""
    if actor is not None and not can_manage_areas(actor):
        raise NotAllowed(_('Solo un administrador gestiona las áreas.'))


def _name(name) -> str:
    name = (name or '').strip() if isinstance(name, str) else ''
    if not name:
        _refuse('name', _('Escriba el nombre del área.'))
    if len(name) > NAME_MAX:
        _refuse('name', _('El nombre del área puede tener como máximo %(n)s caracteres.', n=NAME_MAX))
    return name


def all_areas() -> list[Area]:
    return list(db.session.scalars(select(Area).order_by(Area.active.desc(), Area.name)))


def get_area(code) -> Area:
    area = db.session.get(Area, code) if isinstance(code, str) and code else None
    if area is None:
        raise Missing(_('El área «%(code)s» no existe.', code=code))
    return area


def create_area(*, code, name, actor=None) -> Area:
    """A new active area; Invalid names the field (code or name) that is wrong."""
    _allowed(actor)
    code = (code or '').strip().lower() if isinstance(code, str) else ''
    if not CODE.match(code):
        _refuse('code', _('El código del área debe tener de 2 a 60 letras minúsculas sin tildes, números, '
                          'guion o guion bajo, y empezar por una letra o un número.'))
    name = _name(name)
    if db.session.get(Area, code) is not None:
        _refuse('code', _('Ya existe un área con el código «%(code)s».', code=code))
    area = Area(code=code, name=name, active=True, created_at=clock.now())
    db.session.add(area)
    db.session.commit()
    return area


def update_area(*, code, name=None, active=None, actor=None) -> Area:
    """Rename an area and/or (de)activate it (an inactive one is not offered at classification)."""
    _allowed(actor)
    area = get_area(code)
    if name is not None:
        area.name = _name(name)
    if active is not None:
        area.active = bool(active)
    db.session.commit()
    return area


def members(code) -> list[tuple[AreaMember, User]]:
    return list(db.session.execute(
        select(AreaMember, User).join(User, User.username == AreaMember.username)
        .where(AreaMember.area_code == code).order_by(User.username, AreaMember.branch)).all())


def add_member(*, code, username, branch=None, actor=None) -> AreaMember:
    """Make an existing user a member of the area, for one branch or (branch blank) all."""
    _allowed(actor)
    area = get_area(code)
    username = (username or '').strip().lower() if isinstance(username, str) else ''
    user = db.session.scalar(select(User).where(User.username == username)) if username else None
    if user is None:
        _refuse('username', _('Elija un usuario existente.'))
    branch = (branch or '').strip() if isinstance(branch, str) else None
    branch = branch or None
    if branch is not None and branch not in BRANCHES:
        _refuse('branch', _('La sede «%(branch)s» no existe (sedes: %(all)s).', branch=branch, all=', '.join(BRANCHES)))
    if db.session.scalar(select(AreaMember.id).where(
            AreaMember.area_code == area.code, AreaMember.username == user.username,
            AreaMember.branch.is_(None) if branch is None else AreaMember.branch == branch)) is not None:
        _refuse('username', _('%(user)s ya es miembro de esta área para esa sede.', user=user.username))
    member = AreaMember(area_code=area.code, username=user.username, branch=branch)
    db.session.add(member)
    db.session.commit()
    return member


def remove_member(*, code, member_id, actor=None) -> None:
    _allowed(actor)
    area = get_area(code)
    try:
        member = db.session.get(AreaMember, int(member_id))
    except (TypeError, ValueError):
        member = None
    if member is None or member.area_code != area.code:
        raise Missing(_('Ese miembro no está en el área «%(code)s».', code=area.code))
    db.session.delete(member)
    db.session.commit()


def area_options() -> list[dict]:
    """The active areas as form options (label: name, value: code), by name: the option source
    `areas` of app.task_forms.options."""
    return [{'label': a.name, 'value': a.code} for a in db.session.scalars(
        select(Area).where(Area.active.is_(True)).order_by(Area.name))]
