"""Registering a PQRSF from any door (staff form, public form, API): the SER-FT-01 form decides
what is valid; attachments are checked for type, content and size (app.uploads) against the
types declared here; then `pqrsf.register` starts the case. `register_case` is the one use case
all three doors call."""
from flask_babel import gettext as _

from app.accounts.policy import can_register
from app.engine.clock import clock
from app.engine.models import Case
from app.platform.extensions import db
from app.platform.refusals import Invalid, NotAllowed
from app.task_forms.store import load_form
from app.task_forms.schema import parse_submission
from app.cases.models import Attachment
from app.cases.service import CLIENT, register
from app.cases.uploads import check_files

FORM_KEY = 'ser_ft_01_registro'
ALLOWED_TYPES = {'.pdf': 'application/pdf', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg',
                 '.png': 'image/png', '.txt': 'text/plain',
                 '.docx': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'}
MAX_FILES, MAX_BYTES = 3, 5 * 1024 * 1024


def intake_form(public: bool) -> dict:
    """The SER-FT-01 definition; the public form has no channel field (it is always online)."""
    definition = load_form(FORM_KEY)
    if public:
        definition = {**definition, 'components': [c for c in definition['components']
                                                   if c.get('key') != 'channel']}
    return definition


def field_errors(errors: dict) -> dict:
    """The errors the form shows next to its fields (attachments are shown by the page)."""
    return {key: value for key, value in (errors or {}).items() if key != 'attachments'}


def register_case(*, user, data, files=(), public: bool = False) -> tuple[Case, str]:
    """Register a PQRSF filed by staff (`user`) or by a client on the public form (`public`)."""
    if not public and not can_register(user):
        raise NotAllowed(_('Su rol no registra casos.'))
    actor = CLIENT if public else user.username
    fields, errors = parse_submission(intake_form(public), data)
    accepted, file_errors = check_files(files, ALLOWED_TYPES, MAX_FILES, MAX_BYTES)
    if file_errors:
        errors = {**errors, 'attachments': file_errors}
    if errors:
        raise Invalid(errors, _('Datos inválidos.'))
    if public:
        fields['channel'] = 'online'
    case, code = register(fields, actor)
    for name, content_type, content in accepted:
        db.session.add(Attachment(case_id=case.id, filename=name, content_type=content_type,
                                  size=len(content), content=content, uploaded_at=clock.now(),
                                  uploaded_by=actor))
    db.session.commit()
    return case, code
