"""The words of a PQRSF case, said once: its types, the channels it arrives by, the branches,
and the client's data fields (which of them are contact data).

Labels are Spanish msgids marked with `N_` (plain strings at import time): a page translates
them with `_()` where it shows them; the report's PDF and CSV use `label_of()` for the plain
text in the reader's language. The registration form (forms/ser_ft_01_registro.json)
offers the same codes to the person filling it in."""
from flask_babel import gettext

from app.platform.i18n import N_

CASE_TYPES = {'P': N_('Petición'), 'Q': N_('Queja'), 'R': N_('Reclamo'), 'S': N_('Sugerencia'),
              'F': N_('Felicitación')}
CASE_TYPE_CODES = tuple(CASE_TYPES)
CHANNELS = {'telefono': N_('Teléfono'), 'correo': N_('Correo electrónico'), 'oficio': N_('Oficio'),
            'online': N_('Registro en línea'), 'presencial': N_('Verbal / presencial')}
# the causes of a Servicio No Conforme (SER-PD-01 4.12), as a diagram's nonconformity.record names them
NONCONFORMITY_CAUSES = {
    'deadline_missed': N_('Respuesta fuera del término'),
    'not_communicated': N_('Decisión no comunicada al cliente'),
    'no_follow_up': N_('Sin seguimiento en el ritmo prometido'),
    'not_closed': N_('Caso no cerrado a tiempo')}
# what the satisfaction survey rates, one 1-5 rating each (seed 001, "Evaluación del servicio")
SURVEY_CRITERIA = {
    'response_time': N_('Tiempos de respuesta'), 'communication': N_('Comunicación'),
    'courtesy': N_('Cortesía'), 'commitments': N_('Cumplimiento de compromisos'),
    'accessibility': N_('Accesibilidad'), 'facilities': N_('Estado de las instalaciones')}
# what each kind of history event is, in words (case page, report)
EVENT_LABELS = {
    'case_started': N_('Caso iniciado'), 'case_completed': N_('Caso cerrado'),
    'case_migrated': N_('Caso migrado a otra versión'),
    'task_created': N_('Tarea creada'), 'task_completed': N_('Tarea completada'),
    'task_claimed': N_('Tarea reclamada'), 'task_released': N_('Tarea liberada'),
    'task_reassigned': N_('Tarea reasignada'),
    'assignment_refused': N_('Asignación rechazada (el usuario no puede trabajar la tarea)'),
    'service_queued': N_('Servicio en cola'), 'service_completed': N_('Servicio ejecutado'),
    'job_failed': N_('Intento fallido'), 'incident_opened': N_('Incidente abierto'),
    'incident_retried': N_('Incidente reintentado'), 'step_failed': N_('Paso fallido'),
    'timer_set': N_('Plazo programado'), 'timer_fired': N_('Plazo cumplido'),
    'message_received': N_('Mensaje recibido'), 'call_started': N_('Subproceso iniciado'),
    'call_completed': N_('Subproceso terminado'), 'element_completed': N_('Elemento completado'),
    'element_cancelled': N_('Elemento cancelado'), 'element_error': N_('Error en elemento'),
    'email_received': N_('Correo recibido'),
}
BRANCHES = ('BOG', 'BUN', 'CTG', 'MAD', 'YUM', 'CALDAS', 'INTERMODAL')

# the client's data as the case pages and the report list it: (intake key, label)
CLIENT_FIELDS = (
    ('client_name', N_('Cliente')), ('client_kind', N_('Tipo de cliente')),
    ('client_id_document', N_('Documento')), ('client_email', N_('Correo')),
    ('client_phone', N_('Teléfono')), ('product_service', N_('Producto o servicio')),
    ('event_date', N_('Fecha del hecho')), ('collaborator_named', N_('Colaborador mencionado')))
# the client's contact data among them: masked for the roles outside accounts.roles.CLIENT_DATA
CONTACT_FIELDS = ('client_id_document', 'client_email', 'client_phone')
# contact data a case's history holds outside the intake: the address an email on the case came
# from (app/inbound/replies.py), masked under its key like the fields above
MESSAGE_CONTACT_FIELDS = ('sender',)


def label_of(words: dict, code) -> str:
    """The label of `code` in one of the vocabularies above as plain text in the reader's
    language (Spanish outside a request); the code itself when it has no label, '' for none."""
    return gettext(words[code]) if code in words else str(code or '')
