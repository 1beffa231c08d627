"""The notifications page (the top bar's counter leads there) and the account page where
each user chooses how to get them by email."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts.login import roles_required
from app.notifications import service
from app.platform.refusals import Invalid

bp = Blueprint('notifications', __name__, template_folder='templates')


@bp.get('/avisos')
@roles_required()
def index():
    return render_template('notifications/list.html', items=service.open_list(current_user))


@bp.route('/cuenta', methods=['GET', 'POST'])
@roles_required()
def account():
    errors, status = {}, 200
    if request.method == 'POST':
        try:
            service.choose_mode(current_user, request.form.get('mode', ''))
            flash(_('Preferencia guardada.'), 'ok')
            return redirect(url_for('notifications.account'))
        except Invalid as invalid:
            errors, status = invalid.errors, 422
    return render_template('notifications/account.html', mode=service.mode_of(current_user),
                           errors=errors), status


def unread_badge() -> int:
    """The top bar's counter (0 when nobody is signed in)."""
    return service.unread_count(current_user) if current_user.is_authenticated else 0
