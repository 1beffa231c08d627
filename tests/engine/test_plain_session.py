"""The engine needs no Flask: it runs on a plain SQLAlchemy session over its own tables, and
importing it loads no web framework."""
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from app.engine import models
from app.engine.business_days import BusinessCalendar
from app.engine.database import configure_engine
from app.engine.deployment import deploy
from app.engine.lint import Linter, read_documents
from app.engine.models import Base, Case, Event, HumanTask
from app.engine.runtime import Engine
from app.engine.specs import SpecLibrary

ROOT = Path(__file__).resolve().parents[2]
DIAGRAM = ROOT / 'tests' / 'diagrams' / 'one_review.bpmn'
# the engine's own tables only: the metadata also holds the app's once their models are imported
ENGINE_TABLES = [mapper.local_table for mapper in Base.registry.mappers
                 if mapper.class_.__module__ == models.__name__]


@pytest.fixture
def session(tmp_path):
    bind = create_engine(f"sqlite:///{tmp_path / 'engine.db'}")
    configure_engine(bind)
    Base.metadata.create_all(bind, tables=ENGINE_TABLES)
    with Session(bind) as session:
        yield session
    bind.dispose()


def test_a_case_runs_on_a_plain_session_without_an_app(session):
    deployed = deploy(session, read_documents([DIAGRAM]), Linter())
    engine = Engine(session, SpecLibrary(), BusinessCalendar())

    started = engine.start_case(deployed[0].process_id, {'asunto': 'prueba'}, actor='ana')
    task = session.scalars(select(HumanTask).where(HumanTask.case_id == started.case.id)).one()
    assert (task.state, task.name) == ('open', 'Revisar')
    assert [t.id for t in started.opened] == [task.id]  # the step says what it opened

    done = engine.complete_task(task.id, {'aprobado': True}, 'ana')
    case = done.case
    assert done.state == 'completed' and done.closed == [task.id] and done.committed
    session.refresh(task)
    assert (task.state, task.completed_by) == ('completed', 'ana')
    kinds = session.scalars(select(Event.kind).where(Event.case_id == case.id).order_by(Event.id)).all()
    assert kinds[0] == 'case_started' and kinds[-1] == 'case_completed'
    assert 'task_completed' in kinds


def test_an_uncommitted_step_waits_for_the_caller_and_queues_nothing_before(session):
    """With commit=False the caller writes its rows in the step's transaction; nothing is
    committed nor queued until it calls commit, and a rollback leaves no trace."""
    deploy(session, read_documents([ROOT / 'tests' / 'diagrams' / 'durable_steps.bpmn']), Linter())
    queued = []
    engine = Engine(session, SpecLibrary(), BusinessCalendar(), dispatch=queued.extend)
    process_id = session.scalars(select(models.ProcessVersion.process_id)).first()

    data = {'slow_seconds': 0}
    dropped = engine.start_case(process_id, data, actor='ana', commit=False)
    assert not dropped.committed and queued == []
    session.rollback()
    assert session.scalars(select(Case)).all() == []

    kept = engine.start_case(process_id, data, actor='ana', commit=False)
    assert queued == []
    engine.commit(kept)
    assert kept.committed and kept.jobs and queued == kept.jobs
    assert session.scalars(select(Case.id)).all() == [kept.case.id]


def test_importing_the_engine_loads_no_web_framework():
    every_module = ('import pkgutil, importlib, sys, app.engine\n'
                    'for m in pkgutil.walk_packages(app.engine.__path__, "app.engine."):\n'
                    '    importlib.import_module(m.name)\n'
                    'print(sorted({n.split(".")[0] for n in sys.modules} & '
                    '{"flask", "werkzeug", "flask_sqlalchemy", "flask_babel", "flask_login", "handlers"}))\n'
                    'print(sorted(n for n in sys.modules if n.startswith("app.") '
                    'and not n.startswith("app.engine")))\n')
    result = subprocess.run([sys.executable, '-c', every_module], cwd=ROOT, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split('\n')[:2] == ['[]', '[]']
