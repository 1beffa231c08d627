"""Error answers for every 4xx and 5xx and every refusal a view lets through: JSON under /api/
(and for `.json` addresses), the error page elsewhere; plus the guard that refuses text a
database cannot store (NUL, lone surrogates) before any view reads it, naming the field."""
import json
import logging

from flask import render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from flask_smorest import abort
from werkzeug.exceptions import BadRequest, HTTPException, NotFound, ServiceUnavailable, default_exceptions

from app.engine import errors as engine_errors
from app.engine.errors import StepFailed
from app.engine.models import MAX_ID, MAX_INT
from app.platform.i18n import N_, describe
from app.platform.refusals import Invalid, Refused

log = logging.getLogger(__name__)
MESSAGES = {400: N_('La solicitud no es válida.'), 401: N_('Se requieren credenciales.'),
            403: N_('No tiene permiso para esto.'), 404: N_('No existe.'),
            405: N_('Este método no se admite en esta dirección.'),
            409: N_('Esta acción ya no se puede hacer.'), 413: N_('La solicitud es demasiado grande.'),
            415: N_('Tipo de contenido no admitido.'), 422: N_('Datos inválidos.'),
            429: N_('Demasiadas solicitudes; espere un momento.')}


def wants_json() -> bool:
    return request.path.startswith('/api/') or request.path.endswith('.json')


def error_page(error: HTTPException):
    """Any HTTP error as JSON {code, status, message, errors} or as the error page."""
    code = getattr(error, 'code', None) or 500
    if not wants_json():
        if code >= 500 and code != 503:
            return error
        return render_template('errors/error.html', error=error, message=_default_message(error, code)), code
    data = getattr(error, 'data', None) or {}
    body = {'code': code, 'status': getattr(error, 'name', 'Error'),
            'message': str(data.get('message') or _default_message(error, code))}
    errors = data.get('errors') or data.get('messages')  # ours / webargs' field messages
    if errors:
        body['errors'] = errors
    headers = {k: v for k, v in error.get_headers() if k.lower() != 'content-type'}
    headers.update(data.get('headers') or {})
    return body, code, headers


def _default_message(error, code):
    own = getattr(error, 'description', None)
    if own and own != type(error).description:  # abort(code, 'texto') gave its own words
        return own
    if code in MESSAGES:
        return _(MESSAGES[code])
    return _('La solicitud no se pudo atender.') if code < 500 else _('Error del servidor.')


def _bad_text(value, where):
    """The first field in `value` (str, list or dict, nested) holding text a database refuses:
    NUL, or a lone surrogate (no UTF-8 for it). Walked with a stack: JSON nests deeper than
    Python recurses."""
    stack = [(value, where)]
    while stack:
        value, where = stack.pop()
        if isinstance(value, str):
            if '\x00' in value or not _encodes(value):
                return where
        elif isinstance(value, (dict, list)):
            items = value.items() if isinstance(value, dict) else enumerate(value)
            for key, item in reversed(list(items)):
                path = f'{where}.{key}' if where else str(key)
                stack.append((item, path))
                if isinstance(key, str):
                    stack.append((key, path))
    return None


def _encodes(text):
    try:
        text.encode('utf-8')
    except UnicodeEncodeError:
        return False
    return True


def _json_body():
    """The request's JSON body (None when there is none); 400 when it is not JSON in UTF-8,
    including what json.loads itself cannot take (nesting past recursion, 5,000-digit numbers)."""
    raw = request.get_data(cache=True) if request.is_json else b''
    if not raw:
        return None
    try:
        return json.loads(raw.decode('utf-8'))
    except (ValueError, RecursionError):
        message = _('El cuerpo no es JSON válido en UTF-8.')
        abort(400, message=message, errors={'json': [message]})


def refuse_unstorable_text():
    """before_request: 400 naming the field for a body that is not JSON in UTF-8, or NUL or lone
    surrogates in the path, query, form, JSON body or Basic user name."""
    basic = request.authorization.username if request.authorization and request.authorization.type == 'basic' else ''
    where = (_bad_text(request.path, 'path')
             or _bad_text({k: request.args.getlist(k) for k in request.args}, 'query')
             or (request.mimetype in ('application/x-www-form-urlencoded', 'multipart/form-data')
                 and _bad_text({k: request.form.getlist(k) for k in request.form}, 'form'))
             or _bad_text(_json_body(), 'json')
             or _bad_text(basic or '', 'Authorization'))
    if where:
        raise BadRequest(_('El campo %(field)s contiene caracteres no permitidos (NUL o '
                           'caracteres sin codificar).', field=where))


INTEGER_ARGUMENTS = {'number', 'version_id'}  # address numbers kept in Integer columns, not BigId


def refuse_ids_out_of_range():
    """before_request: 404 for an <int:…> in the address that no row can have (the database
    would refuse the number itself)."""
    for name, value in (request.view_args or {}).items():
        top = MAX_INT if name in INTEGER_ARGUMENTS else MAX_ID
        if isinstance(value, int) and not 0 <= value <= top:
            raise NotFound(_('No existe.'))


def step_failed(error: StepFailed):
    """A step the diagram could not take (a script that fails or passes its limit), from any
    door: nothing was saved. Staff read what failed; a client reads only that nothing was kept."""
    log.warning('step failed: %s', error.message)
    if current_user.is_authenticated or request.path.startswith('/api/'):
        detail = _('El proceso no pudo dar este paso y no se guardó nada. Detalle: %(detail)s',
                   detail=describe(error))
    else:
        detail = _('No pudimos registrar esto por un fallo de nuestro sistema; no se guardó nada. '
                   'Inténtelo de nuevo más tarde.')
    return error_page(ServiceUnavailable(detail))


def refused(error: Refused):
    """A use case's refusal its caller let through: its status and words on the error page or
    in JSON, where invalid data also names each field's messages (of the body: `errors.json`)."""
    answer = default_exceptions[error.status](error.message or None)
    if isinstance(error, Invalid):
        answer.data = {'message': error.message, 'errors': {'json': error.errors}}
    return error_page(answer)


def engine_refused(error: engine_errors.EngineError):
    """The engine's own no (a task no longer waiting, a case or task that does not exist), let
    through like a refusal: 409 or 404 with its sentence in the person's language."""
    status = 409 if isinstance(error, engine_errors.Conflict) else 404
    return error_page(default_exceptions[status](describe(error)))


def register_errors(app):
    app.register_error_handler(StepFailed, step_failed)
    app.register_error_handler(Refused, refused)
    app.register_error_handler(engine_errors.Conflict, engine_refused)
    app.register_error_handler(engine_errors.NotFound, engine_refused)
    app.before_request(refuse_unstorable_text)
    app.before_request(refuse_ids_out_of_range)
    app.register_error_handler(HTTPException, error_page)
