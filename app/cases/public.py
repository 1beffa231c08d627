"""Pages for clients, who have no account: file a case, follow it with radicado + code, answer
a decision, send information and answer the survey from the signed links in the emails."""
from flask import Blueprint, abort, render_template, request
from flask_babel import gettext as _

from app.engine.errors import Conflict, NotFound
from app.engine.models import Case
from app.platform.extensions import db
from app.platform.refusals import Invalid
from app.task_forms.schema import render_form
from app.cases.intake import field_errors, intake_form, register_case
from app.cases.links import InvalidLink, read_token
from app.cases import service as pqrsf
from app.platform.throttling import flood_limit, follow_rules, guarded
from app.cases.summary import CASE_TYPES, public_timeline

bp = Blueprint('public', __name__, template_folder='templates')


@bp.route('/radicar', methods=['GET', 'POST'])
@flood_limit('LIMIT_INTAKE_ADDRESS')
def intake():
    values, errors, status = {}, {}, 200
    if request.method == 'POST':
        try:
            case, code = register_case(user=None, data=request.form,
                                       files=request.files.getlist('attachments'), public=True)
        except Invalid as invalid:
            values, errors, status = request.form, invalid.errors, 422
        else:
            return render_template('public/created.html', radicado=case.reference, code=code), 201
    return render_template('public/intake.html', form_html=render_form(intake_form(True), values, field_errors(errors)),
                           errors=errors), status


@bp.route('/seguimiento', methods=['GET', 'POST'])
def follow():
    radicado = request.values.get('radicado', '')
    if request.method == 'POST':
        code = request.form.get('code', '')
        info = guarded(follow_rules(radicado), lambda: pqrsf.check_follow_code(radicado, code))
        if info is None:
            return render_template('public/follow.html', radicado=radicado,
                                   error=_('El radicado o el código no coinciden.')), 404
        case = db.session.get(Case, info.case_id)
        return render_template('public/status.html', info=info, case=case, case_types=CASE_TYPES,
                               timeline=public_timeline(case.id))
    return render_template('public/follow.html', radicado=radicado, error=None)


def _case_id(token, purpose):
    """The case a signed link names: 400 for a bad or expired link, 404 once the case is gone."""
    try:
        case_id = read_token(token, purpose)
    except InvalidLink as error:
        abort(400, str(error))
    if db.session.get(Case, case_id) is None:
        abort(404, _('El caso de este enlace ya no existe; comuníquese con nosotros.'))
    return case_id


@bp.route('/respuesta/<token>', methods=['GET', 'POST'])
@flood_limit('LIMIT_LINK_ADDRESS')
def answer(token):
    _case_id(token, 'answer')
    decision = request.values.get('decision')
    if request.method == 'POST':
        if decision not in ('accept', 'reject'):
            return render_template('public/answer.html', decision=None,
                                   error=_('Elija si acepta o no la respuesta.')), 422
        try:
            pqrsf.answer_from_link(token, decision, request.form.get('comment', '')[:3000])
        except Conflict:
            return render_template('public/done.html', message=_('Ya habíamos recibido su respuesta. Gracias.')), 409
        except NotFound:
            abort(404)
        return render_template('public/done.html', message=_('Gracias, registramos su respuesta.'))
    return render_template('public/answer.html', decision=decision, error=None)


@bp.route('/encuesta/<token>', methods=['GET', 'POST'])
@flood_limit('LIMIT_LINK_ADDRESS')
def survey(token):
    _case_id(token, 'survey')
    if request.method == 'POST':
        try:
            pqrsf.survey_from_link(token, int(request.form.get('rating', 0)), request.form.get('comment', '')[:3000])
        except (ValueError, TypeError):
            return render_template('public/survey.html', error=_('Elija una calificación de 1 a 5.')), 422
        except Conflict:
            return render_template('public/done.html', message=_('Esta encuesta ya fue respondida. Gracias.')), 409
        return render_template('public/done.html', message=_('Gracias por su opinión.'))
    return render_template('public/survey.html', error=None)


@bp.route('/informacion/<token>', methods=['GET', 'POST'])
@flood_limit('LIMIT_LINK_ADDRESS')
def information(token):
    _case_id(token, 'information')
    if request.method == 'POST':
        text = (request.form.get('text') or '').strip()
        if len(text) < 3:
            return render_template('public/information.html', error=_('Escriba la información solicitada.')), 422
        try:
            pqrsf.information_from_link(token, text[:5000])
        except Conflict:
            return render_template('public/done.html', message=_('Ya habíamos recibido esta información. Gracias.')), 409
        return render_template('public/done.html', message=_('Gracias, recibimos la información.'))
    return render_template('public/information.html', error=None)
