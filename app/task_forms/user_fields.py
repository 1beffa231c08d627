"""Form fields whose value is a staff user who will hold a task (GI-FT-04's action owners).

A form-js component says so with the custom property `usersWithRole` (comma-separated roles,
the candidate groups of the task the value feeds): the form then offers only the active users
who hold one of those roles, and a submission naming anyone else is refused with an error on
that field. The engine checks the assignment again when the task is created, so a diagram and
a form that drift apart still never hand a task to someone who may not work it."""
import copy

from flask_babel import gettext as _

from app.accounts.policy import users_with_roles
from app.platform.i18n import N_, Words
from app.task_forms.schema import parse_submission
from app.accounts.roles import ROLES

ROLE_PROPERTY = 'usersWithRole'


def _roles(component) -> list[str]:
    value = (component.get('properties') or {}).get(ROLE_PROPERTY) or ''
    return [r.strip() for r in str(value).split(',') if r.strip()]


def _walk(components, path=''):
    """(component, data path prefix, is inside a list) for every user field, lists included."""
    for c in components or []:
        if not isinstance(c, dict):
            continue
        if c.get('type') == 'dynamiclist':
            yield from _walk(c.get('components'), f"{path}{c.get('path') or c.get('key')}.")
        elif _roles(c):
            yield c, path


def roles_problem(key: str, definition: dict) -> str | None:
    """A user field naming a role that does not exist (the form could then offer nobody)."""
    for component, _path in _walk(definition.get('components')):
        unknown = [r for r in _roles(component) if r not in ROLES]
        if unknown:
            return Words(N_("El formulario '%(key)s', campo '%(field)s': %(property)s nombra roles que no "
                            "existen: %(unknown)s (roles: %(roles)s)."), key=key, field=component.get('key'),
                         property=ROLE_PROPERTY, unknown=', '.join(unknown), roles=', '.join(ROLES))
    return None


def offer_users(definition: dict) -> dict:
    """A copy of the form where each user field is a choice among the users who may hold it
    (how the page and the API show it; submissions are still checked by `parse_task_form`)."""
    if not any(True for _ in _walk(definition.get('components'))):
        return definition
    offered = copy.deepcopy(definition)
    for component, _path in _walk(offered.get('components')):
        component['type'] = 'select'
        component['values'] = [{'label': f'{u.full_name} ({u.username})', 'value': u.username}
                               for u in users_with_roles(_roles(component))]
        component['validate'] = {'required': bool((component.get('validate') or {}).get('required'))}
    return offered


def user_field_errors(definition: dict, data: dict) -> dict:
    """{path: [message]} for each user field whose value is not an active user of its roles."""
    errors = {}
    for component, prefix in _walk(definition.get('components')):
        roles = _roles(component)
        allowed = {u.username for u in users_with_roles(roles)}
        key = component['key']
        if prefix:  # inside a list: one value per row
            rows = data.get(prefix.rstrip('.')) or []
            found = [(f'{prefix}{i}.{key}', row.get(key)) for i, row in enumerate(rows) if isinstance(row, dict)]
        else:
            found = [(key, data.get(key))]
        for path, value in found:
            if value not in (None, '') and value not in allowed:
                errors[path] = [_('«%(user)s» no es un usuario activo con el rol %(roles)s.', user=value,
                                  roles=", ".join(ROLES.get(r, r) for r in roles))]
    return errors


def parse_task_form(definition: dict, formdata) -> tuple[dict, dict]:
    """`forms.parse_submission`, then the user fields: (data, errors) in the same shape."""
    data, errors = parse_submission(definition, formdata)
    if errors:
        return data, errors
    errors = user_field_errors(definition, data)
    return data, errors
