"""What a use case refuses, in terms every caller maps to its own answer.

Services (register, complete, claim, answer, deploy…) raise these, and let the engine's
`Conflict`, `NotFound` and `StepFailed` pass; they never build an HTTP response. A page turns a
refusal into a flash or an error page with `status`, the API into JSON with the same status, so
the web and the API refuse the same things with the same words.
"""
from app.engine.errors import Conflict, EngineError, NotFound, StepFailed
from app.platform.i18n import describe


class Refused(Exception):
    """A use case said no; `message` is for the person, already in their language."""

    status = 400

    def __init__(self, message: str = ''):
        super().__init__(message)
        self.message = message


class NotAllowed(Refused):
    """The person's roles do not allow it (403)."""

    status = 403


class Missing(Refused):
    """What was asked for does not exist (404)."""

    status = 404


class Stale(Refused):
    """It is no longer as the person saw it: completed meanwhile, or changed by someone (409)."""

    status = 409


class Invalid(Refused):
    """The data does not pass its form's rules (422); `errors` maps each field to its messages."""

    status = 422

    def __init__(self, errors: dict, message: str = ''):
        super().__init__(message)
        self.errors = errors


REFUSALS = (Refused, Conflict, NotFound)  # what a caller answers with a status of its own


def status_of(error: Exception) -> int:
    """The HTTP status a refusal or an engine error stands for, for pages and the API alike."""
    if isinstance(error, Refused):
        return error.status
    return {Conflict: 409, NotFound: 404, StepFailed: 503}.get(type(error), 500)


def words_of(error: Exception) -> str:
    """What to tell the person: a refusal's message, or an engine error through the catalogue."""
    return describe(error) if isinstance(error, EngineError) else error.message
