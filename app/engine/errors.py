"""What the engine raises to its callers; web and CLI turn these into messages and codes."""


class EngineError(Exception):
    """Base class; `message` is safe to show a user (Spanish)."""

    def __init__(self, message, **details):
        super().__init__(message)
        self.message = message
        self.details = details


class NotFound(EngineError):
    pass


class Conflict(EngineError):
    """A stale or repeated action: the task is no longer waiting for it (HTTP 409)."""


class StepFailed(EngineError):
    """The workflow could not move (a condition or script failed); nothing was saved."""


class DeployRefused(EngineError):
    def __init__(self, problems):
        super().__init__(f'{len(problems)} problema(s) en el diagrama; no se desplegó nada.')
        self.problems = problems
