"""Values across the sandbox's process boundary, as JSON with tags for the non-JSON types.

JSON and not pickle: what comes back from the child was produced by untrusted text, and
unpickling it could run code in the server. Only plain data crosses: None, bool, int, float,
str, list, tuple, dict, set, and the date and time types. Anything else is refused by name.

This module imports only the standard library: the sandbox's child process loads it on its own.
"""
import json
from datetime import date, datetime, time, timedelta

TAG = '$sandbox'


class Unencodable(TypeError):
    """A value of a type that cannot cross (a function, a generator, a module...)."""


def _tag(kind, value):
    return {TAG: kind, 'v': value}


def to_plain(value, path='valor'):
    """`value` as JSON-ready data; raises Unencodable naming where the bad value sits."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, list):
        return [to_plain(item, f'{path}[{i}]') for i, item in enumerate(value)]
    if isinstance(value, dict):
        if all(isinstance(k, str) for k in value) and TAG not in value:
            return {k: to_plain(v, f'{path}[{k!r}]') for k, v in value.items()}
        return _tag('dict', [[to_plain(k, path), to_plain(v, f'{path}[{k!r}]')]
                             for k, v in value.items()])
    if isinstance(value, tuple):
        return _tag('tuple', [to_plain(item, f'{path}[{i}]') for i, item in enumerate(value)])
    if isinstance(value, (set, frozenset)):
        return _tag('set', [to_plain(item, path) for item in value])
    if isinstance(value, datetime):
        return _tag('datetime', value.isoformat())
    if isinstance(value, date):
        return _tag('date', value.isoformat())
    if isinstance(value, time):
        return _tag('time', value.isoformat())
    if isinstance(value, timedelta):
        return _tag('timedelta', [value.days, value.seconds, value.microseconds])
    raise Unencodable(f'{path} es de tipo {type(value).__name__}, que no se puede guardar en el caso')


_DECODERS = {
    'dict': lambda v: {from_plain(k): from_plain(x) for k, x in v},
    'tuple': lambda v: tuple(from_plain(x) for x in v),
    'set': lambda v: {from_plain(x) for x in v},
    'datetime': datetime.fromisoformat,
    'date': date.fromisoformat,
    'time': time.fromisoformat,
    'timedelta': lambda v: timedelta(days=v[0], seconds=v[1], microseconds=v[2]),
}


def from_plain(value):
    """The inverse of `to_plain`."""
    if isinstance(value, list):
        return [from_plain(item) for item in value]
    if isinstance(value, dict):
        if TAG in value:
            return _DECODERS[value[TAG]](value['v'])
        return {k: from_plain(v) for k, v in value.items()}
    return value


def dumps(message: dict) -> bytes:
    """One message as a line of JSON (JSON escapes newlines inside strings)."""
    return json.dumps(message, ensure_ascii=False, separators=(',', ':')).encode('utf-8') + b'\n'


def loads(line: bytes) -> dict:
    return json.loads(line.decode('utf-8'))

