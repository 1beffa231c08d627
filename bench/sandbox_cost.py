"""What the sandbox costs: one evaluation of a diagram's condition in the child process against
the same compiled expression run by `eval` in this process (the baseline, measured in the same
run), and the CPU of whole in-memory PQRSF cases, this process and the sandbox's children.

    python bench/sandbox_cost.py [--evaluations 2000] [--cases 30]

Needs no database: the in-memory cases are `in_memory.run_cases`.
"""
import argparse
import os
import statistics
import time
from datetime import datetime, timezone

from scratch import ROOT  # noqa: F401  (puts the project on sys.path)

CALENDAR = {'country': 'CO', 'subdivision': None, 'time_zone': 'America/Bogota', 'weekend': [5, 6],
            'extra_days': []}
CONDITION = "client_answer['decision'] == 'accept' and case_type != 'F'"
DATA = {'client_answer': {'decision': 'accept', 'comment': ''}, 'case_type': 'Q',
        'client_name': 'Marta Gómez', 'description': 'x' * 400, 'answer_due': '2026-12-15T04:59:59+00:00'}


def _per_call(function, count) -> float:
    samples = []
    for _ in range(5):
        started = time.perf_counter()
        for _ in range(count // 5):
            function()
        samples.append((time.perf_counter() - started) / (count // 5))
    return statistics.median(samples)


def children_cpu(pool) -> float:
    """CPU seconds (user + system) of the pool's live children, read from /proc."""
    ticks = os.sysconf('SC_CLK_TCK')
    total = 0
    for child in list(pool._idle):
        with open(f'/proc/{child.process.pid}/stat') as handle:
            fields = handle.read().rsplit(')', 1)[1].split()
        total += int(fields[11]) + int(fields[12])
    return total / ticks


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--evaluations', type=int, default=2000)
    parser.add_argument('--cases', type=int, default=30)
    args = parser.parse_args()
    from app.engine.sandbox import default, rules
    now = datetime.now(timezone.utc)
    code = rules.checked(CONDITION, 'eval')
    default.evaluate(CONDITION, DATA, now, CALENDAR)  # the child's start is not an evaluation
    inline = _per_call(lambda: eval(code, {'__builtins__': {}, **DATA}), args.evaluations)
    boxed = _per_call(lambda: default.evaluate(CONDITION, DATA, now, CALENDAR), args.evaluations)
    print(f'one condition, eval in this process: {inline * 1e6:8.1f} µs (baseline)')
    print(f'one condition, in the sandbox:       {boxed * 1e6:8.1f} µs ({boxed / inline:.0f}× the baseline)')

    import in_memory
    cpu, child_cpu = time.process_time(), children_cpu(default)
    result = in_memory.run_cases(args.cases)
    cpu, child_cpu = time.process_time() - cpu, children_cpu(default) - child_cpu
    print(f'in-memory PQRSF cases: {result["cases_per_second"]:.1f} cases/s, '
          f'{cpu / args.cases * 1000:.1f} ms CPU per case here + '
          f'{child_cpu / args.cases * 1000:.1f} ms in the sandbox children')


if __name__ == '__main__':
    main()
