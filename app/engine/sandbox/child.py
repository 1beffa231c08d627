"""The sandbox's child process: evaluates diagram text, one request per line, under kernel limits.

Started by `pool.Sandbox` as `python -I child.py`; it reads JSON requests on stdin and writes one
JSON reply per request on stdout. Each request runs
- after the allow-list check of `rules` (so text stored before a rule existed is refused too),
- with only the names of `functions` defined (no import machinery, no `open`, no modules),
- under a CPU-time timer (ITIMER_PROF, whose SIGPROF ends this process even inside one long C
  operation such as `10 ** 10 ** 9`) and an address-space limit (RLIMIT_AS: a MemoryError).
The parent sees a killed child as the end of its pipe and reports the limit; it never trusts what
comes back beyond plain JSON data.
"""
import os
import resource
import signal
import sys
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [HERE, os.path.dirname(HERE)]  # rules, codec, functions; business_days

import codec  # noqa: E402
import functions  # noqa: E402
import rules  # noqa: E402

PAGE = os.sysconf('SC_PAGE_SIZE')


def _address_space() -> int:
    with open('/proc/self/statm') as handle:
        return int(handle.read().split()[0]) * PAGE


def _line_of(error) -> int | None:
    if isinstance(error, SyntaxError):
        return error.lineno
    lines = [frame.lineno for frame in traceback.extract_tb(error.__traceback__)
             if frame.filename == '<diagrama>']
    return lines[-1] if lines else None


def _run(request: dict):
    source, mode = request['source'], request['mode']
    code = rules.checked(source, mode)
    defined = functions.names(request['calendar'])
    data = codec.from_plain(request['data'])
    functions._Now.moment = functions.ClockDatetime.fromisoformat(request['now'])
    if mode == 'eval':
        scope = {**defined, **data, '__builtins__': defined['__builtins__']}
        return {'value': codec.to_plain(eval(code, scope))}
    clash = sorted(set(data) & set(defined))
    if clash:
        raise ValueError(f"los datos del caso tapan nombres del entorno: {', '.join(clash)}; "
                         f"cambie el nombre de esas variables o campos")
    scope = {**defined, **data, '__builtins__': defined['__builtins__']}
    exec(code, scope)
    result = {k: v for k, v in scope.items()
              if k not in defined and k != '__builtins__' and not callable(v) and k not in request.get('external', ())}
    return {'data': codec.to_plain(result, 'variable')}


def _reply(request: dict, baseline: int) -> tuple[dict, bool]:
    """(reply, keep running); a MemoryError may leave the process unusable, so it ends after."""
    memory = int(request['memory'])
    resource.setrlimit(resource.RLIMIT_AS, (baseline + memory, resource.RLIM_INFINITY))
    signal.setitimer(signal.ITIMER_PROF, float(request['cpu']))
    try:
        return {'ok': True, **_run(request)}, True
    except MemoryError:
        return {'ok': False, 'kind': 'memory'}, False
    except rules.Refused as refused:
        return {'ok': False, 'kind': 'refused', 'message': str(refused),
                'line': refused.refusals[0].line}, True
    except Exception as error:  # the text's own failure: reported with its line, never raised
        return {'ok': False, 'kind': 'error', 'line': _line_of(error),
                'message': f'{type(error).__name__}: {error}'}, True
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        resource.setrlimit(resource.RLIMIT_AS, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))


def main():
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when this process ends
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing but replies on the reply pipe
    baseline = _address_space()
    for line in stdin:
        reply, keep = _reply(codec.loads(line), baseline)
        try:
            payload = codec.dumps(reply)
        except (TypeError, ValueError) as error:
            payload = codec.dumps({'ok': False, 'kind': 'error', 'message': str(error)})
        stdout.write(payload)
        stdout.flush()
        if not keep:
            return


if __name__ == '__main__':
    main()
