"""The filters of the case list a user saves under a name (the list's query string): each user
lists and deletes only their own. The web list and the API call these."""
from urllib.parse import urlencode

from flask_babel import gettext as _
from sqlalchemy import select

from app.engine.clock import clock
from app.platform.extensions import db
from app.platform.refusals import Invalid, Missing
from app.cases.case_list import CaseFilters
from app.cases.models import SavedFilter

MAX_NAME = 80
MAX_PER_USER = 50


def saved_filters(user) -> list[SavedFilter]:
    return db.session.scalars(select(SavedFilter).where(SavedFilter.username == user.username)
                              .order_by(SavedFilter.name)).all()


def save_filter(user, name, args) -> SavedFilter:
    """Save the list's filters `args` under `name` (a name already used is overwritten)."""
    name = (name or '').strip()
    if not name or len(name) > MAX_NAME:
        raise Invalid({'name': [_('Escriba un nombre de hasta %(n)s caracteres.', n=MAX_NAME)]})
    filters = CaseFilters.from_args(args)  # BadFilter names a bad field, before anything is kept
    query = urlencode(filters.args(page=1))
    row = db.session.scalar(select(SavedFilter).where(SavedFilter.username == user.username,
                                                      SavedFilter.name == name))
    if row is None:
        if len(saved_filters(user)) >= MAX_PER_USER:
            raise Invalid({'name': [_('Ya tiene %(n)s filtros guardados: borre alguno.', n=MAX_PER_USER)]})
        row = SavedFilter(username=user.username, name=name, query=query, created_at=clock.now())
        db.session.add(row)
    row.query = query
    db.session.commit()
    return row


def delete_filter(user, filter_id) -> None:
    row = db.session.get(SavedFilter, filter_id)
    if row is None or row.username != user.username:
        raise Missing(_('No existe ese filtro guardado.'))
    db.session.delete(row)
    db.session.commit()
