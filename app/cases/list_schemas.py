"""The case list in the API (`GET /api/cases`): the same filters as the page and the same rows."""
from marshmallow import Schema, fields, validate

from app.cases.case_list import DIRECTIONS, MAX_QUERY, SORTS, STATES
from app.cases.case_list_csv import client_shown, holder_text
from app.cases.vocabulary import BRANCHES, CASE_TYPE_CODES
from app.tasks.queries import DEADLINE_STATES, MAX_PAGE
from app.tasks.schemas import INTEGER, _choice


class CaseQuery(Schema):
    q = fields.String(validate=validate.Length(max=MAX_QUERY), metadata={
        'description': 'Radicado, nombre del cliente, palabras de la descripción; correo y documento '
                       'solo para los roles que ven los datos de contacto'})
    state = fields.String(validate=_choice(list(STATES)))
    case_type = fields.String(validate=_choice(CASE_TYPE_CODES))
    branch = fields.String(validate=_choice(BRANCHES))
    deadline = fields.String(validate=_choice(list(DEADLINE_STATES)))
    holder = fields.String(validate=validate.Length(max=100), metadata={'description': 'Usuario o grupo'})
    sort = fields.String(validate=_choice(list(SORTS)))
    direction = fields.String(validate=_choice(DIRECTIONS))
    page = fields.Integer(load_default=1, error_messages=INTEGER,
                          validate=validate.Range(1, MAX_PAGE, error='Debe estar entre {min} y {max}.'))


class CaseListItem(Schema):
    radicado = fields.String()
    state = fields.String()
    case_type = fields.String()
    branch = fields.String()
    client = fields.String(metadata={'description': 'Nombre del cliente (vacío si es anónimo)'})
    received_at = fields.DateTime()
    answer_due_at = fields.DateTime()
    legal_due_at = fields.DateTime(allow_none=True)
    deadline_state = fields.String(allow_none=True)
    business_days_left = fields.Integer(allow_none=True)
    holder = fields.String(metadata={'description': 'Quién tiene las tareas abiertas: usuarios, o grupos'})


class CaseList(Schema):
    total = fields.Integer(metadata={'description': 'Casos que cumplen el filtro; se deja de contar en 500 '
                                                    '(o al final de la página pedida)'})
    total_capped = fields.Boolean()
    page = fields.Integer()
    cases = fields.List(fields.Nested(CaseListItem))


def case_list_item(row) -> dict:
    info = row.case
    return {'radicado': info.radicado, 'state': row.state, 'case_type': info.case_type, 'branch': info.branch,
            'client': client_shown(info), 'received_at': info.received_at, 'answer_due_at': info.answer_due_at,
            'legal_due_at': info.legal_due_at, 'deadline_state': row.deadline_state,
            'business_days_left': row.business_days_left, 'holder': holder_text(row.holder)}
