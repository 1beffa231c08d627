"""Sign in and out."""
from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_user, logout_user

from ..auth import authenticate

bp = Blueprint('auth', __name__)


@bp.route('/ingresar', methods=['GET', 'POST'])
def login():
    username = request.form.get('username', '')
    if request.method == 'POST':
        user = authenticate(username, request.form.get('password', ''))
        if user is not None:
            login_user(user)
            target = request.args.get('next') or ''
            parts = urlsplit(target)
            return redirect(target if target.startswith('/') and not parts.netloc else url_for('tasks.index'))
        flash(_('Usuario o contraseña incorrectos.'), 'error')
        return render_template('auth/login.html', username=username), 401
    return render_template('auth/login.html', username=username)


@bp.post('/salir')
def logout():
    logout_user()
    return redirect(url_for('auth.login'))
