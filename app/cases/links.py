"""Signed links for clients, who have no account: answer a decision, send information, answer
the survey, download the filing receipt. The token names the case and what it is for; it is
signed with SECRET_KEY."""
from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from app.platform.refusals import Refused
from app.cases.follow_codes import follow_code

PURPOSES = ('answer', 'information', 'survey', 'receipt')


class InvalidLink(Refused):
    """A link that was not signed by us, is for another purpose, or expired (400)."""


def _serializer(purpose):
    if purpose not in PURPOSES:
        raise ValueError(purpose)
    return URLSafeTimedSerializer(current_app.config['SECRET_KEY'], salt=f'pqrsf-{purpose}')


def make_token(case_id: int, purpose: str) -> str:
    return _serializer(purpose).dumps({'case': case_id})


def read_token(token: str, purpose: str) -> int:
    max_age = current_app.config['LINK_MAX_AGE_DAYS'] * 86400
    try:
        return int(_serializer(purpose).loads(token, max_age=max_age)['case'])
    except SignatureExpired:
        raise InvalidLink(_('El enlace venció; comuníquese con nosotros.')) from None
    except (BadSignature, KeyError, TypeError, ValueError):
        raise InvalidLink(_('El enlace no es válido.')) from None


def case_links(case_id: int, radicado: str | None) -> dict:
    """The links an email to the client may carry, and its follow-up code (`follow_code`)."""
    base = current_app.config['PUBLIC_BASE_URL'].rstrip('/')
    answer = make_token(case_id, 'answer')
    return {
        'follow_url': f'{base}/seguimiento' + (f'?radicado={radicado}' if radicado else ''),
        'accept_url': f'{base}/respuesta/{answer}?decision=accept',
        'reject_url': f'{base}/respuesta/{answer}?decision=reject',
        'information_url': f'{base}/informacion/{make_token(case_id, "information")}',
        'survey_url': f'{base}/encuesta/{make_token(case_id, "survey")}',
        'receipt_url': f'{base}/comprobante/{make_token(case_id, "receipt")}',
        'follow_code': follow_code(radicado) if radicado else '',
    }
