"""Staff task list and task forms. Every action checks the user's role against the task."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app.accounts.policy import can_claim, can_reassign, can_release, can_work, eligible_users
from app.accounts.login import roles_required
from app.engine import assignments
from app.engine.errors import Conflict, NotFound, StepFailed
from app.engine.models import HumanTask
from app.platform.extensions import db
from app.platform.i18n import describe
from app.task_forms.store import load_form
from app.task_forms.schema import render_form
from app.cases.models import PqrsfCase
from app.accounts.models import User
from app.tasks.queries import (DEADLINE_STATES,
    BadFilter,
    Filters,
    complete_and_offer,
    deadline_of,
    task_page)
from app.task_forms.user_fields import offer_users, parse_task_form
from app.platform.engines import get_engine
from app.cases.summary import CASE_TYPES, case_summary

bp = Blueprint('tasks', __name__, template_folder='templates', url_prefix='/tareas')


@bp.get('/')
@roles_required()
def index():
    try:
        filters = Filters.from_args(request.args)
    except BadFilter as bad:
        abort(400, _('El parámetro «%(field)s» no es válido (se admite: %(allowed)s).',
                     field=bad.field, allowed=bad.allowed))
    rows, total, by_state, by_scope = task_page(db.session, current_user, filters)
    return render_template('tasks/list.html', rows=rows, total=total, by_state=by_state,
                           by_scope=by_scope, filters=filters, states=DEADLINE_STATES,
                           pages=max(1, -(-total // 25)))


def _task_or_404(task_id) -> HumanTask:
    task = db.session.get(HumanTask, task_id)
    if task is None:
        abort(404)
    return task


def _initial_values(task, info):
    return {'case_type': info.case_type} if info is not None else {}


@bp.route('/<task_id>', methods=['GET', 'POST'])
@roles_required()
def show(task_id):
    task = _task_or_404(task_id)
    info = db.session.get(PqrsfCase, task.case_id)
    if not can_work(current_user, task):
        if task.state != 'open':
            flash(_('Esa tarea ya fue completada.'), 'error')
            return redirect(url_for('tasks.index'))
        abort(403, _('Esta tarea es de otro rol o de otra persona.'))
    definition = load_form(task.form_key) if task.form_key else {'components': []}
    values, errors, status = _initial_values(task, info), {}, 200
    if request.method == 'POST':
        values = request.form
        data, errors = parse_task_form(definition, request.form)
        if not errors:
            try:
                case, following = complete_and_offer(get_engine(), task.id, data, current_user)
            except Conflict as error:
                abort(409, describe(error))
            except StepFailed as error:
                flash(_('No se pudo avanzar el caso; quedó registrado un incidente: %(e)s', e=describe(error)), 'error')
                return redirect(url_for('tasks.index'))
            return _after_completion(task, case, following)
        status = 422
    users = eligible_users(task) if can_reassign(current_user, task) else []
    return render_template('tasks/form.html', task=task, info=info, summary=case_summary(task.case_id),
                           form_html=render_form(offer_users(definition), values, errors), errors=errors,
                           deadline=deadline_of(info), users=users, case_types=CASE_TYPES,
                           can_claim=can_claim(current_user, task),
                           can_release=can_release(current_user, task)), status


def _after_completion(task, case, following):
    """Straight on to the next task of the same case the user can work (the way people work a
    case through), else back to the list."""
    if following and case.state == 'running':
        flash(_('Tarea «%(name)s» completada. Sigue «%(next)s» del mismo caso.',
                name=task.name, next=following[0].task.name), 'ok')
        return redirect(url_for('tasks.show', task_id=following[0].task.id))
    flash(_('Tarea «%(name)s» completada.', name=task.name), 'ok')
    return redirect(url_for('tasks.index'))


def _assignment(task_id, allowed, action, refusal=None):
    task = _task_or_404(task_id)
    if not allowed(current_user, task):
        abort(403, refusal or _('No puede cambiar la asignación de esta tarea.'))
    try:
        action(task)
    except Conflict as error:
        abort(409, describe(error))
    except NotFound:
        abort(404)


@bp.post('/<task_id>/reclamar')
@roles_required()
def claim(task_id):
    _assignment(task_id, can_claim, lambda t: assignments.claim(db.session, t.id, current_user.username))
    flash(_('La tarea ahora es suya.'), 'ok')
    return redirect(url_for('tasks.show', task_id=task_id))


@bp.post('/<task_id>/liberar')
@roles_required()
def release(task_id):
    _assignment(task_id, can_release,
                lambda t: assignments.release(db.session, t.id, current_user.username, t.assignee))
    flash(_('La tarea volvió a la bandeja del grupo.'), 'ok')
    return redirect(url_for('tasks.index'))


@bp.post('/<task_id>/reasignar')
@roles_required()
def reassign(task_id):
    """Leads only, and only to a user whose roles may work the task (the list offers no other)."""
    if not can_reassign(current_user, _task_or_404(task_id)):
        abort(403, _('No puede cambiar la asignación de esta tarea.'))
    target = db.session.scalar(select(User).where(User.username == request.form.get('assignee', ''),
                                                  User.active.is_(True)))
    if target is None:
        abort(422, _('Elija un usuario activo.'))
    _assignment(task_id, lambda user, task: can_reassign(user, task, target),
                lambda t: assignments.reassign(db.session, t.id, target.username, current_user.username),
                _('%(name)s no puede trabajar esta tarea: su rol no está en los grupos de la tarea.',
                  name=target.full_name))
    flash(_('Tarea reasignada a %(name)s.', name=target.full_name), 'ok')
    return redirect(url_for('tasks.index'))
