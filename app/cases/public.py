"""Pages for clients, who have no account: file a case (and download its receipt), follow it
with radicado + code, answer a decision, send information (with files) and answer the survey
from the signed links in the emails. A bad or expired link (400) or a case gone (404) is
answered by `platform.errors.refused`."""
from flask import Blueprint, Response, abort, render_template, request, url_for
from flask_babel import gettext as _

from app.engine.errors import Conflict, NotFound
from app.engine.models import Case
from app.platform.extensions import db
from app.platform.refusals import Invalid
from app.task_forms.error_summary import field_labels
from app.task_forms.rendering import render_form
from app.cases.client_decision import sent_decision
from app.cases.intake import field_errors, intake_form, register_case
from app.cases.links import make_token
from app.cases.models import PqrsfCase
from app.cases.receipt import receipt_of
from app.cases import service as pqrsf
from app.platform.throttling import flood_limit, follow_rules, guarded
from app.cases.summary import public_timeline
from app.cases.vocabulary import CASE_TYPES, SURVEY_CRITERIA

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
            return _created(case, code), 201
    form = intake_form(True)
    return render_template('public/intake.html', form_html=render_form(form, values, field_errors(errors)),
                           errors=errors, error_labels={**field_labels(form), 'attachments': _('Adjuntos')}), status


def _created(case, code):
    """The confirmation: radicado, code (shown this once), due date, whether an email went out,
    and the link to the PDF receipt."""
    info = db.session.get(PqrsfCase, case.id)
    emailed = bool((request.form.get('client_email') or '').strip()) and not info.anonymous
    return render_template('public/created.html', radicado=case.reference, code=code, info=info,
                           case_types=CASE_TYPES, emailed=emailed,
                           receipt_url=url_for('public.receipt', token=make_token(case.id, 'receipt')))


@bp.get('/comprobante/<token>')
@flood_limit('LIMIT_LINK_ADDRESS')
def receipt(token):
    radicado, pdf = receipt_of(token)
    return Response(pdf, mimetype='application/pdf', headers={
        'Content-Disposition': f'inline; filename="comprobante-{radicado}.pdf"', 'Cache-Control': 'no-store'})


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
                               timeline=public_timeline(case.id), decision=sent_decision(case.id))
    return render_template('public/follow.html', radicado=radicado, error=None)


def _link_page(token, purpose, template, send, data, repeated, thanks, page=None, **shown):
    """A page of a client's link: its form (GET, once the link is checked), or what the client
    sent handed to `send`: thanks, the form again with the reason and what was typed (422),
    `repeated` (409). `page` is what the template always shows; `shown`, only on GET."""
    page = page or {}
    if request.method == 'GET':
        pqrsf.link_case(token=token, purpose=purpose)
        return render_template(template, error=None, errors={}, values={}, **page, **shown)
    try:
        send(token=token, data=data)
    except Invalid as invalid:
        return render_template(template, error=invalid.message, errors=invalid.errors, values=data,
                               **page, **dict.fromkeys(shown)), 422
    except Conflict:
        return render_template('public/done.html', message=repeated), 409
    except NotFound:
        abort(404)
    return render_template('public/done.html', message=thanks)


@bp.route('/respuesta/<token>', methods=['GET', 'POST'])
@flood_limit('LIMIT_LINK_ADDRESS')
def answer(token):
    return _link_page(token, 'answer', 'public/answer.html', pqrsf.answer_from_link, request.values,
                      _('Ya habíamos recibido su respuesta. Gracias.'), _('Gracias, registramos su respuesta.'),
                      page={'decision_text': sent_decision(pqrsf.link_case(token=token, purpose='answer'))},
                      decision=request.values.get('decision'))


@bp.route('/encuesta/<token>', methods=['GET', 'POST'])
@flood_limit('LIMIT_LINK_ADDRESS')
def survey(token):
    return _link_page(token, 'survey', 'public/survey.html', pqrsf.survey_from_link, request.form,
                      _('Esta encuesta ya fue respondida. Gracias.'), _('Gracias por su opinión.'),
                      page={'criteria': [(code, label, pqrsf.survey_field(code)) for code, label in SURVEY_CRITERIA.items()]})


@bp.route('/informacion/<token>', methods=['GET', 'POST'])
@flood_limit('LIMIT_LINK_ADDRESS')
def information(token):
    def send(token, data):
        return pqrsf.information_from_link(token=token, data=data, files=request.files.getlist('attachments'))
    return _link_page(token, 'information', 'public/information.html', send,
                      request.form, _('Ya habíamos recibido esta información. Gracias.'),
                      _('Gracias, recibimos la información.'), page=_information_page(token))


@bp.route('/informacion/<token>/mes-adicional', methods=['POST'])
@flood_limit('LIMIT_LINK_ADDRESS')
def more_time(token):
    return _link_page(token, 'information', 'public/information.html', pqrsf.more_time_from_link,
                      request.form, _('Ya no es posible pedir más tiempo para este caso.'),
                      _('Recibimos su solicitud: tiene un mes más para enviar la información, desde este mismo enlace.'),
                      page=_information_page(token))


def _information_page(token) -> dict:
    """What the information page always shows: the token, and whether the case would take a
    request for more time now (the diagram waits for it)."""
    case_id = pqrsf.link_case(token=token, purpose='information')
    return {'token': token, 'may_ask_more_time': pqrsf.awaits_client(case_id, pqrsf.MORE_TIME)}
