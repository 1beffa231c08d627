"""The personal-data policy: who receives a client's contact data and attachments, and how every
output hides them from everyone else. Pages, the API, the traceability report (page, PDF, CSV)
and attachment downloads all ask this module, so one rule holds on every route.

No Flask here (the report module uses it too): callers pass the user they answer."""
from app.accounts.policy import can_see_client_data
from app.cases.vocabulary import CONTACT_FIELDS, MESSAGE_CONTACT_FIELDS

MIN_QUOTED = 3  # shorter values are not searched for inside other text


def mask(value) -> str:
    """`marta@example.com` -> `m***@example.com`; other values keep their last 3 characters."""
    value = str(value)
    if '@' in value:
        name, _, domain = value.partition('@')
        return f'{name[:1]}***@{domain}'
    return '*' * max(0, len(value) - 3) + value[-3:]


def intake_of(events) -> dict:
    """The data a case was registered with (its `case_started` event), as a new dict."""
    for event in events:
        if event.kind == 'case_started':
            return dict((event.data or {}).get('data') or {})
    return {}


def contact_values(intake: dict, events) -> list[str]:
    """Every contact value a case has held: at intake and as corrected later in its history."""
    values = [intake.get(key) for key in CONTACT_FIELDS]
    for event in events:
        for key, change in ((event.data or {}).get('changes') or {}).items():
            if key in CONTACT_FIELDS and isinstance(change, (list, tuple)):
                values.extend(v for v in change if isinstance(v, str))
    return [str(v) for v in values if v]


class Redactor:
    """What one reader may see of one case's data. For a reader outside CLIENT_DATA it masks the
    contact fields under their own keys, and any text (a service's `to`, an error message, a
    form's echo) that quotes one of the case's contact values."""

    def __init__(self, show: bool, values=(), mask_fn=None):
        self.show = bool(show)
        self.mask = mask_fn or mask
        self.values = sorted({v for v in values if len(v) >= MIN_QUOTED}, key=len, reverse=True)

    def value(self, value, key=None):
        if self.show or value is None:
            return value
        if key in (*CONTACT_FIELDS, *MESSAGE_CONTACT_FIELDS) and not isinstance(value, (dict, list, tuple, bool)):
            return self.mask(str(value))
        if isinstance(value, dict):
            return {k: self.value(v, k) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [self.value(v, key) for v in value]
        if isinstance(value, str):
            for secret in self.values:
                if secret in value:
                    value = value.replace(secret, self.mask(secret))
        return value

    def intake(self, data: dict) -> dict:
        return dict(self.value(dict(data or {})))

    def event(self, event) -> dict:
        """An event row as a dict with its data redacted (for pages and the API)."""
        return {'id': event.id, 'at': event.at, 'actor': event.actor, 'kind': event.kind,
                'process_id': event.process_id, 'element_id': event.element_id,
                'element_name': event.element_name, 'element_names': event.element_names,
                'data': self.value(event.data)}

    def text(self, value):
        """A text that is itself a contact value (an email's recipient), masked whole."""
        return value if self.show or value is None else self.mask(value)

    def attachment_name(self, name):
        """None (name withheld) for readers who may not download attachments."""
        return name if self.show else None


def redactor(user, events, mask_fn=None) -> Redactor:
    """The redactor for `user` reading a case whose history is `events`."""
    show = can_see_client_data(user)
    return Redactor(show, () if show else contact_values(intake_of(events), events), mask_fn)


def redact_intake(data: dict, user, events=()) -> dict:
    """The intake data as `user` may see it (their contact values masked wherever quoted)."""
    show = can_see_client_data(user)
    return Redactor(show, () if show else contact_values(data or {}, events)).intake(data)
