"""Service-task handlers, looked up by the diagram's `camunda:topic`.

A handler is a plain function `handler(inputs: dict, context: dict) -> dict | None`: `inputs`
are the task's evaluated `camunda:inputParameter`s, `context` says which case, task and attempt
this is and carries an `idempotency_key` (handlers run at least once: give each effect that key).
What it returns is merged into the case data (or mapped by `camunda:outputParameter`).
Raising marks the attempt failed; the engine retries with back-off, then opens an incident.

Register with `@handler('topic.name', outputs=('a', 'b'))` (from `app.platform.handlers`, the
registry; `outputs` names the variables it returns, so lint can warn when a diagram reads one
that nothing produces; leave it out and it may return anything) in any module
of this package; every module here is imported at start, plus the modules named in the
`PQRSF_HANDLER_MODULES` setting.
"""
