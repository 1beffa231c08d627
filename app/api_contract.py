"""What the API promises beyond its views: the error body and which errors each operation may
answer, request bodies described from the form files, and a JSON parser whose refusals are
Spanish and name the body. Every error any API operation can answer is declared, so a client
(or schemathesis) can hold the server to the document."""
import json

from flask_babel import gettext as _
from flask_smorest import Api, Blueprint, abort
from marshmallow import INCLUDE, Schema, fields
from webargs.flaskparser import FlaskParser, is_json_request

from .form_openapi import form_schema_doc

ERROR_DESCRIPTIONS = {
    400: 'La solicitud no es válida: JSON mal formado o no UTF-8, o texto con NUL (`message` dice qué campo).',
    401: 'Faltan las credenciales (Basic o Bearer) o no son válidas.',
    403: 'Su rol no puede hacer esto, o la tarea es de otro rol o de otra persona.',
    404: 'No existe (el radicado, la tarea o el usuario).',
    409: 'El estado cambió: la tarea ya se completó, ya la tomó otra persona o el caso no espera esto.',
    413: 'El cuerpo de la solicitud es demasiado grande.',
    415: 'El cuerpo no se envió como `application/json`.',
    422: 'Datos inválidos: `errors` da los mensajes de cada campo (`errors.json.<campo>` o '
         '`errors.query.<parámetro>`).',
    429: 'Demasiadas solicitudes; reintente después de `Retry-After` segundos.',
    503: 'El paso no pudo avanzar por un problema del diagrama del proceso (un script que falla o '
         'supera su límite): no se guardó nada; si el caso ya existía, quedó registrado un '
         'incidente para el dueño del proceso y la tarea sigue abierta.',
}
BODY_ERRORS = (400, 413, 415, 422)
ALWAYS = (401, 429)


class ErrorOut(Schema):
    """The body of every error answer."""
    code = fields.Integer(required=True, metadata={'description': 'El código HTTP'})
    status = fields.String(required=True, metadata={'description': 'Su nombre'})
    message = fields.String(required=True, metadata={'description': 'Qué pasó, en el idioma pedido'})
    errors = fields.Dict(metadata={'description': 'Mensajes por campo: {"json": {"campo": ["…"]}} o '
                                                  '{"query": {"parámetro": ["…"]}}'})


class ObjectBody(Schema):
    """A JSON object; which fields it needs is checked by the view (against the current form)."""

    class Meta:
        unknown = INCLUDE

    error_messages = {'type': 'El cuerpo debe ser un objeto JSON.'}


class _Parser(FlaskParser):
    def _raw_load_json(self, req):
        """A body sent as anything but JSON is refused (415) instead of read as no fields."""
        sent = req.content_length or req.get_data(cache=True)  # a form post was read already
        if sent and not is_json_request(req):
            abort(415, message=_('El cuerpo debe enviarse como application/json.'))
        return super()._raw_load_json(req)

    def _handle_invalid_json_error(self, error, req, *args, **kwargs):
        abort(400, message=_('El cuerpo no es JSON válido en UTF-8.'),
              errors={'json': [_('El cuerpo no es JSON válido en UTF-8.')]})


class ApiBlueprint(Blueprint):
    ARGUMENTS_PARSER = _Parser()

    def errors(self, *codes):
        """Declare the error answers of an operation (plus 401 and 429, which any may give)."""
        def decorate(func):
            for code in sorted(set(codes) | set(ALWAYS)):
                func = self.alt_response(code, schema=ErrorOut, description=ERROR_DESCRIPTIONS[code])(func)
            return func
        return decorate

    def form_body(self, component, description):
        """The request body is the form `component` (a schema generated from its file)."""
        return self.doc(requestBody={'description': description, 'required': True, 'content': {
            'application/json': {'schema': {'$ref': f'#/components/schemas/{component}'}}}})


class PqrsfApi(Api):
    ERROR_SCHEMA = ErrorOut
    DEFAULT_ERROR_RESPONSE_NAME = None  # every error is declared per operation, none by default


FORM_COMPONENTS = {'Registro': ('ser_ft_01_registro', ()), 'RespuestaCliente': ('respuesta_cliente', ())}


def register_form_schemas(api, app):
    """Add the request bodies built from the form files to the document (from FORMS_DIRS, else
    the shipped forms/ folder; a form found in neither is documented as a free object)."""
    from .config import ROOT
    from .form_store import form_path
    with app.app_context():
        for component, (key, drop) in FORM_COMPONENTS.items():
            path = form_path(key) or ROOT / 'forms' / f'{key}.json'
            try:
                with open(path, encoding='utf-8') as handle:
                    schema = form_schema_doc(json.load(handle), f'forms/{key}.json', drop)
            except (OSError, ValueError, KeyError, TypeError):
                schema = {'type': 'object', 'description': f'Campos del formulario {key} (no se encontró su archivo).'}
            api.spec.components.schema(component, component=schema)
