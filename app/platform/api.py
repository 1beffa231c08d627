"""What the API promises beyond its views: the error body and which errors each operation may
answer, request bodies described from the form files, and a JSON parser whose refusals are
Spanish and name the body. Every error any API operation can answer is declared, so a client
(or schemathesis) can hold the server to the document."""

from flask_babel import gettext as _
from flask_smorest import Api, Blueprint, abort
from marshmallow import INCLUDE, Schema, fields
from webargs.flaskparser import FlaskParser, is_json_request


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


blp = ApiBlueprint('api', __name__, url_prefix='/api', description='Casos y tareas PQRSF')
"""The one /api blueprint: each area's `api` module adds its operations to it, and `init_api`
registers it once they all have (the app factory imports them first)."""


def init_api(app, documents=()):
    """The /api documentation and blueprint; `documents(api, app)` add schemas of their own."""
    app.config.setdefault('API_TITLE', 'PQRSF')
    app.config.setdefault('API_VERSION', '1')
    app.config.setdefault('OPENAPI_VERSION', '3.0.3')
    app.config.setdefault('OPENAPI_URL_PREFIX', '/api')
    app.config.setdefault('OPENAPI_JSON_PATH', 'openapi.json')
    api = PqrsfApi(app, spec_kwargs={'components': {'securitySchemes': {
        'basic': {'type': 'http', 'scheme': 'basic'}, 'bearer': {'type': 'http', 'scheme': 'bearer'}}},
        'security': [{'basic': []}, {'bearer': []}]})
    for document in documents:
        document(api, app)
    api.register_blueprint(blp)
    return api
