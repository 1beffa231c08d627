"""An email's attachments through the same checks as the files of the intake forms (type,
content, size, how many: app.cases.attachments), one by one, so a refused file is listed with
its reason instead of refusing the message."""
import io

from flask_babel import gettext as _
from werkzeug.datastructures import FileStorage

from app.cases.attachments import MAX_FILES, checked_files


def uploads(attachments) -> list[FileStorage]:
    """The attachments [(name, bytes)] as the uploads the intake use case reads."""
    return [FileStorage(io.BytesIO(content), filename=name or 'adjunto') for name, content in attachments]


def email_files(attachments) -> tuple[list, list]:
    """(accepted [(name, MIME type, bytes)], refused [{'name', 'reason'}]) of an email's files:
    the first MAX_FILES that pass the checks are accepted."""
    accepted, refused = [], []
    for upload in uploads(attachments):
        if len(accepted) >= MAX_FILES:
            refused.append({'name': upload.filename, 'reason': _('Se aceptan como máximo %(n)s archivos.', n=MAX_FILES)})
            continue
        ok, errors = checked_files([upload])
        accepted.extend(ok)
        refused.extend({'name': upload.filename, 'reason': message} for message in errors.get('attachments', []))
    return accepted, refused
