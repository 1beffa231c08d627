"""Files clients and staff attach to a case, from any door (the intake forms, the API, the
client's information link): the types, count and size accepted (checked by app.cases.uploads),
and storing the accepted ones on the case."""
from app.engine.clock import clock
from app.platform.extensions import db
from app.cases.models import Attachment
from app.cases.uploads import check_files

ALLOWED_TYPES = {'.pdf': 'application/pdf', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg',
                 '.png': 'image/png', '.txt': 'text/plain',
                 '.docx': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'}
MAX_FILES, MAX_BYTES = 3, 5 * 1024 * 1024


def checked_files(files) -> tuple[list, dict]:
    """(accepted [(name, MIME type, bytes)], {'attachments': [messages]} or {})."""
    accepted, errors = check_files(files or (), ALLOWED_TYPES, MAX_FILES, MAX_BYTES)
    return accepted, ({'attachments': errors} if errors else {})


def store_files(case_id: int, accepted, actor: str) -> None:
    """Add the accepted files to the case (the caller commits)."""
    for name, content_type, content in accepted:
        db.session.add(Attachment(case_id=case_id, filename=name, content_type=content_type,
                                  size=len(content), content=content, uploaded_at=clock.now(),
                                  uploaded_by=actor))
