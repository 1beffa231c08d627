"""What staff behind a load balancer without sticky sessions rely on, checked on the hosts of
hosts.py before the load: every web host is ready (it reaches the database and Redis, and sees
the workers running on the other hosts), and a browser session begun on one web host is
honoured by another and, signed out there, refused by the first (the session is a signed
cookie plus a nonce in the database, nothing kept in one host's memory)."""
import http.client
import json
import re
from urllib.parse import urlencode, urlsplit

from stack import STAFF_PASSWORD, STAFF_USER

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


class Browser:
    """Just enough of a browser: keeps cookies, follows nothing."""

    def __init__(self):
        self.cookies = {}

    def request(self, base_url, method, path, form=None):
        parts = urlsplit(base_url)
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        headers = {'Cookie': '; '.join(f'{k}={v}' for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body, headers['Content-Type'] = urlencode(form), 'application/x-www-form-urlencoded'
        try:
            connection.request(method, path, body, headers)
            response = connection.getresponse()
            text = response.read().decode('utf-8', 'replace')
        finally:
            connection.close()
        for header in response.headers.get_all('Set-Cookie') or []:
            name, _, rest = header.partition('=')
            value = rest.split(';')[0]
            if value and 'Expires=Thu, 01 Jan 1970' not in header:
                self.cookies[name] = value
            else:
                self.cookies.pop(name, None)
        return response.status, response.getheader('Location') or '', text

    def csrf(self, base_url, path) -> str:
        status, _, text = self.request(base_url, 'GET', path)
        found = CSRF.search(text)
        if not found:
            raise RuntimeError(f'no CSRF token on {base_url}{path} ({status})')
        return found.group(1)


def readiness(urls) -> list:
    """(what, ok) for each web host's /readyz: ready, and both worker hosts seen."""
    checks = []
    for url in urls:
        status, _, text = Browser().request(url, 'GET', '/readyz')
        body = json.loads(text) if status in (200, 503) else {}
        checks.append((f'{url}/readyz: {body}', status == 200 and body.get('workers') == 2))
    return checks


def sessions_across(first, second) -> list:
    """(what, ok): signed in on `first`, known on `second`, signed out on `second`, refused on `first`."""
    browser = Browser()
    token = browser.csrf(first, '/ingresar')
    status, home, _ = browser.request(first, 'POST', '/ingresar',
                                      {'username': STAFF_USER, 'password': STAFF_PASSWORD, 'csrf_token': token})
    home = urlsplit(home).path or '/'
    checks = [(f'signed in on {first} ({status} -> {home})', status == 302)]
    status, location, text = browser.request(second, 'GET', home)
    checks.append((f'the same cookie on {second}{home}: {status}', status == 200 and CSRF.search(text)))
    signed_in = dict(browser.cookies)
    status, _, _ = browser.request(second, 'POST', '/salir', {'csrf_token': browser.csrf(second, home)})
    checks.append((f'signed out on {second}: {status}', status == 302))
    browser.cookies = signed_in  # a copy of the cookie from before signing out
    status, location, _ = browser.request(first, 'GET', home)
    checks.append((f'the old cookie on {first}{home}: {status} -> {urlsplit(location).path}',
                   status == 302 and urlsplit(location).path == '/ingresar'))
    return checks
