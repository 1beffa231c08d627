"""Staff pages of a case: intake from any channel, the case page, the client's answer recorded
by staff, attachments."""
import io
import re
from urllib.parse import parse_qs

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app.accounts.login import roles_required
from app.engine.models import Case, ProcessVersion
from app.engine.path import case_path
from app.platform.engines import calendar
from app.platform.extensions import db
from app.platform.refusals import Invalid
from app.task_forms.store import shown_form
from app.task_forms.rendering import render_form
from app.cases.intake import field_errors, intake_form, register_case
from app.cases.models import Attachment, PqrsfCase
from app.cases.service import answer_for_client
from app.accounts.roles import INTAKE
from app.accounts.policy import can_download_attachments
from app.cases.case_page import case_page
from app.cases.vocabulary import BRANCHES, CASE_TYPES, CHANNELS, CLIENT_FIELDS, EVENT_LABELS
from app.task_forms.error_summary import field_labels
from app.tasks.queries import DEADLINE_STATES, PAGE_SIZE, BadFilter
from app.cases.case_list import STATES, CaseFilters, case_list_page
from app.cases.case_list_csv import case_list_csv, client_shown, holder_text
from app.cases.saved_filters import delete_filter, save_filter, saved_filters
from app.platform.downloads import csv_download

bp = Blueprint('cases', __name__, template_folder='templates', url_prefix='/casos')


@bp.route('/nuevo', methods=['GET', 'POST'])
@roles_required(*INTAKE)
def new():
    values, errors, status = {}, {}, 200
    if request.method == 'POST':
        try:
            case, code = register_case(user=current_user, data=request.form,
                                       files=request.files.getlist('attachments'))
        except Invalid as invalid:
            values, errors, status = request.form, invalid.errors, 422
        else:
            flash(_('Caso registrado con el radicado %(r)s. Código de consulta para el cliente: %(c)s',
                    r=case.reference, c=code), 'ok')
            return redirect(url_for('cases.show', radicado=case.reference))
    form = intake_form(False)
    return render_template('cases/new.html', form_html=render_form(form, values, field_errors(errors)),
                           errors=errors, error_labels={**field_labels(form), 'attachments': _('Adjuntos')}), status


@bp.get('/')
@roles_required()
def search():
    """The case list: one search box, filters, sorting, paging and the user's saved filters."""
    radicado = (request.args.get('radicado') or '').strip().upper()
    if radicado:  # the old form's exact radicado still opens the case
        return redirect(url_for('cases.show', radicado=radicado))
    filters = _filters()
    rows, total = case_list_page(db.session, current_user, filters, calendar())
    return render_template('cases/search.html', rows=rows, total=total, filters=filters,
                           pages=max(1, -(-total // PAGE_SIZE)), states=STATES, case_types=CASE_TYPES,
                           branches=BRANCHES, deadline_states=DEADLINE_STATES, saved=saved_filters(current_user),
                           holder_text=holder_text, client_shown=client_shown)


def _filters() -> CaseFilters:
    try:
        return CaseFilters.from_args(request.args)
    except BadFilter as bad:
        abort(400, _('El parámetro «%(field)s» no es válido (se admite: %(allowed)s).',
                     field=bad.field, allowed=bad.allowed))


@bp.get('/lista.csv')
@roles_required()
def list_csv():
    text = case_list_csv(db.session, current_user, _filters(), calendar())
    return csv_download(text, 'casos.csv')


@bp.post('/filtros')
@roles_required()
def save_list_filter():
    args = parse_qs(request.form.get('query') or '')
    args = {k: v[0] for k, v in args.items()}
    try:
        save_filter(current_user, request.form.get('name'), args)
    except BadFilter as bad:
        flash(_('El parámetro «%(field)s» no es válido (se admite: %(allowed)s).',
                field=bad.field, allowed=bad.allowed), 'error')
    except Invalid as invalid:
        flash(' '.join(invalid.errors['name']), 'error')
    else:
        flash(_('Filtro «%(name)s» guardado.', name=request.form.get('name').strip()), 'ok')
    return redirect(url_for('cases.search', **args))


@bp.post('/filtros/<int:filter_id>/borrar')
@roles_required()
def delete_list_filter(filter_id):
    delete_filter(current_user, filter_id)
    flash(_('Filtro borrado.'), 'ok')
    return redirect(url_for('cases.search'))


def _case_or_404(radicado):
    info = db.session.scalar(select(PqrsfCase).where(PqrsfCase.radicado == radicado))
    if info is None:
        abort(404)
    return info, db.session.get(Case, info.case_id)


@bp.get('/<radicado>')
@roles_required()
def show(radicado):
    info, case = _case_or_404(radicado)
    return render_template('cases/show.html', **case_page(info, case, current_user, request.args),
                           case_types=CASE_TYPES, channels=CHANNELS, client_fields=CLIENT_FIELDS,
                           event_labels=EVENT_LABELS, answer_form=render_form(shown_form('respuesta_cliente')))


@bp.post('/<radicado>/respuesta-cliente')
@roles_required(*INTAKE)
def record_answer(radicado):
    try:
        answer_for_client(user=current_user, radicado=radicado, data=request.form)
    except Invalid:
        flash(_('Elija si el cliente acepta o rechaza.'), 'error')
        return redirect(url_for('cases.show', radicado=radicado))
    flash(_('Respuesta del cliente registrada.'), 'ok')
    return redirect(url_for('cases.show', radicado=radicado))


@bp.get('/<radicado>/adjuntos/<int:attachment_id>')
@roles_required()
def attachment(radicado, attachment_id):
    info, case = _case_or_404(radicado)
    if not can_download_attachments(current_user):
        abort(403, _('Su rol no abre los adjuntos de los clientes (pueden tener documentos de identidad).'))
    row = db.session.get(Attachment, attachment_id)
    if row is None or row.case_id != case.id:
        abort(404)
    return send_file(io.BytesIO(row.content), mimetype=row.content_type, as_attachment=True,
                     download_name=row.filename)


@bp.get('/<radicado>/recorrido.json')
@roles_required()
def path_data(radicado):
    info, case = _case_or_404(radicado)
    as_of = request.args.get('as_of') or None
    if as_of is not None and not (re.fullmatch(r'[0-9]{1,18}', as_of)):
        abort(400, _('El parámetro «as_of» debe ser el número de un evento.'))
    return case_path(db.session, case.id, int(as_of) if as_of else None)


@bp.get('/<radicado>/diagrama/<int:version_id>.bpmn')
@roles_required()
def diagram(radicado, version_id):
    info, case = _case_or_404(radicado)
    if version_id not in (case.version_id, *case.called_versions.values()):
        abort(404)
    version = db.session.get(ProcessVersion, version_id)
    return version.bpmn_xml, 200, {'Content-Type': 'application/xml; charset=utf-8'}
