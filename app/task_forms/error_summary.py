"""The lines of a page's error summary (platform/templates/_error_summary.html): each error of
a failed submit with the label of its field in front and the id of that field to link to, so
the summary reads "Correo electrónico: Este campo es obligatorio." and its link leads there."""
import re

from app.task_forms.schema import _label, _name

_ROW = re.compile(r'\.\d+(?=\.|$)')


def field_labels(definition: dict | None) -> dict:
    """{path without row numbers: label} of every component of a form definition (rows' fields
    as 'list.field')."""
    labels = {}

    def walk(components, prefix):
        for c in components or ():
            if not isinstance(c, dict):
                continue
            if _name(c):
                labels[f'{prefix}{_name(c)}'] = _label(c)
            inner = c.get('components')
            walk(inner, f'{prefix}{_name(c)}.' if c.get('type') == 'dynamiclist' else prefix)
    walk((definition or {}).get('components'), '')
    return labels


def error_items(errors: dict | None, labels: dict | None = None, anchors: dict | None = None) -> list:
    """[(id of the field, text)] for `errors` ({path: [messages]}); a field's id is
    'field-<path with dashes>' (rendering.py) unless `anchors` names another."""
    labels, anchors = labels or {}, anchors or {}
    items = []
    for path, messages in (errors or {}).items():
        anchor = anchors.get(path) or 'field-' + path.replace('.', '-')
        label = labels.get(_ROW.sub('', path))
        for message in [messages] if isinstance(messages, str) else messages:
            text = str(message)
            items.append((anchor, f'{label}: {text}' if label and not text.startswith(str(label)) else text))
    return items
