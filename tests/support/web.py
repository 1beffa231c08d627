"""Signing in and posting forms the way a browser does, CSRF token included."""
import base64
import re

from app.accounts.login import create_user
from app.accounts.demo import DEMO_PASSWORD, ensure_demo_users

PASSWORD = DEMO_PASSWORD
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_token(client, url):
    page = client.get(url)
    match = TOKEN.search(page.get_data(as_text=True))
    assert match, f'no CSRF token on {url} ({page.status_code})'
    return match.group(1)


def post_form(client, url, data, page=None, **kwargs):
    return client.post(url, data={**data, 'csrf_token': csrf_token(client, page or url)}, **kwargs)


def login(client, username, password=DEMO_PASSWORD):
    response = post_form(client, '/ingresar', {'username': username, 'password': password})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return client


def browser_login(page, site, username):
    """Sign in through the real login page in a Playwright page."""
    page.goto(site + '/ingresar')
    page.fill('#username', username)
    page.fill('#password', DEMO_PASSWORD)
    page.click('button[type=submit]')
    page.wait_for_url(lambda url: '/ingresar' not in url)


def demo_users():
    return ensure_demo_users()


__all__ = ['browser_login', 'create_user', 'csrf_token', 'demo_users', 'login', 'post_form']


def basic(username, password=PASSWORD):
    """The Authorization header of HTTP Basic for `username` (demo password by default)."""
    return {'Authorization': 'Basic ' + base64.b64encode(f'{username}:{password}'.encode()).decode()}
