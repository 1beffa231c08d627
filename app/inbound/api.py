"""The received emails through the API: the list, one email, and registering or discarding a
draft; the same use cases (app/inbound/drafts.py) and the same roles as the /correo pages.
Registering takes the fields of SER-FT-01 as /api/cases does; the email's accepted
attachments become the case's."""
from flask.views import MethodView
from marshmallow import Schema, fields, validate

from app.accounts.login import api_user, authenticated
from app.inbound import drafts
from app.platform.api import BODY_ERRORS, ObjectBody, blp


class InboundQuery(Schema):
    view = fields.String(load_default=drafts.DEFAULT_VIEW, validate=validate.OneOf(drafts.VIEWS),
                         metadata={'description': ', '.join(drafts.VIEWS)})


class InboundOut(Schema):
    id = fields.Integer()
    received_at = fields.DateTime()
    state = fields.String(metadata={'description': 'draft | registering | registered | discarded | '
                                                   'ignored | case_reply | received | processing'})
    sender = fields.String(allow_none=True)
    sender_name = fields.String(allow_none=True)
    subject = fields.String()
    ignored_reason = fields.String(allow_none=True)
    radicado = fields.String(allow_none=True, metadata={'description': 'el caso al que llegó o que se registró'})
    delivered_as = fields.String(allow_none=True)
    not_delivered = fields.String(allow_none=True)
    decided_by = fields.String(allow_none=True)
    decided_at = fields.DateTime(allow_none=True)


class RefusedFile(Schema):
    name = fields.String()
    reason = fields.String()


class InboundDetail(InboundOut):
    text = fields.String()
    attachments = fields.List(fields.Dict())
    accepted = fields.List(fields.String(), metadata={'description': 'adjuntos que pasarán al caso'})
    refused = fields.List(fields.Nested(RefusedFile))
    values = fields.Dict(allow_none=True, metadata={'description': 'los campos de SER-FT-01 tomados del correo'})


class Registered(Schema):
    case_id = fields.Integer()
    radicado = fields.String()
    code = fields.String()


@blp.route('/inbound-emails')
class InboundEmails(MethodView):
    decorators = [authenticated]

    @blp.arguments(InboundQuery, location='query')
    @blp.response(200, InboundOut(many=True))
    @blp.errors(400, 403, 422)
    def get(self, query):
        """Los correos recibidos de una vista (borradores por defecto), los más nuevos primero."""
        return drafts.inbox(api_user(), query['view'])


@blp.route('/inbound-emails/<int:email_id>')
class InboundEmail(MethodView):
    decorators = [authenticated]

    @blp.response(200, InboundDetail)
    @blp.errors(403, 404)
    def get(self, email_id):
        """Un correo recibido: remitente, asunto, texto, adjuntos y, si es borrador, los campos tomados de él."""
        return drafts.message(api_user(), email_id)


@blp.route('/inbound-emails/<int:email_id>/register')
class InboundRegister(MethodView):
    decorators = [authenticated]

    @blp.arguments(ObjectBody)
    @blp.form_body('RegistroDesdeCorreo', 'Los campos del formulario SER-FT-01, como en POST /cases.')
    @blp.response(201, Registered)
    @blp.errors(*BODY_ERRORS, 403, 404, 409, 503)
    def post(self, body, email_id):
        """Registrar un borrador como caso; los campos que falten se toman del correo (canal, correo y
        nombre del remitente, texto, fecha), y sus adjuntos aceptados pasan al caso."""
        case, code = drafts.register_draft(api_user(), email_id, body, fill=True)
        return {'case_id': case.id, 'radicado': case.reference, 'code': code}


@blp.route('/inbound-emails/<int:email_id>/discard')
class InboundDiscard(MethodView):
    decorators = [authenticated]

    @blp.response(200, InboundOut)
    @blp.errors(403, 404, 409)
    def post(self, email_id):
        """Descartar un borrador (no es una PQRSF); queda quién y cuándo."""
        drafts.discard_draft(api_user(), email_id)
        return drafts.message(api_user(), email_id)
