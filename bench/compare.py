"""Two commits side by side: bench/load.py (this checkout's driver) against the product of each
commit, in alternating runs, so a change is judged against its parent on the same machine state.

    DATABASE_URL=postgresql://... REDIS_URL=redis://... \\
        python bench/compare.py OLD NEW [--rounds 3] [-- --cases 100 --concurrency 12 --timers 60]

Each commit is checked out (detached) in a temporary git worktree and measured with the same
driver, which points its product root there (PQRSF_BENCH_PRODUCT). Runs go old, new, old, new…
Prints each run's figures and, per commit, the median of the rounds; the ratios are those each
run measured against its own in-memory baseline, so they hold across machine states.
"""
import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
CHECKOUT = BENCH.parent
FIGURES = {  # name -> pattern of the load.py line holding it
    'cases/s': re.compile(r'-> ([\d.]+) cases/s; errors'),
    'CPU/case x': re.compile(r'^ratio CPU per case: ([\d.]+)x', re.M),
    'completion x': re.compile(r'^ratio completion CPU: ([\d.]+)x', re.M),
    'CPU ms/case': re.compile(r'ratio CPU per case: [\d.]+x in-memory \((\d+) ms'),
    'completion ms': re.compile(r'ratio completion CPU: [\d.]+x in-memory \(([\d.]+) ms'),
    'timer p99 s': re.compile(r'timer lateness .* p99 ([\d.]+) s'),
    'errors': re.compile(r'cases/s; errors: (\d+)'),
}
for _request in ('register', 'task_list', 'case', 'complete_task', 'client_answer'):
    FIGURES[f'{_request} SQL'] = re.compile(rf'^{_request} .*\| (\d+), \d+$', re.M)
    FIGURES[f'{_request} commits'] = re.compile(rf'^{_request} .*\| \d+, (\d+)$', re.M)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('old')
    parser.add_argument('new')
    parser.add_argument('--rounds', type=int, default=3)
    argv = sys.argv[1:]
    split = argv.index('--') if '--' in argv else len(argv)
    args = parser.parse_args(argv[:split])
    args.load_args = argv[split + 1:]  # passed to load.py as they are
    folder = Path(tempfile.mkdtemp(prefix='pqrsf-compare-'))
    trees = {}
    try:
        for label, commit in (('old', args.old), ('new', args.new)):
            trees[label] = checkout(commit, folder / label)
        results = {'old': [], 'new': []}
        for round_number in range(1, args.rounds + 1):
            for label in ('old', 'new'):
                figures = run_load(trees[label], args.load_args)
                results[label].append(figures)
                print(f'round {round_number} {label:3s} ({commit_of(trees[label])}): '
                      + ', '.join(f'{name} {value:g}' for name, value in figures.items()), flush=True)
        summarize(results, {label: commit_of(tree) for label, tree in trees.items()})
    finally:
        for tree in trees.values():
            subprocess.run(['git', '-C', str(CHECKOUT), 'worktree', 'remove', '--force', str(tree)],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        shutil.rmtree(folder, ignore_errors=True)


def checkout(commit: str, where: Path) -> Path:
    subprocess.run(['git', '-C', str(CHECKOUT), 'worktree', 'add', '--detach', str(where), commit],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return where


def commit_of(tree: Path) -> str:
    return subprocess.run(['git', '-C', str(tree), 'rev-parse', '--short', 'HEAD'], check=True,
                          capture_output=True, text=True).stdout.strip()


def run_load(tree: Path, load_args) -> dict:
    """One load.py run against the product in `tree`; the figures it printed."""
    env = {**os.environ, 'PQRSF_BENCH_PRODUCT': str(tree), 'PYTHONPATH': str(tree)}
    done = subprocess.run([sys.executable, str(BENCH / 'load.py'), *load_args], env=env,
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f'load.py failed on {tree}:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}')
    figures = {}
    for name, pattern in FIGURES.items():
        found = pattern.search(done.stdout)
        if found:
            figures[name] = float(found.group(1))
    return figures


def summarize(results: dict, commits: dict):
    print(f'median of {len(results["old"])} rounds:')
    names = [name for name in FIGURES if all(name in run for runs in results.values() for run in runs)]
    for name in names:
        old = statistics.median(run[name] for run in results['old'])
        new = statistics.median(run[name] for run in results['new'])
        change = f'new/old {new / old:.2f}' if old else ''
        print(f'  {name:14s} old ({commits["old"]}) {old:8.2f}   new ({commits["new"]}) {new:8.2f}   {change}')


if __name__ == '__main__':
    main()
