"""Staff pages of the inbound mailbox: "Correos recibidos" (/correo), one email, and a draft's
registration on the staff registration form, prefilled from it; or its discarding."""
import io

from flask import Blueprint, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts.login import roles_required
from app.accounts.roles import INTAKE
from app.cases.intake import field_errors, intake_form
from app.cases.vocabulary import CHANNELS
from app.inbound import drafts
from app.inbound.labels import DELIVERED, IGNORED_REASONS, NOT_DELIVERED, STATES, VIEW_LABELS
from app.platform.refusals import Invalid, Stale
from app.task_forms.error_summary import field_labels
from app.task_forms.rendering import render_form

bp = Blueprint('inbound', __name__, template_folder='templates', url_prefix='/correo')
WORDS = dict(states=STATES, reasons=IGNORED_REASONS, delivered=DELIVERED, not_delivered=NOT_DELIVERED)


@bp.get('/')
@roles_required(*INTAKE)
def index():
    view = request.args.get('vista') or drafts.DEFAULT_VIEW
    if view not in drafts.VIEWS:
        view = drafts.DEFAULT_VIEW
    return render_template('inbound/list.html', items=drafts.inbox(current_user, view), view=view,
                           views=VIEW_LABELS, **WORDS)


@bp.route('/<int:email_id>', methods=['GET', 'POST'])
@roles_required(*INTAKE)
def show(email_id):
    values, errors, status = None, {}, 200
    if request.method == 'POST':
        try:
            case, code = drafts.register_draft(current_user, email_id, request.form,
                                               request.files.getlist('attachments'))
        except Invalid as invalid:
            values, errors, status = request.form, invalid.errors, 422
        except Stale as stale:
            flash(stale.message, 'error')
            return redirect(url_for('inbound.show', email_id=email_id))
        else:
            flash(_('Caso registrado con el radicado %(r)s. Código de consulta para el cliente: %(c)s',
                    r=case.reference, c=code), 'ok')
            return redirect(url_for('cases.show', radicado=case.reference))
    item = drafts.message(current_user, email_id)
    form_html = None
    if item['values'] is not None:
        form = intake_form(False)
        form_html = render_form(form, values if values is not None else item['values'], field_errors(errors))
        labels = {**field_labels(form), 'attachments': _('Adjuntos')}
    else:
        labels = {}
    return render_template('inbound/show.html', item=item, form_html=form_html, errors=errors,
                           error_labels=labels, channels=CHANNELS, **WORDS), status


@bp.post('/<int:email_id>/descartar')
@roles_required(*INTAKE)
def discard(email_id):
    try:
        drafts.discard_draft(current_user, email_id)
    except Stale as stale:
        flash(stale.message, 'error')
        return redirect(url_for('inbound.show', email_id=email_id))
    flash(_('Correo descartado.'), 'ok')
    return redirect(url_for('inbound.index'))


@bp.get('/<int:email_id>/adjuntos/<int:index>')
@roles_required(*INTAKE)
def attachment(email_id, index):
    name, content = drafts.attachment(current_user, email_id, index)
    return send_file(io.BytesIO(content), mimetype='application/octet-stream', as_attachment=True,
                     download_name=name)
