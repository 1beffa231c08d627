"""The registry of service-task handlers, looked up by the diagram's `camunda:topic`.

Handler modules (the `handlers` package, and the modules `PQRSF_HANDLER_MODULES` names) register
themselves with `@handler('topic.name')`; the app imports them by name at start (`load`), so it
depends on none of them and they depend only on the platform and the cases area. A handler
that says which variables it returns (`@handler('topic', outputs=('a', 'b'))`) lets lint warn
when a diagram reads a variable nothing produced; one that does not say may return anything.
"""
import importlib
import pkgutil

HANDLERS_PACKAGE = 'handlers'  # the top-level package of this product's handlers
_registry: dict = {}


def handler(topic: str, outputs=None):
    def register(function):
        if topic in _registry and _registry[topic] is not function:
            raise ValueError(f"two handlers registered for topic '{topic}'")
        _registry[topic] = function
        function.outputs = None if outputs is None else frozenset(outputs)
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
    A handler opts in by having a `check(literal_inputs) -> [message]` attribute; an input given
    by an expression (or a map) is there with the value None."""
    check = getattr(_registry.get(topic), 'check', None)
    return list(check(literal_inputs)) if check else []


def outputs(topic: str) -> frozenset | None:
    """The variables a handler declares it returns, or None if it does not say (or is unknown)."""
    return getattr(_registry.get(topic), 'outputs', None)


def topics() -> set[str]:
    return set(_registry)


def load(extra_modules=(), package=HANDLERS_PACKAGE) -> set[str]:
    """Import every module of the handlers package and the configured extras; returns the
    topics. By name: the app knows no handler module, they register themselves."""
    found = importlib.import_module(package)
    for info in pkgutil.iter_modules(found.__path__, prefix=f'{package}.'):
        importlib.import_module(info.name)
    for name in extra_modules:
        if name:
            importlib.import_module(name)
    return topics()
