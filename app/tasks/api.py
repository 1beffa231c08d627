"""Tasks through the API: the list, one task with its form, completing it, and claim, release
and reassign, with the same permission checks as the web (accounts.policy)."""
from flask.views import MethodView
from flask_babel import gettext as _
from flask_smorest import abort
from marshmallow import Schema, fields, validate
from sqlalchemy import select

from app.accounts.login import api_user, authenticated
from app.accounts.models import User
from app.accounts.policy import can_claim, can_reassign, can_release, can_work
from app.cases.models import PqrsfCase
from app.engine import assignments
from app.engine.errors import Conflict, NotFound, StepFailed
from app.engine.models import HumanTask
from app.platform.api import BODY_ERRORS, ObjectBody, blp
from app.platform.engines import get_engine
from app.platform.extensions import db
from app.platform.i18n import describe
from app.task_forms.store import load_form
from app.task_forms.user_fields import offer_users, parse_task_form
from app.tasks.queries import Filters, complete_and_offer, task_page
from app.tasks.schemas import Completed, TaskDetail, TaskList, TaskOut, TaskQuery, completed, task_dict


@blp.route('/tasks')
class Tasks(MethodView):
    decorators = [authenticated]

    @blp.arguments(TaskQuery, location='query')
    @blp.response(200, TaskList)
    @blp.errors(400, 422)
    def get(self, query):
        """Mis tareas y las de mis grupos, por fecha de vencimiento."""
        filters = Filters.from_args(query)
        rows, total, _, _ = task_page(db.session, api_user(), filters, counts=False)
        return {'total': int(total), 'total_capped': total.more, 'page': filters.page,
                'tasks': [task_dict(r.task, r.case, r.business_days_left, r.deadline_state) for r in rows]}


def _workable_task(task_id, check=can_work):
    task = db.session.get(HumanTask, task_id)
    if task is None:
        abort(404, message=_('La tarea %(task_id)s no existe.', task_id=task_id))
    if task.state != 'open':
        abort(409, message=_('La tarea ya fue completada o ya no está activa.'))
    if not check(api_user(), task):
        abort(403, message=_('Esta tarea es de otro rol o de otra persona.'))
    return task


@blp.route('/tasks/<task_id>')
class TaskItem(MethodView):
    decorators = [authenticated]

    @blp.response(200, TaskDetail)
    @blp.errors(400, 403, 404, 409)
    def get(self, task_id):
        """Una tarea con la definición de su formulario."""
        task = _workable_task(task_id)
        info = db.session.get(PqrsfCase, task.case_id)
        return {**task_dict(task, info), 'form': offer_users(load_form(task.form_key)) if task.form_key else {}}


@blp.route('/tasks/<task_id>/complete')
class TaskComplete(MethodView):
    decorators = [authenticated]

    @blp.arguments(ObjectBody, description=(
        'Los campos dependen de la tarea: son los del formulario que da `GET /api/tasks/{task_id}` en '
        '`form` (esquema form-js: cada componente de `form.components` con `key` es un campo; '
        '`validate` dice si es obligatorio, su largo y su patrón; `values`, las opciones; una '
        '`dynamiclist` es una lista de objetos con sus `components`).'))
    @blp.response(200, Completed)
    @blp.errors(*BODY_ERRORS, 403, 404, 409, 503)
    def post(self, body, task_id):
        """Completar una tarea con los datos de su formulario."""
        task = _workable_task(task_id)
        definition = load_form(task.form_key) if task.form_key else {'components': []}
        data, errors = parse_task_form(definition, body)
        if errors:
            abort(422, message=_('Datos inválidos.'), errors={'json': errors})
        try:
            case, offered = complete_and_offer(get_engine(), task.id, data, api_user())
        except Conflict as error:
            abort(409, message=describe(error))
        except NotFound as error:
            abort(404, message=describe(error))
        except StepFailed as error:  # the diagram's fault, not the caller's: see api_contract
            abort(503, message=describe(error))
        return completed(case, api_user(), offered)


class ReassignIn(Schema):
    assignee = fields.String(required=True, validate=validate.Length(1, 80),
                             metadata={'description': 'Usuario (activo) que recibe la tarea'})


def _changed(change):
    try:
        task = change()
    except Conflict as error:
        abort(409, message=describe(error))
    except NotFound as error:
        abort(404, message=describe(error))
    return task_dict(task, db.session.get(PqrsfCase, task.case_id))


@blp.route('/tasks/<task_id>/claim')
class TaskClaim(MethodView):
    decorators = [authenticated]

    @blp.response(200, TaskOut)
    @blp.errors(400, 403, 404, 409)
    def post(self, task_id):
        """Tomar una tarea del grupo."""
        task = _workable_task(task_id, can_claim)
        return _changed(lambda: assignments.claim(db.session, task.id, api_user().username))


@blp.route('/tasks/<task_id>/release')
class TaskRelease(MethodView):
    decorators = [authenticated]

    @blp.response(200, TaskOut)
    @blp.errors(400, 403, 404, 409)
    def post(self, task_id):
        """Devolver una tarea asignada a la bandeja de su grupo (quien la tiene, o un líder)."""
        task = _workable_task(task_id, can_release)
        return _changed(lambda: assignments.release(db.session, task.id, api_user().username, task.assignee))


@blp.route('/tasks/<task_id>/reassign')
class TaskReassign(MethodView):
    decorators = [authenticated]

    @blp.arguments(ReassignIn)
    @blp.response(200, TaskOut)
    @blp.errors(*BODY_ERRORS, 403, 404, 409)
    def post(self, body, task_id):
        """Asignar la tarea a otro usuario que pueda trabajarla (líderes)."""
        task = _workable_task(task_id, can_reassign)
        target = db.session.scalar(select(User).where(User.username == body['assignee'], User.active.is_(True)))
        if target is None:
            abort(422, message=_('Datos inválidos.'),
                  errors={'json': {'assignee': [_('Elija un usuario activo.')]}})
        if not can_reassign(api_user(), task, target):  # as on the web: only to whom may work it
            abort(403, message=_('%(name)s no puede trabajar esta tarea: su rol no está en los grupos de la tarea.',
                                 name=target.full_name))
        return _changed(lambda: assignments.reassign(db.session, task.id, target.username, api_user().username))
