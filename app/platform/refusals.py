"""What a use case refuses, in terms every caller maps to its own answer.

Services (register, complete, claim, answer, deploy…) raise these, and let the engine's
`Conflict`, `NotFound` and `StepFailed` pass; they never build an HTTP response. What a caller
does not catch itself reaches one handler (platform.errors): the error page with `status`, or
JSON with the same status under /api, so the web and the API refuse alike in the same words.
"""


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
