"""Cost of one step (complete a user task: lock, load, run, project, save, commit) as a case
loops: at iteration 10 against iteration N (default 1,000), on the configured database.

    python bench/step_cost.py [--iterations 1000] [--samples 5]

Runs in a database of its own: a temporary SQLite file, or, when DATABASE_URL names a
PostgreSQL server, a temporary database created on it and dropped afterwards. Prints the median
step time around each point and their ratio; the baseline (iteration 10) is measured in the
same run.
"""
import argparse
import statistics
import time

from scratch import ROOT, database_kind, scratch_database


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--iterations', type=int, default=1000)
    parser.add_argument('--samples', type=int, default=5, help='steps measured around each point')
    args = parser.parse_args()
    with scratch_database('steps', forms_dir=ROOT / 'tests' / 'forms'):
        run(args)


def run(args):

    from sqlalchemy import select

    from app import create_app
    from app.engine.models import Case, HumanTask
    from app.platform.extensions import db
    from app.platform.engines import get_engine
    from app.processes.deploy import deploy_paths

    app = create_app()
    with app.app_context():
        import flask_migrate
        flask_migrate.upgrade()
        deploy_paths([ROOT / 'tests' / 'diagrams' / 'loop.bpmn'], 'bench')
        engine = get_engine()
        engine.dispatch = lambda jobs: None
        case_id = engine.start_case('loop', {'i': 0, 'n': args.iterations + args.samples}).case.id
        timings, sizes = {}, {}
        for iteration in range(1, args.iterations + args.samples + 1):
            task_id = db.session.scalars(select(HumanTask.id).where(
                HumanTask.case_id == case_id, HumanTask.state == 'open')).one()
            db.session.rollback()
            started = time.perf_counter()
            engine.complete_task(task_id, {'note': f'vuelta {iteration}'}, 'bench')
            timings[iteration] = time.perf_counter() - started
            if iteration in (10, args.iterations):
                sizes[iteration] = len(db.session.get(Case, case_id).workflow)
                db.session.rollback()
        state = db.session.get(Case, case_id).state

    def around(point):
        return statistics.median(timings[i] for i in range(point, point + args.samples))

    low, high = around(10), around(args.iterations)
    print(f'database: {database_kind()}')
    print(f'iterations completed: {args.iterations + args.samples} (case {state})')
    print(f'step at iteration 10:    {low * 1000:8.2f} ms  (workflow {sizes[10] / 1024:8.1f} KiB)')
    print(f'step at iteration {args.iterations}:  {high * 1000:8.2f} ms  '
          f'(workflow {sizes[args.iterations] / 1024:8.1f} KiB)')
    print(f'ratio {args.iterations}/10: {high / low:.1f}x')


if __name__ == '__main__':
    main()
