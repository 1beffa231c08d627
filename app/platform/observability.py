"""Structured logs and per-request cost: one JSON line per request and per job, and a
`Server-Timing` header saying how long the request took inside the app, how much of that the
serving thread spent on a CPU (not waiting for the database, the network or the GIL), and how
many SQL statements and commits it made (the load driver in bench/ reads it).

`LOG_FORMAT=json` (the default in production) writes each record as one JSON object with its
extra fields; `text` keeps the human format for a developer's terminal.
"""
import json
import logging
import time
import uuid
from contextvars import ContextVar

from flask import g, has_request_context, request
from sqlalchemy import event

_cost: ContextVar[list | None] = ContextVar('sql_cost', default=None)
_STANDARD = set(vars(logging.makeLogRecord({}))) | {'message', 'asctime'}
access_log = logging.getLogger('pqrsf.request')


class JsonFormatter(logging.Formatter):
    def format(self, record):
        entry = {'ts': self.formatTime(record, '%Y-%m-%dT%H:%M:%S') + f'.{int(record.msecs):03d}Z',
                 'level': record.levelname, 'logger': record.name, 'msg': record.getMessage()}
        entry.update({k: v for k, v in vars(record).items() if k not in _STANDARD})
        if 'request_id' not in entry and has_request_context() and 'request_id' in g:
            entry['request_id'] = g.request_id
        if record.exc_info:
            entry['exc'] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


def configure_logging(log_format: str) -> None:
    root = logging.getLogger()
    if not root.handlers:
        root.addHandler(logging.StreamHandler())
    root.setLevel(logging.INFO)
    for handler in root.handlers:
        handler.setFormatter(JsonFormatter() if log_format == 'json' else logging.Formatter(
            '%(asctime)s %(levelname)s %(name)s: %(message)s'))
    logging.getLogger('spiff').setLevel(logging.WARNING)  # it logs every task state change
    logging.getLogger('mail.log').setLevel(logging.WARNING)  # the catcher logs each connection


class SqlCost:
    """Counts statements and commits made while it is active (per request or per job)."""

    def __enter__(self):
        self.counts = [0, 0]
        self._token = _cost.set(self.counts)
        return self

    def __exit__(self, *exc):
        _cost.reset(self._token)

    @property
    def statements(self):
        return self.counts[0]

    @property
    def commits(self):
        return self.counts[1]


def count_sql(engine) -> None:
    def statement(*args):
        counts = _cost.get()
        if counts is not None:
            counts[0] += 1

    def commit(*args):
        counts = _cost.get()
        if counts is not None:
            counts[1] += 1
    event.listen(engine, 'before_cursor_execute', statement)
    event.listen(engine, 'commit', commit)


def init_request_logging(app) -> None:
    @app.before_request
    def _start():
        g.request_id = request.headers.get('X-Request-Id') or uuid.uuid4().hex[:16]
        g.sql_cost = SqlCost().__enter__()
        g.started, g.cpu_started = time.perf_counter(), time.thread_time()

    @app.after_request
    def _finish(response):
        cost = g.pop('sql_cost', None)
        if cost is None:
            return response
        cost.__exit__()
        elapsed = (time.perf_counter() - g.started) * 1000
        cpu = (time.thread_time() - g.cpu_started) * 1000
        response.headers['Server-Timing'] = (
            f'app;dur={elapsed:.2f}, cpu;dur={cpu:.2f}, '
            f'sql;desc="statements={cost.statements} commits={cost.commits}"')
        response.headers['X-Request-Id'] = g.request_id
        if not request.path.startswith('/static/'):
            access_log.info('%s %s %s', request.method, request.path, response.status_code, extra=dict(
                request_id=g.request_id, method=request.method, path=request.path,
                status=response.status_code, duration_ms=round(elapsed, 2), cpu_ms=round(cpu, 2),
                sql_statements=cost.statements, sql_commits=cost.commits))
        return response
