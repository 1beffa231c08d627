"""Message templates (`EMAIL_TEMPLATES_DIR`, i.e. processes/emails/): the text of every email,
to clients (handlers/emails.py) and to staff (app/notifications). The first line of a template
is `Subject: …`."""
import os
from functools import lru_cache
from zoneinfo import ZoneInfo

from flask import current_app
from jinja2 import FileSystemLoader, StrictUndefined, TemplateError
from jinja2.sandbox import SandboxedEnvironment

from app.platform.dates import local_text


@lru_cache(maxsize=8)
def _environment(folder: str, timezone: str) -> SandboxedEnvironment:
    """One Jinja environment per folder: it keeps compiled templates (compiling one took most of
    a render) and still reloads a template whose file changed. Templates are process owners'
    text, so Jinja's sandbox renders them (no `_` attributes, no unsafe calls)."""
    environment = SandboxedEnvironment(loader=FileSystemLoader(folder), undefined=StrictUndefined,
                              autoescape=False, keep_trailing_newline=True)
    zone = ZoneInfo(timezone)
    environment.filters['fecha'] = lambda value: local_text(value, zone, '%d/%m/%Y')
    return environment


def render(template: str, context: dict) -> tuple[str, str]:
    """(subject, body) of a template; raises ValueError naming what is wrong."""
    folder = current_app.config['EMAIL_TEMPLATES_DIR']
    path = os.path.join(folder, f'{template}.txt')
    if not os.path.isfile(path):
        raise ValueError(f"No existe la plantilla de correo '{template}' ({path}).")
    try:
        environment = _environment(folder, current_app.config['TIMEZONE'])
        text = environment.get_template(f'{template}.txt').render(**context)
    except TemplateError as error:
        raise ValueError(f"La plantilla de correo '{template}' falló: {error}") from None
    first, _, body = text.partition('\n')
    if not first.startswith('Subject:'):
        raise ValueError(f"La plantilla '{template}' debe empezar con 'Subject: …'.")
    return first[len('Subject:'):].strip(), body.lstrip('\n')
