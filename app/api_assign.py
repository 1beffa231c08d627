"""Claim, release and reassign through the API: the web's assignment actions, with the same
permission checks (app.auth) and the same engine calls (app.engine.assignments)."""
from flask.views import MethodView
from flask_babel import gettext as _
from flask_smorest import abort
from marshmallow import Schema, fields, validate
from sqlalchemy import select

from .api_contract import BODY_ERRORS
from .api import TaskOut, _task_dict, _workable_task, authenticated, blp
from .auth import api_user, can_claim, can_reassign, can_release
from .engine import assignments
from .engine.errors import Conflict, NotFound
from .extensions import db
from .models import PqrsfCase, User


class ReassignIn(Schema):
    assignee = fields.String(required=True, validate=validate.Length(1, 80),
                             metadata={'description': 'Usuario (activo) que recibe la tarea'})


def _changed(change):
    try:
        task = change()
    except Conflict as error:
        abort(409, message=error.message)
    except NotFound as error:
        abort(404, message=error.message)
    return _task_dict(task, db.session.get(PqrsfCase, task.case_id))


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
