"""`nonconformity.record`: record a Servicio No Conforme (SER-PD-03) with its reason."""
from marshmallow import Schema, ValidationError, fields, validate

from app.cases.records import record_nonconformity

from app.platform.handlers import handler


class NonConformityInputs(Schema):
    reason = fields.String(required=True, validate=validate.Length(min=5, max=2000))


@handler('nonconformity.record', outputs=('nonconformity',))
def record(inputs, context):
    try:
        data = NonConformityInputs().load(inputs)
    except ValidationError as error:
        raise ValueError(f'Datos del servicio no conforme inválidos: {error.messages}') from None
    record_nonconformity(case_id=context['case_id'], key=context['idempotency_key'], reason=data['reason'],
                         element_id=context['element_id'])
    return {'nonconformity': True}
