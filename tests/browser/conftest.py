"""Real-browser fixtures: the test's app served over HTTP, Debian's Chromium driven headless by
Playwright (sync API), a page per test with a screenshot at the end, and a worker process.

    def test_something(live_server, page, shot):
        page.goto(live_server + '/')
        shot(page, 'inicio')            # test-output/screenshots/test_something-inicio.png
        ...                              # test-output/screenshots/test_something-final.png, always

The server runs in a background thread of this process, so the test thread is free while
Playwright waits for a page. The database is shared with the test: never keep a transaction
open while the browser works (on SQLite every transaction is `BEGIN IMMEDIATE`, so an open one
in the test blocks every request of the server). Read with `tests.support.flow.read(...)`, which
ends its transaction, and commit what you set up before the browser needs it.

Without /usr/bin/chromium (or the playwright package) these tests are skipped with the reason.
"""
import re
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / 'test-output' / 'screenshots'
CHROMIUM = '/usr/bin/chromium'
CHROMIUM_ARGS = [
    '--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic',
    '--disable-dev-shm-usage',  # containers often have a tiny /dev/shm; Chromium crashes on it
]
TIMEOUT_MS = 15_000  # a hung page fails the test in 15 s rather than Playwright's 30 s


# the two widths pages are checked at: a desktop and a phone
SIZES = {1280: dict(viewport={'width': 1280, 'height': 800}),
         390: dict(viewport={'width': 390, 'height': 844}, is_mobile=True, has_touch=True)}


def language_context(browser, site, lang, width, user=None, **options):
    """A new context at `width` px whose pages are in `lang` (switched on the login page, as a
    person does) and, with `user`, signed in; returns (context, page)."""
    from tests.support.web import browser_login
    context = browser.new_context(locale='es-CO', **SIZES[width], **options)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    if lang == 'en':
        page.goto(site + '/ingresar')
        page.click('button[name=lang]')
        page.wait_for_selector('html[lang=en]')
    if user:
        browser_login(page, site, user)
    return context, page


def save_screen(page, name):
    """A full-page screenshot test-output/screenshots/<name>.png, and no sideways scrolling."""
    _save(page, SCREENSHOTS / f'{name}.png')
    assert not page.evaluate('() => document.documentElement.scrollWidth > window.innerWidth + 1'), \
        f'{name} scrolls sideways'


def _stem(request):
    """The test's name as a file name (parametrized ids included)."""
    return re.sub(r'[^A-Za-z0-9_.-]+', '_', request.node.name).strip('_')


def _save(page, path, full_page=True):
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=full_page)
    return path


@pytest.fixture
def live_server(app):
    """Serve `app` on 127.0.0.1 (a free port) in a background thread; yields the base URL
    ('http://127.0.0.1:PORT', no trailing slash). PUBLIC_BASE_URL points at it meanwhile, so
    links in emails lead to this server."""
    from werkzeug.serving import make_server

    from app.platform.extensions import db

    # the test thread must not hold a transaction (on SQLite a write lock) while the server
    # works: end it, keeping what a fixture set up before this one
    db.session.commit()
    from app.platform.headers import RequestHandler
    server = make_server('127.0.0.1', 0, app, threaded=True, request_handler=RequestHandler)
    url = f'http://127.0.0.1:{server.server_port}'
    thread = threading.Thread(target=server.serve_forever, kwargs={'poll_interval': 0.1},
                              name=f'live-server-{server.server_port}', daemon=True)
    previous = app.config.get('PUBLIC_BASE_URL')
    app.config['PUBLIC_BASE_URL'] = url
    thread.start()
    try:
        yield url
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
        app.config['PUBLIC_BASE_URL'] = previous


@pytest.fixture(scope='session')
def browser():
    """Headless Chromium (Debian's) under Playwright's sync API, one for the whole run."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f'Chromium no disponible ({CHROMIUM}): instale el paquete chromium '
                    'para las pruebas de navegador')
    sync_api = pytest.importorskip(
        'playwright.sync_api', reason='playwright no instalado: pip install -e .[test]')
    playwright = sync_api.sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                              args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()
    finally:
        playwright.stop()


def _page(browser, request, suffix, **options):
    context = browser.new_context(locale='es-CO', **options)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        yield page
    finally:
        try:
            if not page.is_closed():
                _save(page, SCREENSHOTS / f'{_stem(request)}{suffix}-final.png')
        except Exception as error:  # a crashed page must not hide the test's own result
            import warnings
            warnings.warn(f'no final screenshot for {request.node.nodeid}: {error}')
        finally:
            context.close()


@pytest.fixture
def page(browser, request):
    """A desktop page (1280x800, es-CO) in its own context. After the test, always:
    test-output/screenshots/<test>-final.png (full page)."""
    yield from _page(browser, request, '', viewport={'width': 1280, 'height': 800})


@pytest.fixture
def phone_page(browser, request):
    """A phone page (390x844, mobile, touch, es-CO) in its own context. After the test, always:
    test-output/screenshots/<test>-phone-final.png (full page)."""
    yield from _page(browser, request, '-phone', viewport={'width': 390, 'height': 844},
                     is_mobile=True, has_touch=True)


@pytest.fixture
def shot(request):
    """`shot(page, name)` saves test-output/screenshots/<test>-<name>.png (full page) and
    returns its path."""
    def take(page, name, full_page=True):
        return _save(page, SCREENSHOTS / f'{_stem(request)}-{name}.png', full_page=full_page)
    return take


@pytest.fixture
def worker(app):
    """A separate `pqrsf worker` process on this test's database and queue, for the test."""
    from tests.support.flow import worker_process
    with worker_process() as process:
        yield process


@pytest.fixture
def site(app, mailbox, live_server):
    """The live server with the shipped processes and the demo users, nothing of the setup left
    in an open transaction."""
    from tests.support import flow
    from tests.support.pqrsf import deploy_processes
    from tests.support.web import demo_users
    deploy_processes()
    demo_users()
    flow.read(lambda s: None)
    return live_server
