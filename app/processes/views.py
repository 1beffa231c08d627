"""Process owners: the versions of each process and decision table, the in-browser editors
(bpmn-js, dmn-js), validation before deploy (each problem pointing at its element), deploy with
a diff summary, and migration of running cases to a newer version."""
from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from app.platform import handlers as handler_registry
from app.accounts.login import roles_required
from app.accounts.roles import PROCESS_OWNERS
from app.engine.errors import DeployRefused
from app.engine.models import Case, ProcessVersion
from app.engine.versions import diff_summary
from app.platform.extensions import db
from app.platform.i18n import problem_dict
from app.processes.deploy import deploy_documents, make_linter
from app.processes.migration import migrate_cases, version_of, versions
from app.processes.tables import labels, table_version, tables, users_of

bp = Blueprint('processes', __name__, template_folder='templates', url_prefix='/procesos')
MAX_DIAGRAM_BYTES = 2 * 1024 * 1024


def _open_cases_by_version():
    return dict(db.session.execute(select(Case.version_id, func.count()).where(Case.state == 'running')
                                   .group_by(Case.version_id)).all())


@bp.get('/')
@roles_required(*PROCESS_OWNERS)
def index():
    versions = db.session.scalars(select(ProcessVersion).order_by(ProcessVersion.process_id,
                                                                  ProcessVersion.version.desc())).all()
    grouped = {}
    for version in versions:
        grouped.setdefault(version.process_id, []).append(version)
    decision_tables = tables()
    used = users_of({v.id for found in decision_tables.values() for v in found})
    return render_template('processes/list.html', processes=grouped, open_cases=_open_cases_by_version(),
                           tables=decision_tables, used=used, table_labels=labels())


@bp.get('/<process_id>/v/<int:number>')
@roles_required(*PROCESS_OWNERS)
def version(process_id, number):
    shown = version_of(process_id, number)
    latest = versions(process_id)[0]
    running = db.session.scalars(select(Case).where(Case.version_id == shown.id, Case.state == 'running')
                                 .order_by(Case.id)).all()
    return render_template('processes/version.html', version=shown, latest=latest, running=running,
                           diff=diff_summary(shown.bpmn_xml, latest.bpmn_xml, process_id)
                           if latest.id != shown.id else None)


@bp.get('/<process_id>/v/<int:number>.bpmn')
@roles_required(*PROCESS_OWNERS)
def download(process_id, number):
    shown = version_of(process_id, number)
    return Response(shown.bpmn_xml, mimetype='application/xml', headers={
        'Content-Disposition': f'attachment; filename="{shown.file_name}"'})


@bp.get('/<process_id>/editar')
@roles_required(*PROCESS_OWNERS)
def edit(process_id):
    found = versions(process_id)
    if not found:
        abort(404)
    latest = found[0]
    return render_template('processes/editor.html', title=latest.name or process_id, file_name=latest.file_name,
                           xml_url=url_for('processes.download', process_id=process_id, number=latest.version))


@bp.get('/subir')
@roles_required(*PROCESS_OWNERS)
def upload():
    return render_template('processes/editor.html', title=_('Subir un diagrama'), file_name='diagrama.bpmn',
                           xml_url='')


@bp.get('/tablas/<decision_id>/v/<int:number>.dmn')
@roles_required(*PROCESS_OWNERS)
def download_table(decision_id, number):
    shown = table_version(decision_id, number) or abort(404)
    return Response(shown.dmn_xml, mimetype='application/xml', headers={
        'Content-Disposition': f'attachment; filename="{shown.file_name}"'})


@bp.get('/tablas/<decision_id>/editar')
@roles_required(*PROCESS_OWNERS)
def edit_table(decision_id):
    latest = table_version(decision_id) or abort(404)
    return render_template('processes/dmn_editor.html', title=latest.name or decision_id,
                           file_name=latest.file_name, version=latest,
                           xml_url=url_for('processes.download_table', decision_id=decision_id,
                                           number=latest.version))


@bp.get('/tablas/nueva')
@roles_required(*PROCESS_OWNERS)
def new_table():
    return render_template('processes/dmn_editor.html', title=_('Nueva tabla de decisión'),
                           file_name='tabla.dmn', version=None, xml_url='')


@bp.get('/catalogo')
@roles_required(*PROCESS_OWNERS)
def catalog():
    from app.task_forms.store import form_keys
    return {'topics': sorted(handler_registry.topics()), 'forms': form_keys()}


def _document():
    body = request.get_json(silent=True) or {}
    if not isinstance(body, dict):
        abort(422, _('El cuerpo debe ser un objeto JSON con «xml» y «file_name».'))
    if not isinstance(body.get('file_name') or '', str):
        abort(422, _('El campo «file_name» debe ser un texto.'))
    xml, name = body.get('xml'), (body.get('file_name') or 'diagrama.bpmn').rsplit('/', 1)[-1]
    if not isinstance(xml, str) or not xml.strip():
        abort(422, _('Falta el XML del diagrama.'))
    if len(xml.encode('utf-8')) > MAX_DIAGRAM_BYTES:
        abort(413, _('El diagrama es demasiado grande.'))
    return {name: xml}


def _deployed_ids():
    return set(db.session.scalars(select(ProcessVersion.process_id).distinct()))


@bp.post('/validar')
@roles_required(*PROCESS_OWNERS)
def validate():
    linter = make_linter()
    linter.deployed |= _deployed_ids()
    return {'problems': [problem_dict(p) for p in linter.lint(_document())]}


@bp.post('/desplegar')
@roles_required(*PROCESS_OWNERS)
def deploy_document():
    try:
        deployment = deploy_documents(documents=_document(), user=current_user)
    except DeployRefused as refused:
        return {'problems': [problem_dict(p) for p in refused.problems]}, 422
    return {'deployed': [{'process_id': r.process_id, 'version': r.version, 'created': r.created,
                          'kind': r.kind}
                         for r in deployment.results], 'diff': deployment.diff()}


@bp.post('/<process_id>/v/<int:number>/migrar')
@roles_required(*PROCESS_OWNERS)
def migrate(process_id, number):
    migration = migrate_cases(user=current_user, process_id=process_id, number=number,
                              case_ids=request.form.getlist('case_id'))
    flash(_('%(n)s caso(s) migrado(s) a la versión %(v)s.', n=migration.moved, v=migration.version), 'ok')
    for reason in migration.refused:
        flash(reason, 'error')
    return redirect(url_for('processes.version', process_id=process_id, number=number))
