"""Security headers on every route of the app, signed in and not; pages free of inline scripts,
handlers and styles; HSTS only in production; a development server that names no version."""
import re
import threading
import urllib.request
from pathlib import Path

import pytest
from sqlalchemy import select

from app.engine.models import HumanTask, ProcessVersion
from app.platform.extensions import db
from app.platform.headers import RequestHandler
from tests.support import flow
from tests.support.pqrsf import register
from tests.support.web import basic, login

APP = Path(__file__).resolve().parents[2] / 'app'
INLINE = re.compile(r'<script(?![^>]*\bsrc=)[^>]*>|\son[a-z]+\s*=|\sstyle\s*=|<style', re.IGNORECASE)


def _urls(app, radicado, task_id, version_id):
    """A GET URL for every rule, with arguments that exist where the app has them."""
    values = {'radicado': radicado, 'task_id': task_id, 'process_id': 'pqrsf', 'number': 1,
              'version_id': version_id, 'attachment_id': 1, 'token': 'not-a-token',
              'key': 'clasificacion', 'filename': 'app.css', 'decision_id': 'priority', 'code': 'operaciones',
              'email_id': 1, 'index': 0}
    urls = []
    for rule in app.url_map.iter_rules():
        if 'GET' not in rule.methods:
            continue
        url = rule.rule
        for name in rule.arguments:
            url = re.sub(rf'<(?:[a-z]+:)?{name}>', str(values[name]), url)
        urls.append((rule.endpoint, url))
    return urls


def _check(endpoint, url, response):
    headers = response.headers
    where = f'{url} ({response.status_code})'
    policy = headers.get('Content-Security-Policy', '')
    directives = dict(d.strip().split(' ', 1) for d in policy.split(';'))
    assert directives.get('script-src') == "'self'", where  # never unsafe-inline for scripts
    assert directives.get('frame-ancestors') == "'none'" and directives.get('object-src') == "'none'", where
    assert headers.get('X-Frame-Options') == 'DENY', where
    assert headers.get('X-Content-Type-Options') == 'nosniff', where
    assert headers.get('Referrer-Policy') == 'same-origin', where
    assert 'Strict-Transport-Security' not in headers, where  # not in development
    if endpoint != 'static':
        assert 'no-store' in headers.get('Cache-Control', ''), where
    if response.mimetype == 'text/html':
        found = INLINE.findall(response.get_data(as_text=True))
        assert not found, f'{where}: inline code or style {found[:3]}'


@pytest.fixture
def known(site):
    case_id, radicado = register(site)
    task_id = flow.read(lambda s: s.scalar(select(HumanTask.id).where(HumanTask.case_id == case_id)))
    version_id = flow.read(lambda s: s.scalar(select(ProcessVersion.id)))
    return radicado, task_id, version_id


@pytest.mark.parametrize('who', [None, 'admin', 'lider', 'dueno'])
def test_every_route_answers_with_the_security_headers(site, known, who):
    client = site.test_client()
    if who:
        login(client, who)
    seen = set()
    credentials = basic(who)
    for endpoint, url in _urls(site, *known):
        response = client.get(url, headers=credentials if who and url.startswith('/api/') else {})
        seen.add(response.status_code)
        _check(endpoint, url, response)
    assert 200 in seen and (who or 302 in seen)
    # the error pages too, and a failed sign-in
    _check('x', '/no-such-page', client.get('/no-such-page'))


def test_case_data_is_never_cached(site, known):
    radicado = known[0]
    client = login(site.test_client(), 'lider')
    for url in (f'/casos/{radicado}', '/tareas/', f'/api/cases/{radicado}', '/casos/'):
        assert client.get(url).headers['Cache-Control'] == 'no-store', url
    static = client.get('/static/app.css')
    assert 'no-store' not in static.headers.get('Cache-Control', '')  # files may be cached


def test_only_the_diagram_pages_admit_inline_style_attributes(site, known):
    client = login(site.test_client(), 'dueno')
    for url in ('/procesos/pqrsf/editar', '/procesos/pqrsf/v/1', '/procesos/subir'):
        policy = client.get(url).headers['Content-Security-Policy']
        assert "style-src 'self' 'unsafe-inline'" in policy and "style-src-elem 'self'" in policy, url
    assert "style-src 'self';" in client.get('/procesos/').headers['Content-Security-Policy']


def test_templates_carry_no_inline_scripts_handlers_or_styles():
    for template in APP.glob('**/templates/**/*.html'):
        found = INLINE.findall(template.read_text())
        assert not found, f'{template.name}: {found}'


def test_hsts_in_production_only(site):
    assert 'Strict-Transport-Security' not in site.test_client().get('/healthz').headers
    site.config['PRODUCTION'] = True
    hsts = site.test_client().get('/healthz').headers['Strict-Transport-Security']
    assert hsts.startswith('max-age=31536000')


def test_the_development_server_names_no_version(site):
    from werkzeug.serving import make_server
    db.session.commit()
    server = make_server('127.0.0.1', 0, site, threaded=True, request_handler=RequestHandler)
    thread = threading.Thread(target=server.serve_forever, kwargs={'poll_interval': 0.1}, daemon=True)
    thread.start()
    try:
        with urllib.request.urlopen(f'http://127.0.0.1:{server.server_port}/healthz') as answer:
            assert answer.headers.get_all('Server') == ['pqrsf']
            assert answer.headers['X-Frame-Options'] == 'DENY'
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
