"""Finding a PQRSF case by its radicado; `Missing` (a 404 at every door) when there is none."""
from flask_babel import gettext as _
from sqlalchemy import select

from app.cases.models import PqrsfCase
from app.platform.extensions import db
from app.platform.refusals import Missing


def case_or_404(radicado):
    return by_radicado_or_404(select(PqrsfCase), radicado)[0]


def by_radicado_or_404(query, radicado):
    """The row `query` finds for `radicado` among the PQRSF cases, or Missing."""
    row = db.session.execute(query.where(PqrsfCase.radicado == radicado)).first()
    if row is None:
        raise Missing(_('No existe el radicado %(radicado)s.', radicado=radicado))
    return row
