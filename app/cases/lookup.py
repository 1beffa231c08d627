"""Finding a PQRSF case by its radicado, for the API (a 404 in words when there is none)."""
from flask_babel import gettext as _
from flask_smorest import abort
from sqlalchemy import select

from app.cases.models import PqrsfCase
from app.platform.extensions import db


def case_or_404(radicado):
    return by_radicado_or_404(select(PqrsfCase), radicado)[0]


def by_radicado_or_404(query, radicado):
    """The row `query` finds for `radicado` among the PQRSF cases, or a 404."""
    row = db.session.execute(query.where(PqrsfCase.radicado == radicado)).first()
    if row is None:
        abort(404, message=_('No existe el radicado %(radicado)s.', radicado=radicado))
    return row
