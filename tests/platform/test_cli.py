"""The `pqrsf` command as an operator uses it, in a separate process."""
import os
import subprocess
import sys

from sqlalchemy import select

from app.engine.models import Incident, ProcessVersion
from tests.support import flow
from tests.support.cli import ROOT, pqrsf

def test_deploy_and_help_work_on_the_embedded_default(tmp_path):
    """What a fresh clone has after `make run`'s setup: no DATABASE_URL, no REDIS_URL."""
    env = {k: v for k, v in os.environ.items() if k not in ('DATABASE_URL', 'REDIS_URL')}
    env.update(PQRSF_INSTANCE=str(tmp_path / 'instance'), PYTHONPATH=str(ROOT))
    for env_key in ('PQRSF_FORMS_DIRS', 'PQRSF_HANDLER_MODULES'):
        env.pop(env_key, None)
    deployed = subprocess.run([sys.executable, '-m', 'app.cli', 'deploy'], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=120)
    assert deployed.returncode == 0, deployed.stderr
    assert (tmp_path / 'instance' / 'pqrsf.db').exists()
    again = subprocess.run([sys.executable, '-m', 'app.cli', 'deploy'], cwd=ROOT, env=env,
                           capture_output=True, text=True, timeout=120)
    assert again.returncode == 0 and 'nueva versión' not in again.stdout
    helped = subprocess.run([sys.executable, '-m', 'app.cli', '--help'], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=60)
    assert helped.returncode == 0
    for command in ('deploy', 'validate', 'worker', 'timers', 'clock', 'run'):
        assert command in helped.stdout


def test_deploy_refuses_a_broken_diagram_and_lists_every_problem(app):
    result = pqrsf('deploy', 'tests/diagrams/engine_tour.bpmn', 'tests/diagrams/broken/no_outgoing.bpmn',
                   'tests/diagrams/broken/unknown_topic.bpmn')
    assert result.returncode == 1
    assert 'no_outgoing.bpmn' in result.stderr and 'unknown_topic.bpmn' in result.stderr
    assert 'asignar' in result.stderr  # the element ids are named
    assert 'no se desplegó nada' in result.stderr
    assert flow.read(lambda s: s.scalars(select(ProcessVersion)).all()) == []


def test_deploy_then_run_a_case_with_the_cli_clock(app):
    deployed = pqrsf('deploy', 'tests/diagrams/durable_steps.bpmn')
    assert deployed.returncode == 0, deployed.stderr
    assert 'durable_steps v1 (nueva versión)' in deployed.stdout
    started = pqrsf('cases', 'start', 'durable_steps', '--data', '{"slow_seconds": 0, "failures": 0}')
    assert started.returncode == 0, started.stderr
    flow.work(app)
    assert flow.open_tasks(1) == []
    advanced = pqrsf('clock', 'advance', '2h1m', '--inline')
    assert advanced.returncode == 0, advanced.stderr
    assert flow.open_tasks(1) == ['check']
    shown = pqrsf('clock', 'show')
    assert 'desfase 2:01:00' in shown.stdout


def test_a_clock_moved_by_the_cli_is_seen_by_the_web_process_at_its_next_request(app):
    """`pqrsf clock advance` in another process: the task list, served by this one, says at once
    that the task is overdue (it used to keep the offset it had read at start)."""
    from tests.support.pqrsf import deploy_processes, register
    from tests.support.web import demo_users, login
    deploy_processes()
    demo_users()
    register(app)
    client = login(app.test_client(), 'lider')
    assert 'badge vencida' not in client.get('/tareas/').get_data(as_text=True)
    advanced = pqrsf('clock', 'advance', '30d')
    assert advanced.returncode == 0, advanced.stderr
    assert 'badge vencida' in client.get('/tareas/').get_data(as_text=True)


def test_clock_refuses_bad_durations_and_production(app):
    assert pqrsf('clock', 'advance', 'tomorrow').returncode == 2
    refused = pqrsf('clock', 'advance', '1d', env={'PQRSF_ENV': 'production', 'SECRET_KEY': 'x'})
    assert refused.returncode == 1 and 'producción' in refused.stderr


def test_incidents_can_be_listed_and_retried(app):
    flow.deploy('durable_steps.bpmn')
    case_id = flow.start('durable_steps', {'slow_seconds': 0, 'failures': 9})
    flow.work(app)
    env = {'PQRSF_JOB_MAX_ATTEMPTS': '1'}
    assert pqrsf('clock', 'advance', '2h1m', '--inline', env=env).returncode == 0
    listed = pqrsf('incidents', 'list')
    assert f'caso {case_id} flaky_call' in listed.stdout
    incident_id = flow.read(lambda s: s.scalars(select(Incident.id)).one())
    retried = pqrsf('incidents', 'retry', str(incident_id))
    assert retried.returncode == 0, retried.stderr
    assert 'No hay incidentes abiertos' in pqrsf('incidents', 'list').stdout
    assert pqrsf('incidents', 'retry', str(incident_id)).returncode == 1  # already resolved


def test_extra_non_working_days_are_added_to_the_holidays(app):
    assert pqrsf('calendar', 'add', '2026-12-24', 'Nochebuena').returncode == 0
    shown = pqrsf('calendar', 'show', '2026').stdout.splitlines()
    assert '2026-12-24 Nochebuena' not in shown  # the holiday name wins only for public holidays
    assert '2026-12-24 día no hábil añadido' in shown
    assert any(line.startswith('2026-07-13') for line in shown)  # Ley 2578/2026, moved to Monday
    from app.platform.engines import forget_calendar, calendar
    from datetime import datetime, timezone
    forget_calendar()
    wednesday = datetime(2026, 12, 23, 15, tzinfo=timezone.utc)
    assert calendar().add_business_days(wednesday, 1).day == 28  # 24 added, 25 Christmas
