"""Service-task handlers, looked up by the diagram's `camunda:topic`.

A handler is a plain function `handler(inputs: dict, context: dict) -> dict | None`: `inputs`
are the task's evaluated `camunda:inputParameter`s, `context` says which case, task and attempt
this is and carries an `idempotency_key` (handlers run at least once: give each effect that key).
What it returns is merged into the case data (or mapped by `camunda:outputParameter`).
Raising marks the attempt failed; the engine retries with back-off, then opens an incident.

Register with `@handler('topic.name')` in any module of this package; every module here is
imported by `load()`, plus the modules named in the `PQRSF_HANDLER_MODULES` setting.
"""
import importlib
import pkgutil

_registry: dict = {}


def handler(topic: str):
    def register(function):
        if topic in _registry and _registry[topic] is not function:
            raise ValueError(f"two handlers registered for topic '{topic}'")
        _registry[topic] = function
        return function
    return register


class UnknownTopic(LookupError):
    pass


def get(topic: str):
    try:
        return _registry[topic]
    except KeyError:
        raise UnknownTopic(f"No hay ningún handler para el tema '{topic}'.") from None


def input_problems(topic: str, literal_inputs: dict) -> list[str]:
    """What a handler finds wrong in the literal inputs a diagram gives it (checked at deploy).
    A handler opts in by having a `check(literal_inputs) -> [message]` attribute."""
    check = getattr(_registry.get(topic), 'check', None)
    return list(check(literal_inputs)) if check else []


def topics() -> set[str]:
    return set(_registry)


def load(extra_modules=()) -> set[str]:
    """Import every handler module (ours and the configured extras); returns the topics."""
    for info in pkgutil.iter_modules(__path__, prefix=f'{__name__}.'):
        importlib.import_module(info.name)
    for name in extra_modules:
        if name:
            importlib.import_module(name)
    return topics()
