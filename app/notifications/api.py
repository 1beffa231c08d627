"""The staff's notifications through the API: the list (which marks them read, as the page
does) and the choice of immediate emails or a daily digest; the same use cases as the pages."""
from flask.views import MethodView
from marshmallow import Schema, fields, validate

from app.accounts.login import api_user, authenticated
from app.notifications import service
from app.notifications.models import MODES
from app.platform.api import BODY_ERRORS, blp


class NotificationOut(Schema):
    kind = fields.String(metadata={'description': 'task_new | assigned | due_soon | overdue | lead_digest'})
    task_id = fields.String(allow_none=True)
    task = fields.String(allow_none=True)
    task_open = fields.Boolean()
    radicado = fields.String(allow_none=True)
    due_at = fields.DateTime(allow_none=True)
    created_at = fields.DateTime()
    unread = fields.Boolean(metadata={'description': 'sin leer antes de esta consulta'})


class NotificationList(Schema):
    unread = fields.Integer(metadata={'description': 'cuántos estaban sin leer'})
    notifications = fields.List(fields.Nested(NotificationOut))


class ModeIn(Schema):
    mode = fields.String(required=True, validate=validate.OneOf(MODES),
                         metadata={'description': 'immediate (un correo por aviso) o digest (resumen diario)'})


@blp.route('/notifications')
class Notifications(MethodView):
    decorators = [authenticated]

    @blp.response(200, NotificationList)
    @blp.errors()
    def get(self):
        """Mis avisos, los más nuevos primero; quedan leídos."""
        items = service.open_list(api_user())
        return {'unread': sum(1 for i in items if i['unread']), 'notifications': items}


@blp.route('/notifications/mode')
class NotificationMode(MethodView):
    decorators = [authenticated]

    @blp.arguments(ModeIn)
    @blp.response(200, ModeIn)
    @blp.errors(*BODY_ERRORS)
    def put(self, body):
        """Elegir cómo recibir los avisos por correo: al momento o en un resumen diario."""
        return {'mode': service.choose_mode(api_user(), body['mode'])}
