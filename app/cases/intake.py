"""Registering a PQRSF from any door (staff form, public form, API): the SER-FT-01 form decides
what is valid; attachments are checked for type, content and size (app.cases.attachments); then `pqrsf.register` starts the case. `register_case` is the one use case
all three doors call.

What staff and the public form differ in: staff say how the request arrived (`channel`) and,
for a letter or call, when (`received_at`, within RECEIPT_MAX_AGE_DAYS); staff may register a
client with a phone or a postal address instead of an email, the public form needs the email.
An anonymous queja (either door) needs no identity nor contact but enough facts."""
from datetime import timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import format_datetime, gettext as _

from app.accounts.policy import can_register
from app.engine.business_days import to_datetime
from app.engine.clock import clock
from app.engine.models import Case
from app.platform.extensions import db
from app.platform.refusals import Invalid, NotAllowed
from app.task_forms.store import shown_form
from app.task_forms.schema import parse_submission
from app.cases.attachments import checked_files, store_files
from app.cases.service import CLIENT, register

FORM_KEY = 'ser_ft_01_registro'
STAFF_ONLY = ('channel', 'received_at')  # the public form has neither: online, received now
REACHABLE_BY = ('client_email', 'client_phone', 'client_address')  # one is enough for staff
ANONYMOUS_MIN_DESCRIPTION = 40


def _public_component(c: dict) -> dict:
    if c.get('key') != 'client_email':
        return c
    rules = {**(c.get('validate') or {}), 'required': True}  # online, the email is the way back
    return {k: v for k, v in {**c, 'validate': rules}.items() if k != 'description'}


def intake_form(public: bool) -> dict:
    """The SER-FT-01 definition; the public form has no channel nor receipt date, and needs
    the email (unless the queja is anonymous: then the field is hidden)."""
    definition = shown_form(FORM_KEY)
    if public:
        definition = {**definition, 'components': [_public_component(c) for c in definition['components']
                                                   if c.get('key') not in STAFF_ONLY]}
    return definition


def field_errors(errors: dict) -> dict:
    """The errors the form shows next to its fields (attachments are shown by the page)."""
    return {key: value for key, value in (errors or {}).items() if key != 'attachments'}


def received_moment(fields: dict) -> tuple[object, dict]:
    """(when the request arrived, errors): the staff's `received_at` read in the office's time
    zone, not in the future nor older than RECEIPT_MAX_AGE_DAYS; None when not given (now)."""
    text = fields.pop('received_at', None)
    if not text:
        return None, {}
    try:
        moment = to_datetime(text, ZoneInfo(current_app.config['TIMEZONE']))
    except (TypeError, ValueError):
        return None, {'received_at': [_('Fecha y hora de recepción: escriba una fecha y hora válidas.')]}
    now = clock.now()
    limit = now - timedelta(days=current_app.config['RECEIPT_MAX_AGE_DAYS'])
    if moment > now:
        return None, {'received_at': [_('Fecha y hora de recepción: no puede ser posterior al momento actual.')]}
    if moment < limit:
        return None, {'received_at': [_('Fecha y hora de recepción: no puede ser anterior al %(limit)s '
                                        '(%(days)s días atrás).', limit=format_datetime(limit, 'dd/MM/yyyy HH:mm'),
                                        days=current_app.config['RECEIPT_MAX_AGE_DAYS'])]}
    return moment, {}


def contact_errors(fields: dict, public: bool) -> dict:
    """Rules across fields: an anonymous queja tells enough facts; anyone else can be reached."""
    if fields.get('anonymous'):
        if len(fields.get('description') or '') < ANONYMOUS_MIN_DESCRIPTION:
            return {'description': [_('Descripción: una queja anónima necesita al menos %(n)s caracteres '
                                      'para poder atenderla.', n=ANONYMOUS_MIN_DESCRIPTION)]}
        return {}
    if not public and not any(fields.get(key) for key in REACHABLE_BY):
        return {'client_email': [_('Correo electrónico: escriba el correo del cliente, o al menos su '
                                   'teléfono o su dirección postal.')]}
    return {}


def _checked(data, files, public):
    """(fields, received, accepted files) of a valid submission, or Invalid naming each field."""
    fields, errors = parse_submission(intake_form(public), data)
    received, receipt_errors = (None, {}) if 'received_at' in errors else received_moment(fields)
    errors = {**contact_errors(fields, public), **receipt_errors, **errors}
    accepted, file_errors = checked_files(files)
    errors = {**errors, **file_errors}
    if errors:
        raise Invalid(errors, _('Datos inválidos.'))
    return fields, received, accepted


def register_case(*, user, data, files=(), public: bool = False) -> tuple[Case, str]:
    """Register a PQRSF filed by staff (`user`) or by a client on the public form (`public`)."""
    if not public and not can_register(user):
        raise NotAllowed(_('Su rol no registra casos.'))
    actor = CLIENT if public else user.username
    fields, received, accepted = _checked(data, files, public)
    if public:
        fields['channel'] = 'online'
    fields.setdefault('anonymous', False)
    case, code = register(fields, actor, received=received)
    store_files(case.id, accepted, actor)
    db.session.commit()
    return case, code
