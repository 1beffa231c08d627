"""Sign in and out."""
from urllib.parse import urlsplit

from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.accounts.login import authenticate
from app.accounts.sessions import end_session, start_session
from app.platform.throttling import guarded, login_rules

bp = Blueprint('auth', __name__, template_folder='templates')


@bp.route('/ingresar', methods=['GET', 'POST'])
def login():
    username = request.form.get('username', '')
    if request.method == 'POST':
        password = request.form.get('password', '')
        user = guarded(login_rules(username), lambda: authenticate(username, password))
        if user is not None:
            start_session(user)
            target = request.args.get('next') or ''
            parts = urlsplit(target)
            return redirect(target if target.startswith('/') and not parts.netloc else url_for('tasks.index'))
        return render_template('auth/login.html', username=username,
                               error=_('Usuario o contraseña incorrectos.')), 401
    return render_template('auth/login.html', username=username, error=None)


@bp.post('/salir')
def logout():
    end_session()
    return redirect(url_for('auth.login'))
