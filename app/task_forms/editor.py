"""Process owners edit forms: the JSON definition, a live preview rendered by the server exactly
as staff will see it, and validation on save (a broken form is never stored)."""
import json

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts.login import roles_required
from app.platform.i18n import render
from app.task_forms.store import definition_problem, form_keys, load_form, save_form, stored_form
from app.task_forms.rendering import render_form
from app.task_forms.schema import FormError
from app.accounts.roles import PROCESS_OWNERS

bp = Blueprint('form_editor', __name__, template_folder='templates', url_prefix='/procesos/formularios')


@bp.get('/')
@roles_required(*PROCESS_OWNERS)
def index():
    return render_template('task_forms/forms.html', keys=[(key, stored_form(key)) for key in form_keys()])


def _preview(key, text):
    """(preview html, problem) for a JSON text, without saving anything."""
    try:
        definition = json.loads(text)
    except json.JSONDecodeError as error:
        return None, _('No es JSON válido (línea %(l)s, columna %(c)s): %(m)s', l=error.lineno, c=error.colno, m=error.msg)
    problem = definition_problem(key, definition, strict=True)
    return (None, render(problem)) if problem else (render_form(definition), None)


def _said(error: FormError) -> str:
    """Why a form was refused, in the page's language."""
    return render(error.args[0]) if error.args else str(error)


@bp.route('/<key>', methods=['GET', 'POST'])
@roles_required(*PROCESS_OWNERS)
def edit(key):
    if request.method == 'POST':
        text = request.form.get('definition', '')
        if request.form.get('action') == 'save':
            try:
                row = save_form(key, text, current_user.username)
            except FormError as error:
                said = _said(error)
                flash(said, 'error')
                preview, _problem = _preview(key, text)
                return render_template('task_forms/form_edit.html', key=key, text=text, preview=preview,
                                       problem=said, stored=stored_form(key)), 422
            flash(_('Formulario «%(k)s» guardado como versión %(v)s.', k=key, v=row.version), 'ok')
            return redirect(url_for('form_editor.edit', key=key))
        preview, problem = _preview(key, text)
        return render_template('task_forms/form_edit.html', key=key, text=text, preview=preview,
                               problem=problem, stored=stored_form(key)), 200 if not problem else 422
    try:
        definition = load_form(key)
    except FormError:
        if request.args.get('new') != '1':
            abort(404)
        definition = {'schemaVersion': 16, 'type': 'default', 'id': key, 'components': []}
    text = json.dumps(definition, ensure_ascii=False, indent=2)
    return render_template('task_forms/form_edit.html', key=key, text=text, preview=render_form(definition),
                           problem=None, stored=stored_form(key))


@bp.post('/<key>/vista-previa')
@roles_required(*PROCESS_OWNERS)
def preview(key):
    html, problem = _preview(key, request.form.get('definition', ''))
    if problem is None:
        return str(html)
    return render_template('processes/_problem.html', problem=problem), 422
