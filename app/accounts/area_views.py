"""The admin's pages for the responsible areas: list and create them, rename and (de)activate
one, add and remove its members (existing users, for one branch or all). Every action is a use
case of accounts.areas; a refusal naming a field shows the page again with that field marked."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app.accounts import areas
from app.accounts.login import roles_required
from app.accounts.models import User
from app.accounts.roles import AREA_ADMINS
from app.cases.vocabulary import BRANCHES
from app.platform.extensions import db
from app.platform.refusals import Invalid

bp = Blueprint('areas', __name__, template_folder='templates', url_prefix='/areas')


def _list_page(errors=None, values=None, status=200):
    return render_template('areas/list.html', areas=areas.all_areas(), errors=errors or {},
                           values=values or {}), status


def _area_page(code, errors=None, values=None, status=200):
    area = areas.get_area(code)
    users = db.session.scalars(select(User).where(User.active.is_(True)).order_by(User.username)).all()
    return render_template('areas/edit.html', area=area, members=areas.members(area.code), users=users,
                           branches=BRANCHES, errors=errors or {}, values=values or {}), status


@bp.get('/')
@roles_required(*AREA_ADMINS)
def index():
    return _list_page()


@bp.post('/')
@roles_required(*AREA_ADMINS)
def create():
    try:
        area = areas.create_area(code=request.form.get('code'), name=request.form.get('name'), actor=current_user)
    except Invalid as invalid:
        return _list_page(invalid.errors, request.form, 422)
    flash(_('Área «%(name)s» creada.', name=area.name), 'ok')
    return redirect(url_for('areas.edit', code=area.code))


@bp.route('/<code>', methods=['GET', 'POST'])
@roles_required(*AREA_ADMINS)
def edit(code):
    if request.method == 'GET':
        return _area_page(code)
    try:
        area = areas.update_area(code=code, name=request.form.get('name', ''), actor=current_user)
    except Invalid as invalid:
        return _area_page(code, invalid.errors, request.form, 422)
    flash(_('Área renombrada: «%(name)s».', name=area.name), 'ok')
    return redirect(url_for('areas.edit', code=area.code))


@bp.post('/<code>/estado')
@roles_required(*AREA_ADMINS)
def set_active(code):
    active = request.form.get('active') == '1'
    area = areas.update_area(code=code, active=active, actor=current_user)
    flash(_('Área «%(name)s» activada.', name=area.name) if active else
          _('Área «%(name)s» desactivada: ya no se ofrece en la clasificación.', name=area.name), 'ok')
    return redirect(url_for('areas.edit', code=area.code))


@bp.post('/<code>/miembros')
@roles_required(*AREA_ADMINS)
def add_member(code):
    try:
        member = areas.add_member(code=code, username=request.form.get('username'),
                                  branch=request.form.get('branch'), actor=current_user)
    except Invalid as invalid:
        return _area_page(code, invalid.errors, request.form, 422)
    flash(_('%(user)s ahora es miembro del área.', user=member.username), 'ok')
    return redirect(url_for('areas.edit', code=code))


@bp.post('/<code>/miembros/<member_id>/quitar')
@roles_required(*AREA_ADMINS)
def remove_member(code, member_id):
    areas.remove_member(code=code, member_id=member_id, actor=current_user)
    flash(_('Miembro retirado del área.'), 'ok')
    return redirect(url_for('areas.edit', code=code))
