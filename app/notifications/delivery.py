"""Emails to staff: each notification at once, or one digest a day; a lead's digest of
overdue cases. A notification is claimed (committed) before its email goes out and marked sent
after, so a job run twice, or retried after a worker was killed, sends nothing twice. The email
about one case is also recorded on that case (SentEmail), beside the emails to the client."""
import time

from flask import current_app
from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError, OperationalError

from app.accounts.models import User
from app.accounts.policy import users_with_roles
from app.accounts.roles import AREA_FALLBACK
from app.cases.models import PqrsfCase
from app.cases.records import sent_email
from app.engine.models import Case, HumanTask
from app.notifications.models import DIGEST, Notification, NotificationPreference
from app.notifications.notices import TASK_KINDS
from app.platform import mail
from app.platform.extensions import db
from app.platform.mail_templates import render

LEADS_ROLE = AREA_FALLBACK  # lider_proceso: the role that answers for every case's terms
RECORD_ATTEMPTS, RECORD_PAUSE_SECONDS = 60, 0.5


def _base() -> str:
    return current_app.config['PUBLIC_BASE_URL'].rstrip('/')


def task_item(notification) -> dict:
    """What a message (or the in-app list) says of a task notification."""
    task = db.session.get(HumanTask, notification.task_id) if notification.task_id else None
    radicado = db.session.scalar(select(Case.reference).where(Case.id == notification.case_id))
    return {'kind': notification.kind, 'task': (task.name if task else None) or '',
            'radicado': radicado or '', 'due_at': task.due_at if task else None,
            'link': f'{_base()}/tareas/{notification.task_id}'}


def _immediate_users():
    """Active users with an email who did not choose the digest."""
    return select(User.username).outerjoin(
        NotificationPreference, NotificationPreference.username == User.username).where(
        User.active.is_(True), User.email.is_not(None), User.email != '',
        or_(NotificationPreference.mode.is_(None), NotificationPreference.mode != DIGEST))


def _claim(ids, now) -> bool:
    """Take the notifications for this run (committed); False if another run took any first."""
    taken = db.session.execute(update(Notification).where(
        Notification.id.in_(ids), Notification.claimed_at.is_(None)).values(claimed_at=now)).rowcount
    if taken != len(ids):
        db.session.rollback()
        return False
    db.session.commit()
    return True


def _send(ids, recipient, subject, body, key) -> None:
    """Send the email of claimed notifications; if the server refuses it (or is down), give
    the claim back so a later run tries again, and raise."""
    try:
        mail.send(recipient, subject, body, key=key)
    except Exception:
        db.session.rollback()
        db.session.execute(update(Notification).where(Notification.id.in_(ids)).values(claimed_at=None))
        db.session.commit()
        raise


def _mark_sent(ids, now, sent_row=None) -> None:
    """Mark the notifications sent (and record the email on its case), waiting out a database
    that is unreachable: the email is out, and the claim already keeps it from going twice."""
    for attempt in range(1, RECORD_ATTEMPTS + 1):
        try:
            db.session.execute(update(Notification).where(Notification.id.in_(ids)).values(sent_at=now))
            if sent_row is not None:
                db.session.add(sent_row)
            db.session.commit()
            return
        except IntegrityError:  # the case's row of this key exists: keep the sent marks alone
            db.session.rollback()
            sent_row = None
        except OperationalError:
            db.session.rollback()
            if attempt == RECORD_ATTEMPTS:
                raise
            time.sleep(RECORD_PAUSE_SECONDS)


def deliver_pending(now) -> int:
    """Email, one by one, every unclaimed task notification of a user who wants them at once."""
    ids = list(db.session.scalars(select(Notification.id).where(
        Notification.claimed_at.is_(None), Notification.kind.in_(TASK_KINDS),
        Notification.username.in_(_immediate_users())).order_by(Notification.id)))
    sent = 0
    for notification_id in ids:
        sent += _deliver_one(db.session.get(Notification, notification_id), now)
    return sent


def _deliver_one(notification, now) -> int:
    user = db.session.scalar(select(User).where(User.username == notification.username))
    item = task_item(notification)
    subject, body = render(f'staff_{notification.kind}', {**item, 'name': user.full_name})
    key = notification.key
    if not _claim([notification.id], now):
        return 0
    _send([notification.id], user.email, subject, body, key)
    _mark_sent([notification.id], now, sent_email(
        case_id=notification.case_id, key=key, template=f'staff_{notification.kind}',
        recipient=user.email, subject=subject, body=body) if notification.case_id else None)
    return 1


def _digest_users():
    return db.session.scalars(select(User).join(
        NotificationPreference, NotificationPreference.username == User.username).where(
        NotificationPreference.mode == DIGEST, User.active.is_(True), User.email.is_not(None))).all()


def _open_digest(username, kind, day, now, ids=()) -> Notification | None:
    """The day's digest row, claimed with the notifications it carries in one transaction;
    None if that digest was written already (by an earlier run) or another run took them."""
    digest = Notification(username=username, kind=kind, key=f'{kind}:{username}:{day}',
                          created_at=now, claimed_at=now)
    db.session.add(digest)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        return None
    if ids and db.session.execute(update(Notification).where(
            Notification.id.in_(ids), Notification.claimed_at.is_(None))
            .values(claimed_at=now)).rowcount != len(ids):
        db.session.rollback()
        return None
    db.session.commit()
    return digest


def send_digests(now, day) -> int:
    """One email a day to each digest user with something new: the day's `digest` row."""
    sent = 0
    for user in _digest_users():
        pending = db.session.scalars(select(Notification).where(
            Notification.username == user.username, Notification.claimed_at.is_(None),
            Notification.kind.in_(TASK_KINDS), Notification.created_at <= now)
            .order_by(Notification.id)).all()
        if not pending:
            continue
        items = [task_item(n) for n in pending]
        subject, body = render('staff_digest', {'name': user.full_name, 'items': items})
        ids = [n.id for n in pending]
        digest = _open_digest(user.username, 'digest', day, now, ids)
        if digest is None:
            continue
        _send([digest.id, *ids], user.email, subject, body, digest.key)
        _mark_sent([digest.id, *ids], now)
        sent += 1
    return sent


def overdue_cases(now) -> list[dict]:
    """Running cases past their answer target (not paused for the client), oldest due first."""
    rows = db.session.execute(select(PqrsfCase.radicado, PqrsfCase.answer_due_at).join(
        Case, Case.id == PqrsfCase.case_id).where(
        Case.state == 'running', PqrsfCase.answer_due_at < now, PqrsfCase.paused_since.is_(None))
        .order_by(PqrsfCase.answer_due_at)).all()
    return [{'radicado': r, 'due_at': due, 'link': f'{_base()}/casos/{r}'} for r, due in rows]


def send_lead_digests(now, day) -> int:
    """Each lead (lider_proceso) with an email gets, once a day, the list of overdue cases."""
    cases = overdue_cases(now)
    if not cases:
        return 0
    sent = 0
    for user in users_with_roles([LEADS_ROLE]):
        if not user.email:
            continue
        subject, body = render('staff_lead_digest', {'name': user.full_name, 'cases': cases,
                                                     'count': len(cases), 'link': f'{_base()}/casos/'})
        digest = _open_digest(user.username, 'lead_digest', day, now)
        if digest is None:
            continue
        _send([digest.id], user.email, subject, body, digest.key)
        _mark_sent([digest.id], now)
        sent += 1
    return sent
