"""Throttling: wrong passwords, API credentials and follow-up codes per account / radicado and
per address, the public forms per address; a spent limit refuses even the right guess until its
window ends. Limits are set small per test (the suite runs on the production defaults, which
count only wrong guesses, so its many sign-ins from 127.0.0.1 are never throttled)."""
import base64
import threading
import time

import pytest
from flask import Flask
from sqlalchemy import select

from app.cases import service as pqrsf
from app.accounts.login import issue_token
from app.platform.config import from_env
from app.accounts.demo import DEMO_PASSWORD
from app.platform.extensions import db
from app.accounts.models import User
from app.platform.queue import connect
from app.platform.throttling import init_throttling
from tests.support import flow
from tests.support.pqrsf import CLIENT
from tests.support.web import post_form


def basic(username, password):
    return {'Authorization': 'Basic ' + base64.b64encode(f'{username}:{password}'.encode()).decode()}


def _from(client, address):
    client.environ_base['REMOTE_ADDR'] = address
    return client


def _sign_in(client, username, password):
    return post_form(client, '/ingresar', {'username': username, 'password': password})


def _refused(response, *, api=False):
    assert response.status_code == 429, response.get_data(as_text=True)[:300]
    assert int(response.headers['Retry-After']) >= 1
    if api:
        body = response.get_json()
        assert body['code'] == 429 and body['status'] == 'Too Many Requests' and body['message']
    else:
        assert 'Demasiados intentos' in response.get_data(as_text=True)
    return int(response.headers['Retry-After'])


def test_a_locked_account_refuses_the_right_password_until_the_window_ends(site):
    site.config['LIMIT_LOGIN_ACCOUNT'] = '2 per 8 seconds'
    client = site.test_client()
    for n in range(2):  # from two addresses: the account is what counts
        assert _sign_in(_from(client, f'10.0.0.{n + 1}'), 'lider', 'not-the-password').status_code == 401
    _refused(_sign_in(_from(client, '10.0.0.9'), 'lider', DEMO_PASSWORD))
    _refused(client.get('/api/tasks', headers=basic('lider', DEMO_PASSWORD)), api=True)  # same lock
    assert _sign_in(client, 'colaborador', DEMO_PASSWORD).status_code == 302  # other accounts sign in
    wait = _refused(_sign_in(site.test_client(), 'LIDER ', DEMO_PASSWORD))  # the name as typed
    keys = connect(site.config).keys('*pqrsf-limits*login_account*')
    assert keys, 'the counters live in the configured Redis'
    time.sleep(wait + 0.5)  # the window ends: the right password works again
    assert _sign_in(site.test_client(), 'lider', DEMO_PASSWORD).status_code == 302


def test_wrong_passwords_from_one_address_lock_that_address_for_every_account(site):
    site.config['LIMIT_LOGIN_ADDRESS'] = '3 per hour'
    client = _from(site.test_client(), '10.1.1.1')
    for username in ('lider', 'auditor', 'nadie'):
        assert _sign_in(client, username, 'not-the-password').status_code == 401
    _refused(_sign_in(client, 'colaborador', DEMO_PASSWORD))
    _refused(client.get('/api/tasks', headers=basic('colaborador', DEMO_PASSWORD)), api=True)
    other = _from(site.test_client(), '10.1.1.2')
    assert _sign_in(other, 'colaborador', DEMO_PASSWORD).status_code == 302


def test_api_credentials_count_against_the_same_limits(site):
    site.config.update(LIMIT_LOGIN_ACCOUNT='2 per hour', LIMIT_LOGIN_ADDRESS='4 per hour')
    api = _from(site.test_client(), '10.2.2.2')
    for _ in range(2):
        assert api.get('/api/tasks', headers=basic('lider', 'not-the-password')).status_code == 401
    _refused(api.get('/api/tasks', headers=basic('lider', DEMO_PASSWORD)), api=True)
    _refused(_sign_in(_from(site.test_client(), '10.2.2.3'), 'lider', DEMO_PASSWORD))  # the form too
    token = issue_token(db.session.scalar(select(User).where(User.username == 'auditor')))
    for _ in range(2):  # wrong tokens count per address (two more spend this address's four)
        assert api.get('/api/tasks', headers={'Authorization': 'Bearer not-a-token'}).status_code == 401
    _refused(api.get('/api/tasks', headers={'Authorization': f'Bearer {token}'}), api=True)
    fresh = _from(site.test_client(), '10.2.2.4')
    assert fresh.get('/api/tasks', headers={'Authorization': f'Bearer {token}'}).status_code == 200


def test_guesses_sent_in_parallel_cannot_overrun_the_limit(site):
    site.config['LIMIT_LOGIN_ACCOUNT'] = '3 per hour'
    answers = []

    def guess():
        client = site.test_client()
        answers.append(client.get('/api/tasks', headers=basic('lider', 'not-the-password')).status_code)
    threads = [threading.Thread(target=guess) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(answers) == [401] * 3 + [429] * 5


def _filed(app):
    case, code = pqrsf.register(dict(CLIENT), 'colaborador1')
    flow.work(app)
    return case.reference, code


def _follow(client, radicado, code):
    return post_form(client, '/seguimiento', {'radicado': radicado, 'code': code})


def test_follow_up_codes_are_throttled_per_radicado_and_per_address(site):
    site.config.update(LIMIT_FOLLOW_RADICADO='2 per hour', LIMIT_FOLLOW_ADDRESS='3 per hour')
    (first, first_code), (second, second_code) = _filed(site), _filed(site)
    client = site.test_client()
    for n in range(2):
        assert _follow(_from(client, f'10.3.0.{n + 1}'), first, 'XXXXXXXX').status_code == 404
    _refused(_follow(_from(client, '10.3.0.9'), first.lower(), first_code))  # the right code, locked
    assert _follow(client, second, second_code).status_code == 200  # another radicado is not
    guesser = _from(site.test_client(), '10.3.1.1')
    for guess in ('PQRSF-2026-999991', 'PQRSF-2026-999992', second):
        assert _follow(guesser, guess, 'XXXXXXXX').status_code == 404
    _refused(_follow(guesser, second, second_code))  # this address is spent
    assert _follow(_from(site.test_client(), '10.3.1.2'), second, second_code).status_code == 200


def test_public_forms_are_limited_per_address_in_the_visitors_language(site):
    site.config.update(LIMIT_INTAKE_ADDRESS='2 per hour', LIMIT_LINK_ADDRESS='2 per hour')
    client = _from(site.test_client(), '10.4.0.1')
    for _ in range(2):  # every POST counts, valid or not
        assert post_form(client, '/radicar', {'description': 'x'}).status_code == 422
    _refused(post_form(client, '/radicar', {'description': 'x'}))
    assert client.get('/radicar').status_code == 200  # reading the form is free
    assert post_form(_from(site.test_client(), '10.4.0.2'), '/radicar', {}).status_code == 422
    for url in ('/encuesta/not-a-token', '/informacion/not-a-token'):  # one limit for the link forms
        assert client.post(url, data={'csrf_token': _token(client)}).status_code == 400
    _refused(client.post('/respuesta/not-a-token', data={'csrf_token': _token(client)}))
    post_form(client, '/idioma', {'lang': 'en', 'next': '/'}, page='/radicar')
    english = client.post('/encuesta/not-a-token', data={'csrf_token': _token(client)})
    assert english.status_code == 429 and 'Too many attempts' in english.get_data(as_text=True)
    assert 'Try again in' in english.get_data(as_text=True)


def _token(client):
    from tests.support.web import csrf_token
    return csrf_token(client, '/radicar')


def test_limits_come_from_the_environment_and_a_bad_one_stops_the_start(app, monkeypatch, tmp_path):
    monkeypatch.delenv('PQRSF_LIMIT_LOGIN_ACCOUNT', raising=False)
    assert from_env(str(tmp_path))['LIMIT_LOGIN_ACCOUNT'] == '10 per 15 minutes'
    monkeypatch.setenv('PQRSF_LIMIT_FOLLOW_RADICADO', '5 per 2 minutes')
    assert from_env(str(tmp_path))['LIMIT_FOLLOW_RADICADO'] == '5 per 2 minutes'
    bare = Flask('bare')
    bare.config.update(app.config, LIMIT_LOGIN_ADDRESS='a lot')
    with pytest.raises(RuntimeError, match='PQRSF_LIMIT_LOGIN_ADDRESS'):
        init_throttling(bare)


def test_without_redis_guesses_are_counted_in_the_process_and_sign_in_works(site, monkeypatch):
    """Redis down (nothing listens on port 1): sign-in keeps working, and throttled."""
    from app import create_app
    from tests.conftest import _isolated_client_class
    monkeypatch.setenv('REDIS_URL', 'redis://127.0.0.1:1/0')
    cut_off = create_app({'LIMIT_LOGIN_ACCOUNT': '2 per 10 minutes'})
    cut_off.test_client_class = _isolated_client_class()
    with cut_off.app_context():
        client = cut_off.test_client()
        assert _sign_in(client, 'lider', DEMO_PASSWORD).status_code == 302
        for _ in range(2):
            assert _sign_in(cut_off.test_client(), 'lider', 'not-the-password').status_code == 401
        _refused(_sign_in(cut_off.test_client(), 'lider', DEMO_PASSWORD))
        assert cut_off.test_client().post('/radicar', data={}).status_code == 400  # CSRF, not 500
