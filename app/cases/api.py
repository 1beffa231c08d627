"""REST API under /api, documented at /api/openapi.json (flask-smorest + marshmallow).

Clients authenticate with HTTP Basic or a bearer token on every request; the browser session
is not accepted here, so the API needs no CSRF token. Errors are JSON: 401 without credentials,
403 for a task of another role, 404, 409 for a stale or repeated completion, 422 with the
messages of each invalid field. The use cases' refusals (NotAllowed, Missing, Invalid) go
through to `platform.errors.refused`, which answers them so.
"""
from flask.views import MethodView
from marshmallow import Schema, fields
from sqlalchemy import select

from app.accounts.login import api_user, authenticated
from app.cases.case_list import CaseFilters, case_list_page
from app.cases.intake import register_case
from app.cases.list_schemas import CaseList, CaseQuery, case_list_item
from app.cases.links import case_links
from app.cases.lookup import by_radicado_or_404, case_or_404
from app.cases.models import PqrsfCase
from app.cases.privacy import intake_of, redactor
from app.cases.service import answer_for_client
from app.engine.models import Case, Event, HumanTask
from app.platform.api import BODY_ERRORS, ObjectBody, blp
from app.platform.engines import calendar
from app.platform.extensions import db
from app.tasks.schemas import Completed, TaskOut, completed, task_dict


class CaseCreated(Schema):
    case_id = fields.Integer()
    radicado = fields.String()
    code = fields.String(metadata={'description': 'Código de consulta del cliente (se muestra una sola vez)'})
    answer_due_at = fields.DateTime(metadata={'description': 'Fecha límite de la respuesta (término del caso)'})
    receipt_url = fields.String(metadata={'description': 'Enlace firmado al comprobante en PDF, para el cliente'})


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
    element_names = fields.Dict(keys=fields.String(), values=fields.String(), allow_none=True)  # name_<locale>
    data = fields.Dict(allow_none=True)


@blp.route('/cases')
class Cases(MethodView):
    decorators = [authenticated]

    @blp.arguments(CaseQuery, location='query')
    @blp.response(200, CaseList)
    @blp.errors(400, 422)
    def get(self, query):
        """La lista de casos: búsqueda, filtros, orden y página (las mismas que la página /casos)."""
        filters = CaseFilters.from_args(query)
        rows, total = case_list_page(db.session, api_user(), filters, calendar())
        return {'total': int(total), 'total_capped': total.more, 'page': filters.page,
                'cases': [case_list_item(r) for r in rows]}

    @blp.arguments(ObjectBody)
    @blp.form_body('Registro', 'Los campos del formulario SER-FT-01 (forms/ser_ft_01_registro.json), '
                               'de cuyo archivo sale este esquema.')
    @blp.response(201, CaseCreated)
    @blp.errors(*BODY_ERRORS, 403, 503)
    def post(self, body):
        """Registrar una PQRSF (campos de SER-FT-01)."""
        case, code = register_case(user=api_user(), data=body)
        info = db.session.get(PqrsfCase, case.id)
        return {'case_id': case.id, 'radicado': case.reference, 'code': code, 'answer_due_at': info.answer_due_at,
                'receipt_url': case_links(case.id, case.reference)['receipt_url']}


@blp.route('/cases/<radicado>')
class CaseItem(MethodView):
    decorators = [authenticated]

    @blp.response(200, CaseOut)
    @blp.errors(400, 404)
    def get(self, radicado):
        """Un caso: datos, estado y tareas pendientes."""
        info, state = by_radicado_or_404(
            select(PqrsfCase, Case.state).join(Case, Case.id == PqrsfCase.case_id), radicado)
        tasks = db.session.scalars(select(HumanTask).where(HumanTask.case_id == info.case_id,
                                                           HumanTask.state == 'open')).all()
        history = _history(info.case_id)
        return {**{c: getattr(info, c) for c in ('case_id', 'radicado', 'case_type', 'channel', 'branch',
                                                 'received_at', 'answer_due_at')},
                'client': redactor(api_user(), history).intake(intake_of(history)),
                'state': state, 'open_tasks': [task_dict(t, info) for t in tasks]}


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
        history = _history(case_or_404(radicado).case_id)
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
        case = answer_for_client(user=api_user(), radicado=radicado, data=body)
        return completed(case, api_user())
