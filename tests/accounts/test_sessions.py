"""Sessions the server ends: a copy of the cookie is refused after signing out (the remember
cookie too), and a session idle for longer than SESSION_IDLE_MINUTES is closed."""
from flask_login.utils import encode_cookie
from sqlalchemy import select

from app.platform.extensions import db
from app.accounts.models import User
from tests.support.web import csrf_token, login


def _cookie(client, name):
    cookie = client.get_cookie(name)
    return cookie.value if cookie else None


def _replay(site, name, value):
    """A fresh client carrying only this cookie, asking for the task list."""
    other = site.test_client()
    other.set_cookie(name, value)
    return other.get('/tareas/')


def _signed_in(response):
    return response.status_code == 200


def test_a_session_cookie_copied_before_signing_out_is_refused_after(site):
    client = login(site.test_client(), 'lider')
    copied = _cookie(client, 'session')
    user = db.session.scalar(select(User).where(User.username == 'lider'))
    remember = encode_cookie(user.get_id())  # what Flask-Login would have put in a remember cookie
    assert _signed_in(_replay(site, 'session', copied))  # the copy works while signed in
    assert _signed_in(_replay(site, 'remember_token', remember))
    assert client.post('/salir', data={'csrf_token': csrf_token(client, '/tareas/')}).status_code == 302
    for name, value in (('session', copied), ('remember_token', remember)):
        refused = _replay(site, name, value)
        assert refused.status_code == 302 and '/ingresar' in refused.headers['Location'], name
    assert client.get('/tareas/').status_code == 302
    assert _signed_in(login(site.test_client(), 'lider').get('/tareas/'))  # signing in again works


def test_signing_out_ends_the_other_sessions_of_that_user_only(site):
    first, second = login(site.test_client(), 'lider'), login(site.test_client(), 'lider')
    someone_else = login(site.test_client(), 'auditor')
    first.post('/salir', data={'csrf_token': csrf_token(first, '/tareas/')})
    assert second.get('/tareas/').status_code == 302
    assert _signed_in(someone_else.get('/tareas/'))


def test_an_old_style_cookie_naming_only_the_user_id_is_refused(site):
    user_id = db.session.scalar(select(User.id).where(User.username == 'lider'))
    client = site.test_client()
    with client.session_transaction() as session:
        session['_user_id'] = str(user_id)
        session['_fresh'] = True
    assert client.get('/tareas/').status_code == 302


def _idle_for(client, minutes):
    with client.session_transaction() as session:
        session['seen'] -= int(minutes * 60)


def test_an_idle_session_expires(site):
    site.config['SESSION_IDLE_MINUTES'] = 30
    client = login(site.test_client(), 'lider')
    _idle_for(client, 29)
    assert _signed_in(client.get('/tareas/'))  # still within the idle time, and used again now
    _idle_for(client, 29)
    assert _signed_in(client.get('/tareas/'))
    _idle_for(client, 31)
    expired = client.get('/tareas/')
    assert expired.status_code == 302 and '/ingresar' in expired.headers['Location']
    page = client.get('/ingresar').get_data(as_text=True)
    assert 'Su sesión se cerró por inactividad' in page
    assert client.get('/tareas/').status_code == 302  # closed for good, not only for one request
    site.config['SESSION_IDLE_MINUTES'] = 5  # configurable
    client = login(site.test_client(), 'lider')
    _idle_for(client, 6)
    assert client.get('/tareas/').status_code == 302


def test_signing_in_and_out_starts_a_fresh_session_that_keeps_the_language(site):
    from tests.support.web import post_form
    client = site.test_client()
    post_form(client, '/idioma', {'lang': 'en', 'next': '/ingresar'}, page='/ingresar')
    with client.session_transaction() as session:
        session['planted'] = 'by someone else'
    login(client, 'lider')
    with client.session_transaction() as session:
        assert 'planted' not in session and session['lang'] == 'en'
    assert 'Tasks' in client.get('/tareas/').get_data(as_text=True)
    client.post('/salir', data={'csrf_token': csrf_token(client, '/tareas/')})
    assert 'Sign in' in client.get('/ingresar').get_data(as_text=True)
