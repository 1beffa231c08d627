"""The filing receipt (comprobante) a client downloads right after filing, without an account,
from a signed link of purpose 'receipt' that names the case: radicado, when it was received,
its type and the date the answer is due, as a PDF written with the report's PDF pieces
(app.oversight.report_pdf). It holds no personal data, and not the follow-up code: that one is
shown once, on the page."""
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import gettext as _

from app.cases.links import read_token
from app.cases.models import PqrsfCase
from app.cases.vocabulary import CASE_TYPES
from app.platform.dates import local_text
from app.platform.extensions import db
from app.platform.refusals import Missing


def receipt_of(token: str) -> tuple[str, bytes]:
    """(radicado, PDF bytes) of the case the receipt link names (InvalidLink if bad or expired)."""
    info = db.session.get(PqrsfCase, read_token(token, 'receipt'))
    if info is None:
        raise Missing(_('El caso de este enlace ya no existe; comuníquese con nosotros.'))
    return info.radicado, receipt_pdf(info)


def receipt_pdf(info: PqrsfCase) -> bytes:
    from app.oversight.report_pdf import PdfPage, new_document

    zone = ZoneInfo(current_app.config['TIMEZONE'])
    title = _('Comprobante de radicación %(r)s', r=info.radicado)
    page = PdfPage(new_document(title, lambda number: title, orientation='P'))
    page.title(title, 15)
    page.table([(_('Radicado'), info.radicado),
                (_('Recibido'), local_text(info.received_at, zone, '%d/%m/%Y %H:%M')),
                (_('Tipo'), _(CASE_TYPES.get(info.case_type, info.case_type))),
                (_('Respuesta a más tardar'), local_text(info.answer_due_at, zone, '%d/%m/%Y'))],
               (60, 126), header=False)
    page.paragraph(_('Consulte el estado de su caso en la página "Consultar mi caso" con este radicado '
                     'y el código de consulta que recibió al radicar.'))
    return bytes(page.pdf.output())
