"""`nonconformity.record`: record a Servicio No Conforme (SER-PD-03) with its reason."""
from marshmallow import Schema, ValidationError, fields, validate
from sqlalchemy import select

from app.engine.clock import clock
from app.platform.extensions import db
from app.cases.models import NonConformity

from handlers import handler


class NonConformityInputs(Schema):
    reason = fields.String(required=True, validate=validate.Length(min=5, max=2000))


@handler('nonconformity.record')
def record(inputs, context):
    try:
        data = NonConformityInputs().load(inputs)
    except ValidationError as error:
        raise ValueError(f'Datos del servicio no conforme inválidos: {error.messages}') from None
    key = context['idempotency_key']
    try:
        if db.session.scalar(select(NonConformity.id).where(NonConformity.key == key)) is None:
            db.session.add(NonConformity(case_id=context['case_id'], key=key, reason=data['reason'],
                                         element_id=context['element_id'], detected_at=clock.now()))
            db.session.commit()
    finally:
        db.session.rollback()
    return {'nonconformity': True}
