"""The staff's own notifications: the unread count of the top bar, the list (which marks them
read), and the choice between immediate emails and a daily digest. Web pages and the API call
these alike."""
from flask_babel import gettext as _
from sqlalchemy import func, select, update

from app.engine.clock import clock
from app.engine.models import Case, HumanTask
from app.notifications.models import IMMEDIATE, MODES, Notification, NotificationPreference
from app.platform.extensions import db
from app.platform.i18n import localized
from app.platform.refusals import Invalid

LISTED_KINDS = ('task_new', 'assigned', 'due_soon', 'overdue', 'lead_digest')  # a task digest only repeats them
PAGE_SIZE = 100


def unread_count(user) -> int:
    return db.session.scalar(select(func.count(Notification.id)).where(
        Notification.username == user.username, Notification.read_at.is_(None),
        Notification.kind.in_(LISTED_KINDS))) or 0


def open_list(user) -> list[dict]:
    """The user's latest notifications, newest first, each with its task and case; the unread
    ones are marked read (the list is where they are read)."""
    rows = db.session.execute(
        select(Notification, HumanTask.name, HumanTask.names, HumanTask.state, HumanTask.due_at, Case.reference)
        .outerjoin(HumanTask, HumanTask.id == Notification.task_id)
        .outerjoin(Case, Case.id == Notification.case_id)
        .where(Notification.username == user.username, Notification.kind.in_(LISTED_KINDS))
        .order_by(Notification.created_at.desc(), Notification.id.desc()).limit(PAGE_SIZE)).all()
    items = [{'kind': n.kind, 'task_id': n.task_id, 'task': localized(name, names), 'task_open': state == 'open',
              'due_at': due_at, 'radicado': radicado, 'created_at': n.created_at, 'unread': n.read_at is None}
             for n, name, names, state, due_at, radicado in rows]
    db.session.execute(update(Notification).where(
        Notification.username == user.username, Notification.read_at.is_(None)).values(read_at=clock.now()))
    db.session.commit()
    return items


def mode_of(user) -> str:
    return db.session.scalar(select(NotificationPreference.mode).where(
        NotificationPreference.username == user.username)) or IMMEDIATE


def choose_mode(user, mode) -> str:
    """Immediate emails or one digest a day; anything else is refused, changing nothing."""
    if mode not in MODES:
        raise Invalid({'mode': [_('Elija «inmediato» o «resumen diario».')]})
    row = db.session.get(NotificationPreference, user.username)
    if row is None:
        db.session.add(NotificationPreference(username=user.username, mode=mode))
    else:
        row.mode = mode
    db.session.commit()
    return mode
