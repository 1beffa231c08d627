"""Handlers used only by the tests (loaded through PQRSF_HANDLER_MODULES).

They record what they did in Redis, so a test can see effects made by workers in other processes.
"""
import json
import time

from app.platform.handlers import handler


def _redis():
    from app.jobs import worker_app
    from app.platform.queue import connect
    return connect(worker_app().config)


def calls(connection, topic):
    return [json.loads(item) for item in connection.lrange(f'test-calls:{topic}', 0, -1)]


def _record(topic, inputs, context):
    _redis().rpush(f'test-calls:{topic}', json.dumps(
        {'inputs': inputs, 'case_id': context['case_id'], 'attempt': context['attempt'],
         'key': context['idempotency_key']}, default=str))


@handler('test.record')
def record(inputs, context):
    _record('test.record', inputs, context)
    return {'receipt': f"R-{context['case_id']}"}


@handler('test.slow')
def slow(inputs, context):
    """Announce the start; the first call for a task then takes `seconds` (time for a test
    to kill the worker under it), later calls return at once."""
    _record('test.slow', inputs, context)
    if _redis().incr(f"test-slow:{context['idempotency_key']}") == 1:
        time.sleep(float(inputs.get('seconds', 5)))
    return {'slow_done': True}


@handler('test.flaky')
def flaky(inputs, context):
    """Fail while the shared counter for this case is below `failures`."""
    _record('test.flaky', inputs, context)
    connection = _redis()
    count = connection.incr(f"test-flaky:{context['idempotency_key']}")
    if count <= int(inputs.get('failures', 1)):
        raise ConnectionError(f'servicio externo caído (intento {count})')
    return {'flaky_ok': True}
