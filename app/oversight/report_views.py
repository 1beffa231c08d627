"""What oversight reads of one case: the informe de trazabilidad (printable page, PDF, the
events and the non-conformities as CSV) and the path page (the executed path drawn on the case's diagrams; its data and
diagrams are served by the case pages, `cases.path_data` and `cases.diagram`).

Any signed-in staff role may read them (auditors included); the client's contact data is shown
only to the roles the personal-data policy (`app.cases.privacy`) allows, masked for everyone else."""
from flask import Blueprint, Response, abort, current_app, render_template
from flask_login import current_user
from sqlalchemy import select

from app.accounts.login import roles_required
from app.platform.downloads import csv_download, download, private
from app.platform.extensions import db
from app.cases.models import PqrsfCase
from app.oversight.report import case_report
from app.oversight import report_csv
from app.oversight.report_pdf import report_pdf
from app.accounts.policy import can_see_client_data

bp = Blueprint('report', __name__, template_folder='templates', url_prefix='/casos')


def _case_or_404(radicado) -> PqrsfCase:
    info = db.session.scalar(select(PqrsfCase).where(PqrsfCase.radicado == radicado))
    if info is None:
        abort(404)
    return info


def _report(radicado) -> dict:
    return case_report(db.session, _case_or_404(radicado).case_id, can_see_client_data(current_user),
                       tz=current_app.config['TIMEZONE'])


@bp.get('/<radicado>/trazabilidad')
@roles_required()
def show(radicado):
    return private(Response(render_template('report/show.html', report=_report(radicado))))


@bp.get('/<radicado>/trazabilidad.pdf')
@roles_required()
def pdf(radicado):
    report = _report(radicado)
    return download(report_pdf(report), 'application/pdf', f"trazabilidad_{report['radicado']}.pdf")


@bp.get('/<radicado>/eventos.csv')
@roles_required()
def csv(radicado):
    report = _report(radicado)
    return csv_download(report_csv.events_csv(report), f"eventos_{report['radicado']}.csv")


@bp.get('/<radicado>/no-conformidades.csv')
@roles_required()
def nonconformities_csv(radicado):
    report = _report(radicado)
    return csv_download(report_csv.nonconformities_csv(report), f"no_conformidades_{report['radicado']}.csv")


@bp.get('/<radicado>/recorrido')
@roles_required()
def path(radicado):
    return render_template('path/show.html', info=_case_or_404(radicado))
