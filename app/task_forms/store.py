"""Where form definitions come from: the newest version saved in the browser (database) wins
over `forms/<name>.json` or `forms/<name>.form` (a Camunda Forms file, the same form-js JSON),
the shipped default. Every definition is checked before use.

A task's form key may be written the Camunda way (`embedded:app:forms/x.html`,
`camunda-forms:deployment:x.form`...): it names form `x`, its last name without extension."""
import copy
import json
import os
import re

from flask import current_app
from sqlalchemy import func, select

from app.engine.clock import clock
from app.engine.words import Words
from app.platform.i18n import N_
from app.platform.extensions import db
from app.task_forms.languages import in_language
from app.task_forms.schema import FormError, components_problem
from app.task_forms.user_fields import roles_problem
from app.task_forms.models import FormVersion

_file_cache: dict[str, tuple[int, dict]] = {}
_db_cache: dict[int, dict] = {}
EXTENSIONS = ('.json', '.form')
CAMUNDA_PREFIXES = ('embedded:app:', 'embedded:deployment:', 'camunda-forms:app:',
                    'camunda-forms:deployment:', 'app:', 'deployment:')
_NAME = re.compile(r'^[A-Za-z0-9][A-Za-z0-9_-]{0,150}$')


def form_name(key: str | None) -> str | None:
    """The form a task's form key names: itself, or for a Camunda key its last name without
    extension (`embedded:app:forms/x.html` -> `x`); None for a key that names no file."""
    text = (key or '').strip()
    for prefix in CAMUNDA_PREFIXES:
        if text.startswith(prefix):
            text = text[len(prefix):].replace('\\', '/').rsplit('/', 1)[-1]
            text = os.path.splitext(text)[0] if text.endswith(('.html', '.htm', '.form', '.json')) else text
            break
    return text if _NAME.match(text) else None


def form_path(key: str) -> str | None:
    name = form_name(key)
    if name is None:
        return None
    for folder in current_app.config['FORMS_DIRS']:
        for extension in EXTENSIONS:
            path = os.path.join(folder, f'{name}{extension}')
            if os.path.isfile(path):
                return path
    return None


def stored_form(key: str) -> FormVersion | None:
    key = form_name(key) or key
    return db.session.scalar(select(FormVersion).where(FormVersion.key == key)
                             .order_by(FormVersion.version.desc()).limit(1))


def form_keys() -> list[str]:
    """Every form key available (for the editor's pick list)."""
    keys = set(db.session.scalars(select(FormVersion.key).distinct()))
    for folder in current_app.config['FORMS_DIRS']:
        if os.path.isdir(folder):
            keys.update(os.path.splitext(name)[0] for name in os.listdir(folder)
                        if name.endswith(EXTENSIONS) and form_name(os.path.splitext(name)[0]))
    return sorted(keys)


def definition_problem(key: str, definition, strict: bool = False) -> str | None:
    """What is wrong with a definition, or None: the shape the linter needs and what rendering.py
    renders; `strict` (save, preview, deploy) also refuses patterns that could backtrack badly."""
    components = definition.get('components') if isinstance(definition, dict) else None
    if not isinstance(components, list):
        return Words(N_("El formulario '%(key)s' no tiene una lista 'components'."), key=key)
    for index, component in enumerate(components):
        if not isinstance(component, dict) or 'type' not in component:
            return Words(N_("El formulario '%(key)s': el componente %(n)s no tiene 'type'."), key=key, n=index + 1)
    return (components_problem(components, Words(N_("El formulario '%(key)s'"), key=key), strict)
            or roles_problem(key, definition))


def _read_file(key, path, strict=False):
    try:
        with open(path, encoding='utf-8') as handle:
            definition = json.load(handle)
    except json.JSONDecodeError as error:
        return None, Words(N_("El formulario '%(key)s' no es JSON válido (línea %(line)s): %(message)s"),
                           key=key, line=error.lineno, message=error.msg)
    return definition, definition_problem(key, definition, strict)


def form_problem(key: str):
    """Why the form `key` cannot be deployed, or None if it is fine (used by the deploy linter):
    a string, or Words (app/engine/words.py) when the form is missing."""
    stored = stored_form(key)
    if stored is not None:
        return definition_problem(key, stored.definition, strict=True)
    path = form_path(key)
    if path is None:
        name = form_name(key)
        if name is None:
            return Words(N_("La clave de formulario '%(key)s' no nombra ningún formulario de la carpeta "
                            "forms/ (use el nombre del archivo, p. ej. "
                            "camunda-forms:deployment:mi_formulario.form)."), key=key)
        return Words(N_("No existe el formulario '%(key)s': busqué el formulario '%(name)s' "
                        "(forms/%(name)s.json o forms/%(name)s.form, en %(folders)s)."),
                     key=key, name=name, folders=', '.join(current_app.config['FORMS_DIRS']))
    return _read_file(form_name(key), path, strict=True)[1]


def load_form(key: str) -> dict:
    """The checked definition of form `key` (a copy the caller may change).

    Raises FormError with a Spanish message when it is missing, invalid or unsupported."""
    key = form_name(key) or key
    stored = stored_form(key)
    if stored is not None:
        if stored.id not in _db_cache:
            problem = definition_problem(key, stored.definition)
            if problem:
                raise FormError(problem)
            _db_cache[stored.id] = stored.definition
        return copy.deepcopy(_db_cache[stored.id])
    path = form_path(key)
    if path is None:
        raise FormError(form_problem(key))
    mtime = os.stat(path).st_mtime_ns
    cached = _file_cache.get(path)
    if cached is None or cached[0] != mtime:
        definition, problem = _read_file(key, path)
        if problem:
            raise FormError(problem)
        _file_cache[path] = cached = (mtime, definition)
    return copy.deepcopy(cached[1])


def save_form(key: str, text: str, actor: str) -> FormVersion:
    """Check and store a new version of form `key` from its JSON text; FormError says why not."""
    if not key or not _NAME.match(key):
        raise FormError(Words(N_('La clave del formulario solo puede tener letras, números, guion y guion bajo.')))
    try:
        definition = json.loads(text)
    except json.JSONDecodeError as error:
        raise FormError(Words(N_('No es JSON válido (línea %(line)s, columna %(column)s): %(message)s'),
                              line=error.lineno, column=error.colno, message=error.msg)) from None
    problem = definition_problem(key, definition, strict=True)
    if problem:
        raise FormError(problem)
    number = (db.session.scalar(select(func.max(FormVersion.version)).where(FormVersion.key == key)) or 0) + 1
    row = FormVersion(key=key, version=number, definition=definition, saved_by=actor, saved_at=clock.now())
    db.session.add(row)
    db.session.commit()
    return row


def shown_form(key: str) -> dict:
    """Form `key` as a page shows it and checks what it sends: its texts in the page's language
    (languages.py), Spanish where the owner wrote none. Raises FormError as `load_form` does."""
    return in_language(load_form(key))
