"""Handlers any diagram may use, with no side effects beyond the case history."""
from app.platform.handlers import handler


@handler('note', outputs=())
def note(inputs, context):
    """Record a note on the case history (the inputs appear in the service-call event)."""
    return {}
