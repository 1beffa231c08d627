"""REST API under /api, documented at /api/openapi.json (flask-smorest + marshmallow).

Clients authenticate with HTTP Basic or a bearer token on every request; the browser session
is not accepted here, so the API needs no CSRF token. Errors are JSON: 401 without credentials,
403 for a task of another role, 404, 409 for a stale or repeated completion, 422 with the
messages of each invalid field.
"""
from functools import wraps

from flask.views import MethodView
from flask_babel import gettext as _
from flask_smorest import abort
from marshmallow import Schema, fields, validate
from sqlalchemy import select

from .api_contract import BODY_ERRORS, ApiBlueprint, ObjectBody, PqrsfApi, register_form_schemas
from .auth import api_user, can_work, has_role
from .engine.errors import Conflict, NotFound, StepFailed
from .engine.models import MAX_ID, Case, Event, HumanTask
from .engine.path import case_path
from .extensions import csrf, db
from .form_store import load_form
from .forms import parse_submission
from .intake import register_from
from .models import PqrsfCase
from .pqrsf import answer_decision
from .privacy import intake_of, redactor
from .roles import INTAKE
from .tasklist import (CASE_TYPE_CODES, DEADLINE_STATES, MAX_PAGE, SCOPES, Filters, complete_and_offer,
                       task_page, workable_in_case)
from .user_fields import offer_users, parse_task_form
from .wiring import get_engine

blp = ApiBlueprint('api', __name__, url_prefix='/api', description='Casos y tareas PQRSF')


class CaseCreated(Schema):
    case_id = fields.Integer()
    radicado = fields.String()
    code = fields.String(metadata={'description': 'Código de consulta del cliente (se muestra una sola vez)'})


class TaskOut(Schema):
    id = fields.String()
    case_id = fields.Integer()
    radicado = fields.String(allow_none=True)
    element_id = fields.String()
    name = fields.String(allow_none=True)
    lane = fields.String(allow_none=True)
    candidate_groups = fields.List(fields.String())
    assignee = fields.String(allow_none=True)
    form_key = fields.String(allow_none=True)
    state = fields.String()
    created_at = fields.DateTime()
    answer_due_at = fields.DateTime(allow_none=True)
    business_days_left = fields.Integer(allow_none=True)
    deadline_state = fields.String(allow_none=True)


class TaskDetail(TaskOut):
    form = fields.Dict(metadata={'description': 'Definición del formulario (esquema form-js)'})


class TaskList(Schema):
    total = fields.Integer(metadata={'description': 'Tareas que cumplen el filtro; se deja de contar en 500 '
                                                    '(o al final de la página pedida)'})
    total_capped = fields.Boolean(metadata={'description': 'Hay más tareas que `total`'})
    page = fields.Integer()
    tasks = fields.List(fields.Nested(TaskOut))


def _choice(choices):
    return validate.OneOf(choices, error='Elija uno de: {choices}.')


INTEGER = {'invalid': 'Escriba un número entero.'}


class TaskQuery(Schema):
    scope = fields.String(load_default='all', validate=_choice(SCOPES))
    case_type = fields.String(validate=_choice(CASE_TYPE_CODES))
    branch = fields.String()
    channel = fields.String()
    deadline = fields.String(validate=_choice(list(DEADLINE_STATES)))
    page = fields.Integer(load_default=1, error_messages=INTEGER,
                          validate=validate.Range(1, MAX_PAGE, error='Debe estar entre {min} y {max}.'))


class CaseOut(Schema):
    case_id = fields.Integer()
    radicado = fields.String()
    case_type = fields.String()
    channel = fields.String()
    branch = fields.String()
    state = fields.String()
    received_at = fields.DateTime()
    answer_due_at = fields.DateTime()
    client = fields.Dict(metadata={'description': 'Datos del registro (SER-FT-01); los de contacto '
                                                  'van enmascarados para los roles que no atienden clientes'})
    open_tasks = fields.List(fields.Nested(TaskOut))


class EventOut(Schema):
    id = fields.Integer()
    at = fields.DateTime()
    actor = fields.String()
    kind = fields.String()
    process_id = fields.String(allow_none=True)
    element_id = fields.String(allow_none=True)
    element_name = fields.String(allow_none=True)
    data = fields.Dict(allow_none=True)


class Completed(Schema):
    case_state = fields.String()
    next_tasks = fields.List(fields.Nested(TaskOut), metadata={
        'description': 'Tareas de este caso que usted puede hacer ahora, las más antiguas primero '
                       '(para seguir con el caso sin volver a la lista)'})


def authenticated(view):
    @wraps(view)
    def wrapper(*args, **kwargs):
        if api_user() is None:
            abort(401, message=_('Se requieren credenciales (Basic o Bearer).'),
                  headers={'WWW-Authenticate': 'Basic realm="pqrsf"'})
        return view(*args, **kwargs)
    return wrapper


def _task_dict(task, info=None, days=None, state=None):
    return {**{c: getattr(task, c) for c in ('id', 'case_id', 'element_id', 'name', 'lane', 'candidate_groups',
                                             'assignee', 'form_key', 'state', 'created_at')},
            'radicado': info.radicado if info else None,
            'answer_due_at': info.answer_due_at if info else None,
            'business_days_left': days, 'deadline_state': state}


def _completed(case, offered=None):
    """The answer to a step taken through the API: where the case is and what the caller can
    do next in it (`offered`, when the step already read it)."""
    rows = []
    if case.state == 'running':  # a finished case offers nothing: no query for it
        rows = offered if offered is not None else workable_in_case(db.session, api_user(), case.id)
    return {'case_state': case.state,
            'next_tasks': [_task_dict(r.task, r.case, r.business_days_left, r.deadline_state) for r in rows]}


def _case(radicado):
    return _by_radicado(select(PqrsfCase), radicado)[0]


def _by_radicado(query, radicado):
    """The row `query` finds for `radicado` among the PQRSF cases, or a 404."""
    row = db.session.execute(query.where(PqrsfCase.radicado == radicado)).first()
    if row is None:
        abort(404, message=_('No existe el radicado %(radicado)s.', radicado=radicado))
    return row


@blp.route('/cases')
class Cases(MethodView):
    decorators = [authenticated]

    @blp.arguments(ObjectBody)
    @blp.form_body('Registro', 'Los campos del formulario SER-FT-01 (forms/ser_ft_01_registro.json), '
                               'de cuyo archivo sale este esquema.')
    @blp.response(201, CaseCreated)
    @blp.errors(*BODY_ERRORS, 403, 503)
    def post(self, body):
        """Registrar una PQRSF (campos de SER-FT-01)."""
        if not has_role(api_user(), *INTAKE):
            abort(403, message=_('Su rol no registra casos.'))
        case, code, errors = register_from(body, [], api_user().username, public=False)
        if errors:
            abort(422, message=_('Datos inválidos.'), errors={'json': errors})
        return {'case_id': case.id, 'radicado': case.reference, 'code': code}


@blp.route('/cases/<radicado>')
class CaseItem(MethodView):
    decorators = [authenticated]

    @blp.response(200, CaseOut)
    @blp.errors(400, 404)
    def get(self, radicado):
        """Un caso: datos, estado y tareas pendientes."""
        info, state = _by_radicado(
            select(PqrsfCase, Case.state).join(Case, Case.id == PqrsfCase.case_id), radicado)
        tasks = db.session.scalars(select(HumanTask).where(HumanTask.case_id == info.case_id,
                                                           HumanTask.state == 'open')).all()
        history = _history(info.case_id)
        return {**{c: getattr(info, c) for c in ('case_id', 'radicado', 'case_type', 'channel', 'branch',
                                                 'received_at', 'answer_due_at')},
                'client': redactor(api_user(), history).intake(intake_of(history)),
                'state': state, 'open_tasks': [_task_dict(t, info) for t in tasks]}


def _history(case_id):
    return db.session.scalars(select(Event).where(Event.case_id == case_id).order_by(Event.id)).all()


@blp.route('/cases/<radicado>/events')
class CaseEvents(MethodView):
    decorators = [authenticated]

    @blp.response(200, EventOut(many=True))
    @blp.errors(400, 404)
    def get(self, radicado):
        """La historia del caso, en orden (datos de contacto enmascarados para los roles que no
        atienden clientes)."""
        history = _history(_case(radicado).case_id)
        policy = redactor(api_user(), history)
        return [policy.event(e) for e in history]


@blp.route('/cases/<radicado>/answer')
class CaseAnswer(MethodView):
    decorators = [authenticated]

    @blp.arguments(ObjectBody)
    @blp.form_body('RespuestaCliente', 'Los campos del formulario respuesta_cliente '
                                       '(forms/respuesta_cliente.json), de cuyo archivo sale este esquema.')
    @blp.response(200, Completed)
    @blp.errors(*BODY_ERRORS, 403, 404, 409, 503)
    def post(self, body, radicado):
        """Registrar la respuesta del cliente a la decisión (recibida por teléfono, en persona…);
        campos del formulario `respuesta_cliente`."""
        if not has_role(api_user(), *INTAKE):
            abort(403, message=_('Su rol no registra respuestas de clientes.'))
        info = _case(radicado)
        data, errors = parse_submission(load_form('respuesta_cliente'), body)
        if errors:
            abort(422, message=_('Datos inválidos.'), errors={'json': errors})
        try:
            case = answer_decision(info.case_id, data['decision'], data.get('comment', ''),
                                   api_user().username)
        except Conflict as error:
            abort(409, message=error.message)
        return _completed(case)


class PathElement(Schema):
    id = fields.String()
    state = fields.String(metadata={'enum': ['completed', 'active', 'cancelled', 'failed', 'reached']})
    runs = fields.Integer()
    last = fields.Dict(allow_none=True)
    calls = fields.String(allow_none=True)


class PathFlow(Schema):
    id = fields.String()
    count = fields.Integer()


class PathProcess(Schema):
    process_id = fields.String()
    version = fields.Integer()
    version_id = fields.Integer()
    file_name = fields.String()
    elements = fields.List(fields.Nested(PathElement))
    flows = fields.List(fields.Nested(PathFlow))


class PathOut(Schema):
    case_id = fields.Integer()
    as_of = fields.Integer(allow_none=True)
    processes = fields.List(fields.Nested(PathProcess))
    events = fields.List(fields.Dict())


class PathQuery(Schema):
    as_of = fields.Integer(validate=validate.Range(0, MAX_ID, error='Debe estar entre {min} y {max}.'),
                           error_messages=INTEGER,
                           metadata={'description': 'Reproducir el recorrido hasta este evento'})


@blp.route('/cases/<radicado>/path')
class CasePath(MethodView):
    decorators = [authenticated]

    @blp.arguments(PathQuery, location='query')
    @blp.response(200, PathOut)
    @blp.errors(400, 404, 422)
    def get(self, query, radicado):
        """El recorrido ejecutado: por diagrama, estado y ejecuciones de cada elemento y flujos tomados."""
        info = _case(radicado)
        return case_path(db.session, info.case_id, query.get('as_of'))


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
                'tasks': [_task_dict(r.task, r.case, r.business_days_left, r.deadline_state) for r in rows]}


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
        return {**_task_dict(task, info), 'form': offer_users(load_form(task.form_key)) if task.form_key else {}}


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
            abort(409, message=error.message)
        except NotFound as error:
            abort(404, message=error.message)
        except StepFailed as error:  # the diagram's fault, not the caller's: see api_contract
            abort(503, message=error.message)
        return _completed(case, offered)


def init_api(app):
    app.config.setdefault('API_TITLE', 'PQRSF')
    app.config.setdefault('API_VERSION', '1')
    app.config.setdefault('OPENAPI_VERSION', '3.0.3')
    app.config.setdefault('OPENAPI_URL_PREFIX', '/api')
    app.config.setdefault('OPENAPI_JSON_PATH', 'openapi.json')
    api = PqrsfApi(app, spec_kwargs={'components': {'securitySchemes': {
        'basic': {'type': 'http', 'scheme': 'basic'}, 'bearer': {'type': 'http', 'scheme': 'bearer'}}},
        'security': [{'basic': []}, {'bearer': []}]})
    register_form_schemas(api, app)
    from . import api_assign  # noqa: F401  (its operations join `blp` before it is registered)
    api.register_blueprint(blp)
    csrf.exempt(blp)
