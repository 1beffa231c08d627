"""Registering a PQRSF from any door (staff form, public form, API): the SER-FT-01 form decides
what is valid; attachments are checked for type and size; then `pqrsf.register` starts the case."""
import os

from .engine.clock import clock
from .extensions import db
from .form_store import load_form
from .forms import parse_submission
from .models import Attachment
from .pqrsf import register

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


def check_files(files) -> tuple[list, list]:
    """(accepted [(name, type, bytes)], errors) for uploaded files (werkzeug FileStorage)."""
    accepted, errors = [], []
    files = [f for f in files if f and f.filename]
    if len(files) > MAX_FILES:
        return [], [f'Puede adjuntar como máximo {MAX_FILES} archivos.']
    for upload in files:
        name = os.path.basename(upload.filename.replace('\\', '/'))[:200]
        extension = os.path.splitext(name)[1].lower()
        if extension not in ALLOWED_TYPES:
            errors.append(f'{name}: tipo no permitido (se aceptan {", ".join(sorted(ALLOWED_TYPES))}).')
            continue
        content = upload.read(MAX_BYTES + 1)
        if len(content) > MAX_BYTES:
            errors.append(f'{name}: supera el máximo de {MAX_BYTES // (1024 * 1024)} MB.')
            continue
        accepted.append((name, ALLOWED_TYPES[extension], content))
    return accepted, errors


def register_from(formdata, files, actor: str, public: bool):
    """Validate and register. Returns (case, code, None) or (None, None, errors by field)."""
    data, errors = parse_submission(intake_form(public), formdata)
    accepted, file_errors = check_files(files)
    if file_errors:
        errors = {**errors, 'attachments': file_errors}
    if errors:
        return None, None, errors
    if public:
        data['channel'] = 'online'
    case, code = register(data, actor)
    for name, content_type, content in accepted:
        db.session.add(Attachment(case_id=case.id, filename=name, content_type=content_type,
                                  size=len(content), content=content, uploaded_at=clock.now(),
                                  uploaded_by=actor))
    db.session.commit()
    return case, code, None
