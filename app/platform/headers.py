"""Security headers on every response, and a development server that names no version.

The Content-Security-Policy allows scripts and styles from our own origin only: the templates
carry no inline <script>, on* handler, <style> or style attribute (app.js, the bundles under
static/build and the CSS files do that work). The diagram pages are the one exception, for
styles only: bpmn-js writes style attributes on the SVG it draws (labels, icons, the bpmn.io
watermark), so there `style-src` admits 'unsafe-inline' while `style-src-elem` keeps <style>
and stylesheets to our origin; scripts stay 'self' everywhere. Every response except static
files is `Cache-Control: no-store`: staff pages, the API and the client pages carry case data.
"""
from werkzeug.serving import WSGIRequestHandler

# the pages that run bpmn-js (app/static/src/processes/editor.js, viewer.js, oversight/path/)
DIAGRAM_PAGES = frozenset({'processes.edit', 'processes.upload', 'processes.version', 'report.path'})


def _policy(*styles: str) -> str:
    return '; '.join([
        "default-src 'self'",
        "script-src 'self'",
        *styles,
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ])


CSP = _policy("style-src 'self'")
DIAGRAM_CSP = _policy("style-src 'self' 'unsafe-inline'", "style-src-elem 'self'")
HSTS = 'max-age=31536000; includeSubDomains'


def secure_headers(response, production: bool, endpoint: str | None):
    headers = response.headers
    headers['Content-Security-Policy'] = DIAGRAM_CSP if endpoint in DIAGRAM_PAGES else CSP
    headers['X-Frame-Options'] = 'DENY'
    headers['X-Content-Type-Options'] = 'nosniff'
    headers['Referrer-Policy'] = 'same-origin'  # signed links carry their token in the path
    headers['Cross-Origin-Opener-Policy'] = 'same-origin'
    if production:
        headers['Strict-Transport-Security'] = HSTS
    if endpoint != 'static' and 'no-store' not in headers.get('Cache-Control', ''):
        headers['Cache-Control'] = 'no-store'
    return response


def init_headers(app) -> None:
    from flask import request

    @app.after_request
    def _secure(response):
        return secure_headers(response, app.config['PRODUCTION'], request.endpoint)


class RequestHandler(WSGIRequestHandler):
    """Werkzeug's handler, with a `Server` header that names no software version."""

    def version_string(self) -> str:
        return 'pqrsf'
