"""The case list as CSV, with the filters of the page: the same rows `case_list_page` reads, in its
order, the client as the personal-data policy lets the reader see it."""
import csv
import io

from flask_babel import gettext as _

from app.cases.case_list import CSV_MAX, STATES, case_rows_for_csv
from app.cases.vocabulary import CASE_TYPES, label_of

HEADER = ('radicado', 'estado', 'tipo', 'sucursal', 'cliente', 'recibido', 'responder_a_mas_tardar',
          'plazo_legal', 'plazo', 'responsable')


def holder_text(holder: dict) -> str:
    """Who holds a case's open tasks, in words: the assignees, else the groups."""
    return ', '.join(holder.get('assignees') or []) or ', '.join(holder.get('groups') or [])


def client_shown(info) -> str:
    return '' if info.anonymous else (info.client_name or '')


def _day(value):
    return value.isoformat() if value else ''


def case_list_csv(session, user, filters, business) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator='\r\n')
    writer.writerow(HEADER)
    for count, row in enumerate(case_rows_for_csv(session, user, filters, business), start=1):
        if count > CSV_MAX:
            writer.writerow([_('... (más de %(n)s casos: afine los filtros)', n=CSV_MAX)])
            break
        info = row.case
        writer.writerow([info.radicado, label_of(STATES, row.state), label_of(CASE_TYPES, info.case_type),
                         info.branch, client_shown(info), _day(info.received_at), _day(info.answer_due_at),
                         _day(info.legal_due_at), row.deadline_state or '', holder_text(row.holder)])
    return out.getvalue()
