"""Servicio No Conforme (SER-PD-01 4.12, SER-PD-03): `nonconformity.record` records one with its
cause and reason; `nonconformity.treat` writes its treatment (correction, responsible, closing
note) once the SER-PD-03 task is done. Both may run more than once: the record is keyed by the
job's idempotency key, and treating again with the same data changes nothing."""
from marshmallow import Schema, ValidationError, fields, validate

from app.cases.records import record_nonconformity, treat_nonconformity
from app.cases.vocabulary import NONCONFORMITY_CAUSES

from app.platform.handlers import handler
from app.platform.i18n import N_, Words

CAUSES = tuple(NONCONFORMITY_CAUSES)


class RecordInputs(Schema):
    cause = fields.String(required=True, validate=validate.OneOf(
        CAUSES, error='debe ser una de: ' + ', '.join(CAUSES)))
    reason = fields.String(required=True, validate=validate.Length(min=5, max=2000))


class TreatInputs(Schema):
    nonconformity_id = fields.Integer(required=True, strict=False, validate=validate.Range(min=1))
    correction = fields.String(required=True, validate=validate.Length(min=3, max=3000))
    responsible = fields.String(required=True, validate=validate.Length(min=2, max=200))
    closing_note = fields.String(required=True, validate=validate.Length(min=3, max=3000))


def _load(schema, inputs, what):
    try:
        return schema.load({k: v for k, v in inputs.items() if k in schema.fields})
    except ValidationError as error:
        fields_text = '; '.join(f'{name}: {" ".join(map(str, problems))}'
                                for name, problems in sorted(error.messages.items()))
        raise ValueError(f'Datos {what} inválidos: {fields_text}') from None


@handler('nonconformity.record', outputs=('nonconformity_id',))
def record(inputs, context):
    data = _load(RecordInputs(), inputs, 'del servicio no conforme')
    row_id = record_nonconformity(case_id=context['case_id'], key=context['idempotency_key'],
                                  cause=data['cause'], reason=data['reason'],
                                  element_id=context['element_id'])
    return {'nonconformity_id': row_id}


def _check_record(literal_inputs):
    """At deploy: a cause written in the diagram must be one of the vocabulary's."""
    cause = literal_inputs.get('cause')
    if isinstance(cause, str) and cause not in CAUSES:
        return [Words(N_("nonconformity.record: la causa '%(cause)s' no existe; use una de: %(causes)s."),
                      cause=cause, causes=', '.join(CAUSES))]
    return []


record.check = _check_record


@handler('nonconformity.treat', outputs=('nonconformity_treated',))
def treat(inputs, context):
    data = _load(TreatInputs(), inputs, 'del tratamiento del servicio no conforme')
    treat_nonconformity(case_id=context['case_id'], nonconformity_id=data['nonconformity_id'],
                        correction=data['correction'], responsible=data['responsible'],
                        closing_note=data['closing_note'])
    return {'nonconformity_treated': True}
