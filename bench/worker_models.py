"""Which RQ worker model runs our jobs fastest: the same backlog of service calls (cases of
three `note` calls in a row) drained by two non-forking workers, two forking workers (RQ's
default: a new process per job) and a pool of two non-forking workers, on the configured
database and Redis.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres REDIS_URL=redis://127.0.0.1:6379/0 \\
        python bench/worker_models.py [--cases 200]

Prints jobs/s for each model and its ratio to the forking worker, measured in the same run.
"""
import argparse
import time

from sqlalchemy import func, select

from scratch import ROOT, database_kind, scratch_database
from stack import Stack

MODELS = [('SimpleWorker x2 (default)', 2, []), ('Worker --fork x2', 2, ['--fork']),
          ('WorkerPool --pool 2', 1, ['--pool', '2'])]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--cases', type=int, default=200)
    args = parser.parse_args()
    with scratch_database('workers') as instance:
        stack = Stack(instance, workers=0)
        stack.prepare(diagrams=(ROOT / 'bench' / 'processes' / 'service_chain.bpmn',))
        results = {}
        try:
            for label, processes, options in MODELS:
                results[label] = drain(stack, args.cases, processes, options)
        finally:
            stack.stop()
    baseline = results['Worker --fork x2']
    print(f'database: {database_kind()}; {args.cases} cases x 3 service calls per model')
    for label, rate in results.items():
        print(f'{label:28s} {rate:7.1f} jobs/s  ({rate / baseline:.1f}x the forking worker)')


def drain(stack, cases, processes, options) -> float:
    """Jobs/s from the first job done to the last (process start-up is not counted)."""
    from app.engine.models import Case, Job
    from app.platform.extensions import db
    from app.platform.engines import get_engine
    with stack.app.app_context():
        first_case = (db.session.scalar(select(func.max(Case.id))) or 0) + 1
        for _ in range(cases):
            get_engine().start_case('service_chain', {}, 'bench')  # queued, nobody working yet
        db.session.remove()
        stack.worker_args = options
        stack.workers = []
        started = time.perf_counter()
        for _ in range(processes):
            stack.start_worker()
        while db.session.scalar(select(func.count()).select_from(Case).where(Case.state == 'running')):
            db.session.rollback()
            time.sleep(0.05)
        first, last, done = db.session.execute(select(
            func.min(Job.updated_at), func.max(Job.updated_at), func.count()).where(
            Job.case_id >= first_case, Job.state == 'done')).one()
        db.session.remove()
    print(f'  {" ".join(options) or "(no options)"}: {done} jobs in {time.perf_counter() - started:.1f} s '
          'including start-up')
    for process in stack.workers:
        process.terminate()
        process.wait(20)
    return (done - 1) / (last - first).total_seconds()


if __name__ == '__main__':
    main()
