"""Staff task list and task forms. Every action is a use case of tasks.service; this module
turns its answer into a page. A refusal it does not catch (to show the form
again) reaches the app's one error handler, as from the API."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts.login import roles_required
from app.accounts.policy import can_claim, can_reassign, can_release, eligible_users, has_role, users_with_roles
from app.accounts.roles import LEADS, ROLES
from app.cases.models import PqrsfCase
from app.cases.summary import case_summary
from app.cases.vocabulary import BRANCHES, CASE_TYPES, CHANNELS
from app.engine.errors import StepFailed
from app.platform.engines import calendar
from app.platform.extensions import db
from app.platform.i18n import describe, localized
from app.platform.refusals import Invalid, Stale
from app.task_forms.rendering import render_form
from app.task_forms.rows import row_edit
from app.tasks import service
from app.tasks.bulk import bulk_change
from app.tasks.thread import case_thread, redo_of
from app.tasks.queries import DEADLINE_STATES, BadFilter, Filters, due_of, task_deadline, task_page
from app.task_forms.error_summary import field_labels

bp = Blueprint('tasks', __name__, template_folder='templates', url_prefix='/tareas')


@bp.get('/')
@roles_required()
def index():
    try:
        filters = Filters.from_args(request.args)
    except BadFilter as bad:
        abort(400, _('El parámetro «%(field)s» no es válido (se admite: %(allowed)s).',
                     field=bad.field, allowed=bad.allowed))
    rows, total, by_state, by_scope = task_page(db.session, current_user, filters, calendar())
    assignable = users_with_roles(set(ROLES)) if has_role(current_user, *LEADS) else []
    return render_template('tasks/list.html', rows=rows, total=total, by_state=by_state, assignable=assignable,
                           by_scope=by_scope, filters=filters, states=DEADLINE_STATES,
                           case_types=CASE_TYPES, branches=BRANCHES, channels=CHANNELS, pages=max(1, -(-total // 25)))


@bp.route('/<task_id>', methods=['GET', 'POST'])
@roles_required()
def show(task_id):
    try:
        task = service.workable(task_id=task_id, user=current_user)
    except Stale:
        flash(_('Esa tarea ya fue completada.'), 'error')
        return redirect(url_for('tasks.index'))
    info = db.session.get(PqrsfCase, task.case_id)
    values, errors, status, data = ({'case_type': info.case_type} if info else {}), {}, 200, None
    step_error = None
    if request.method == 'GET':  # only a page shown afresh is prefilled (a POST brings what was typed)
        data = service.task_data(task)
        values = {**values, **service.prefilled(task, data)}
    elif (edited := row_edit(service.form_of(task), request.form)) is not None:
        values = edited  # a list's add/remove button without JavaScript: the form again, as typed
    else:
        try:
            done = service.complete(task_id=task.id, user=current_user, submitted=request.form)
        except Invalid as invalid:
            values, errors, status = request.form, invalid.errors, 422
        except StepFailed as error:  # what was typed stays on the page, with the reason in words
            values, status = request.form, 422
            step_error = _('No se pudo completar la tarea; nada cambió en el caso y quedó registrado un '
                           'incidente para el responsable del proceso. Lo escrito se conserva. Detalle: %(e)s',
                           e=describe(error))
        else:
            return _after_completion(task, done)
    return _form_page(task, info, values, errors, step_error, data), status


def _form_page(task, info, values, errors, step_error=None, data=None):
    users = eligible_users(task) if can_reassign(current_user, task) else []
    thread = case_thread(task.case_id, current_user)
    form = service.form_shown(task, data)
    return render_template('tasks/form.html', task=task, info=info, summary=case_summary(task.case_id),
                           thread=thread, redo=redo_of(task.element_id, thread),
                           form_html=render_form(form, values, errors),
                           errors=errors, error_labels=field_labels(form), step_error=step_error, users=users,
                           case_types=CASE_TYPES,
                           deadline=task_deadline(task, info, calendar()), due=due_of(task, info),
                           can_claim=can_claim(current_user, task),
                           can_release=can_release(current_user, task))


def _after_completion(task, done):
    """Straight on to the next task of the same case the user can work (the way people work a
    case through), else back to the list."""
    if done.following:
        flash(_('Tarea «%(name)s» completada. Sigue «%(next)s» del mismo caso.',
                name=localized(task.name, task.names),
                next=localized(done.following[0].task.name, done.following[0].task.names)), 'ok')
        return redirect(url_for('tasks.show', task_id=done.following[0].task.id))
    flash(_('Tarea «%(name)s» completada.', name=localized(task.name, task.names)), 'ok')
    return redirect(url_for('tasks.index'))


@bp.post('/<task_id>/reclamar')
@roles_required()
def claim(task_id):
    service.claim(task_id=task_id, user=current_user)
    flash(_('La tarea ahora es suya.'), 'ok')
    return redirect(url_for('tasks.show', task_id=task_id))


@bp.post('/<task_id>/liberar')
@roles_required()
def release(task_id):
    service.release(task_id=task_id, user=current_user)
    flash(_('La tarea volvió a la bandeja del grupo.'), 'ok')
    return redirect(url_for('tasks.index'))


@bp.post('/<task_id>/reasignar')
@roles_required()
def reassign(task_id):
    """Leads only, and only to a user whose roles may work the task (the list offers no other)."""
    _task, target = service.reassign(task_id=task_id, user=current_user, assignee=request.form.get('assignee', ''))
    flash(_('Tarea reasignada a %(name)s.', name=target.full_name), 'ok')
    return redirect(url_for('tasks.index'))


@bp.post('/lote')
@roles_required()
def bulk():
    """Claim, or (leads) assign, the tasks checked on the list: each by the single-task rules."""
    try:
        result = bulk_change(action=request.form.get('action', ''), task_ids=request.form.getlist('task_ids'),
                             user=current_user, assignee=request.form.get('assignee'))
    except Invalid as invalid:
        flash(invalid.message, 'error')
        return redirect(url_for('tasks.index'))
    if result.done:
        flash(_('%(n)s tareas cambiadas.', n=len(result.done)), 'ok')
    for _task_id, name, reason in result.refused:
        flash(_('«%(name)s» no cambió: %(reason)s', name=name, reason=reason), 'error')
    return redirect(url_for('tasks.index'))
