"""Pages for clients, who have no account: file a case, follow it with radicado + code, answer
a decision, send information and answer the survey from the signed links in the emails. A bad
or expired link (400) or a case gone (404) is answered by `platform.errors.refused`."""
from flask import Blueprint, abort, render_template, request
from flask_babel import gettext as _

from app.engine.errors import Conflict, NotFound
from app.engine.models import Case
from app.platform.extensions import db
from app.platform.refusals import Invalid
from app.task_forms.schema import render_form
from app.cases.intake import field_errors, intake_form, register_case
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


@bp.route('/respuesta/<token>', methods=['GET', 'POST'])
@flood_limit('LIMIT_LINK_ADDRESS')
def answer(token):
    if request.method == 'GET':
        pqrsf.link_case(token=token, purpose='answer')
        return render_template('public/answer.html', decision=request.values.get('decision'), error=None)
    try:
        pqrsf.answer_from_link(token=token, data=request.values)
    except Invalid as invalid:
        return render_template('public/answer.html', decision=None, error=invalid.message), 422
    except Conflict:
        return render_template('public/done.html', message=_('Ya habíamos recibido su respuesta. Gracias.')), 409
    except NotFound:
        abort(404)
    return render_template('public/done.html', message=_('Gracias, registramos su respuesta.'))


@bp.route('/encuesta/<token>', methods=['GET', 'POST'])
@flood_limit('LIMIT_LINK_ADDRESS')
def survey(token):
    if request.method == 'GET':
        pqrsf.link_case(token=token, purpose='survey')
        return render_template('public/survey.html', error=None)
    try:
        pqrsf.survey_from_link(token=token, data=request.form)
    except Invalid as invalid:
        return render_template('public/survey.html', error=invalid.message), 422
    except Conflict:
        return render_template('public/done.html', message=_('Esta encuesta ya fue respondida. Gracias.')), 409
    return render_template('public/done.html', message=_('Gracias por su opinión.'))


@bp.route('/informacion/<token>', methods=['GET', 'POST'])
@flood_limit('LIMIT_LINK_ADDRESS')
def information(token):
    if request.method == 'GET':
        pqrsf.link_case(token=token, purpose='information')
        return render_template('public/information.html', error=None)
    try:
        pqrsf.information_from_link(token=token, data=request.form)
    except Invalid as invalid:
        return render_template('public/information.html', error=invalid.message), 422
    except Conflict:
        return render_template('public/done.html', message=_('Ya habíamos recibido esta información. Gracias.')), 409
    return render_template('public/done.html', message=_('Gracias, recibimos la información.'))
