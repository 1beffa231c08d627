"""Tasks through the API: the list, one task with its form, completing it, and claim, release
and reassign. Each operation calls the use case the staff pages call (tasks.service); its
refusals reach the app's one error handler, which answers them as JSON with their status."""
from flask.views import MethodView
from marshmallow import Schema, fields, validate

from app.accounts.login import api_user, authenticated
from app.cases.models import PqrsfCase
from app.platform.api import BODY_ERRORS, ObjectBody, blp
from app.platform.engines import calendar
from app.platform.extensions import db
from app.task_forms.options import with_options
from app.task_forms.user_fields import offer_users
from app.tasks import service
from app.tasks.bulk import ACTIONS, MAX_TASKS, bulk_change
from app.tasks.queries import Filters, task_page
from app.tasks.thread import case_thread
from app.tasks.schemas import Completed, TaskDetail, TaskList, TaskOut, TaskQuery, completed, task_dict


def _task_out(task):
    return task_dict(task, db.session.get(PqrsfCase, task.case_id))


@blp.route('/tasks')
class Tasks(MethodView):
    decorators = [authenticated]

    @blp.arguments(TaskQuery, location='query')
    @blp.response(200, TaskList)
    @blp.errors(400, 422)
    def get(self, query):
        """Mis tareas y las de mis grupos, por fecha de vencimiento."""
        filters = Filters.from_args(query)
        rows, total, _, _ = task_page(db.session, api_user(), filters, calendar(), counts=False)
        return {'total': int(total), 'total_capped': total.more, 'page': filters.page,
                'tasks': [task_dict(r.task, r.case, r.business_days_left, r.deadline_state) for r in rows]}


@blp.route('/tasks/<task_id>')
class TaskItem(MethodView):
    decorators = [authenticated]

    @blp.response(200, TaskDetail)
    @blp.errors(400, 403, 404, 409)
    def get(self, task_id):
        """Una tarea con la definición de su formulario."""
        user = api_user()
        task = service.workable(task_id=task_id, user=user)
        thread = [{'at': e.at, 'actor': e.actor, 'title': e.title, 'from_client': e.from_client,
                   'lines': [{'label': label, 'text': text} for label, text in e.lines]}
                  for e in case_thread(task.case_id, user)]
        return {**_task_out(task), 'form': with_options(offer_users(service.form_of(task))),
                'values': service.prefilled(task), 'thread': thread}


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
        done = service.complete(task_id=task_id, user=api_user(), submitted=body)
        return completed(done.case, api_user(), done.following)


class ReassignIn(Schema):
    assignee = fields.String(required=True, validate=validate.Length(1, 80),
                             metadata={'description': 'Usuario (activo) que recibe la tarea'})


@blp.route('/tasks/<task_id>/claim')
class TaskClaim(MethodView):
    decorators = [authenticated]

    @blp.response(200, TaskOut)
    @blp.errors(400, 403, 404, 409)
    def post(self, task_id):
        """Tomar una tarea del grupo."""
        return _task_out(service.claim(task_id=task_id, user=api_user()))


@blp.route('/tasks/<task_id>/release')
class TaskRelease(MethodView):
    decorators = [authenticated]

    @blp.response(200, TaskOut)
    @blp.errors(400, 403, 404, 409)
    def post(self, task_id):
        """Devolver una tarea asignada a la bandeja de su grupo (quien la tiene, o un líder)."""
        return _task_out(service.release(task_id=task_id, user=api_user()))


@blp.route('/tasks/<task_id>/reassign')
class TaskReassign(MethodView):
    decorators = [authenticated]

    @blp.arguments(ReassignIn)
    @blp.response(200, TaskOut)
    @blp.errors(*BODY_ERRORS, 403, 404, 409)
    def post(self, body, task_id):
        """Asignar la tarea a otro usuario que pueda trabajarla (líderes)."""
        task, _target = service.reassign(task_id=task_id, user=api_user(), assignee=body['assignee'])
        return _task_out(task)


class BulkIn(Schema):
    action = fields.String(required=True, validate=validate.OneOf(ACTIONS),
                           metadata={'description': '`claim` (tomar) o `assign` (asignar; líderes)'})
    task_ids = fields.List(fields.String(validate=validate.Length(1, 36)), required=True,
                           validate=validate.Length(1, MAX_TASKS))
    assignee = fields.String(validate=validate.Length(1, 80), metadata={'description': 'Para `assign`'})


class BulkRefused(Schema):
    task_id = fields.String()
    name = fields.String()
    reason = fields.String()


class BulkOut(Schema):
    done = fields.List(fields.String())
    refused = fields.List(fields.Nested(BulkRefused))


@blp.route('/tasks/bulk')
class TaskBulk(MethodView):
    decorators = [authenticated]

    @blp.arguments(BulkIn)
    @blp.response(200, BulkOut)
    @blp.errors(*BODY_ERRORS)
    def post(self, body):
        """Tomar o asignar varias tareas: cada una con las reglas de una sola; dice cuáles no y por qué."""
        result = bulk_change(action=body['action'], task_ids=body['task_ids'], user=api_user(),
                             assignee=body.get('assignee'))
        return {'done': result.done, 'refused': [{'task_id': t, 'name': n, 'reason': r} for t, n, r in result.refused]}
