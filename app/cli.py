"""The `pqrsf` command: deploy and validate diagrams, run workers, move the demo clock, run it all."""
import json
import os
import sys
import threading
import time

import click

from app.accounts.cli import users
from app.engine.clock import ClockLocked, clock, parse_delta
from app.engine.errors import DeployRefused, EngineError


def _app():
    from app import create_app
    return create_app()


def _with_engine(action):
    """Run `action(engine)` in an app context; engine errors become a clean CLI error."""
    app = _app()
    with app.app_context():
        from app.platform.engines import get_engine
        try:
            return action(get_engine())
        except EngineError as error:
            raise click.ClickException(error.message)


@click.group(help='PQRSF sobre BPMN: despliegue de procesos, workers y utilidades.')
def main():
    pass


# ---- database ------------------------------------------------------------------------------

@main.group(help='Base de datos.')
def db():
    pass


@db.command('upgrade', help='Aplica las migraciones pendientes de la base de datos.')
def db_upgrade():
    app = _app()
    with app.app_context():
        upgrade_database(quiet=False)
    click.echo('Base de datos al día.')


def upgrade_database(quiet=True):
    """Apply pending migrations; `quiet` (an upgrade on the way to something else) does not list them."""
    import flask_migrate
    flask_migrate.upgrade(x_arg=['quiet=1'] if quiet else None)


# ---- diagrams --------------------------------------------------------------------------------

def _documents(paths):
    from app.engine.lint import read_documents
    try:
        return read_documents(paths)
    except OSError as error:
        raise click.ClickException(f'No se pudo leer {error.filename}: {error.strerror}')


@main.command(help='Revisa diagramas BPMN sin desplegarlos (una línea por problema).')
@click.argument('paths', nargs=-1, required=True, type=click.Path())
def validate(paths):
    app = _app()
    with app.app_context():
        upgrade_database()  # forms edited in the browser live in the database
        documents = _documents(paths)
        from app.engine.lint import errors
        from app.processes.deploy import make_linter
        problems = make_linter().lint(documents)
    for problem in problems:
        click.echo(str(problem))
    if errors(problems):
        sys.exit(1)
    click.echo(f'{len(documents)} archivo(s) sin errores.' if problems
               else f'{len(documents)} archivo(s) sin problemas.')


@main.command(help='Despliega diagramas (por defecto la carpeta processes/); rechaza los inválidos.')
@click.argument('paths', nargs=-1, type=click.Path())
@click.option('--actor', default='cli', help='Quién despliega (queda en la versión).')
def deploy(paths, actor):
    app = _app()
    with app.app_context():
        from app.processes.deploy import deploy_documents
        upgrade_database()
        documents = _documents(paths or [app.config['PROCESSES_DIR']])
        try:
            results = deploy_documents(documents=documents, actor=actor).results
        except DeployRefused as refused:
            for problem in refused.problems:
                click.echo(str(problem), err=True)
            click.echo(refused.message, err=True)
            sys.exit(1)
    for result in results:
        status = 'nueva versión' if result.created else 'sin cambios'
        click.echo(f'{result.process_id} v{result.version} ({status}) {result.content_hash[:12]}')
    if not results:
        click.echo('No había diagramas que desplegar.')


@main.command(help='Escribe en archivos los diagramas y formularios vigentes de la base de datos.')
@click.option('--processes', 'processes_dir', type=click.Path(file_okay=False), default=None,
              help='Carpeta de diagramas (por defecto la configurada).')
@click.option('--forms', 'forms_dir', type=click.Path(file_okay=False), default=None,
              help='Carpeta de formularios (por defecto la primera configurada).')
def export(processes_dir, forms_dir):
    from app.processes.exporting import export_current
    app = _app()
    with app.app_context():
        written = export_current(processes_dir or app.config['PROCESSES_DIR'],
                                 forms_dir or app.config['FORMS_DIRS'][0])
    for path in written:
        click.echo(path)
    click.echo(f'{len(written)} archivo(s) escritos.')


# ---- cases -----------------------------------------------------------------------------------

@main.group(help='Casos.')
def cases():
    pass


@cases.command('start', help='Inicia un caso del proceso dado.')
@click.argument('process_id')
@click.option('--data', default='{}', help='Datos iniciales en JSON.')
@click.option('--actor', default='cli')
def cases_start(process_id, data, actor):
    case = _with_engine(lambda engine: engine.start_case(process_id, json.loads(data), actor).case)
    click.echo(f'Caso {case.id} iniciado ({case.state}).')


@main.group(help='Incidentes.')
def incidents():
    pass


@incidents.command('list', help='Incidentes abiertos.')
def incidents_list():
    from sqlalchemy import select

    from app.engine.models import Incident
    from app.platform.extensions import db as database
    app = _app()
    with app.app_context():
        rows = database.session.scalars(select(Incident).where(Incident.resolved_at.is_(None))
                                        .order_by(Incident.id)).all()
        for row in rows:
            click.echo(f'#{row.id} caso {row.case_id} {row.element_id or "-"}: {row.message}')
        if not rows:
            click.echo('No hay incidentes abiertos.')


@incidents.command('retry', help='Reintenta el trabajo de un incidente.')
@click.argument('incident_id', type=int)
@click.option('--actor', default='cli')
def incidents_retry(incident_id, actor):
    _with_engine(lambda engine: engine.retry_incident(incident_id, actor))
    click.echo(f'Incidente {incident_id} reintentado.')


# ---- timers and clock ------------------------------------------------------------------------

@main.group(help='Temporizadores.')
def timers():
    pass


@timers.command('sweep', help='Encola todo trabajo vencido que no se haya recogido a tiempo.')
@click.option('--grace', type=float, default=None, help='Segundos de gracia (por defecto la configuración).')
def timers_sweep(grace):
    from app import jobs
    jobs.use_app(_app())
    click.echo(f'{jobs.sweep(grace)} trabajo(s) encolado(s).')


@main.group(help='Reloj del motor (solo fuera de producción).')
def clock_group():
    pass


main.add_command(clock_group, 'clock')


@clock_group.command('show', help='Hora del motor.')
def clock_show():
    from app.platform.extensions import db as database
    app = _app()
    with app.app_context():
        clock.refresh(database.session)
    click.echo(f'{clock.now().isoformat()} (desfase {clock.offset})')


@clock_group.command('advance', help='Adelanta el reloj (p. ej. 3d, 12h, 1d6h) y dispara lo vencido.')
@click.argument('delta')
@click.option('--inline', is_flag=True, help='Ejecuta aquí los trabajos vencidos, sin worker.')
def clock_advance(delta, inline):
    from app import jobs
    from app.platform.extensions import db as database
    try:
        amount = parse_delta(delta)
    except ValueError as error:
        raise click.BadParameter(str(error))
    app = _app()
    jobs.use_app(app)
    with app.app_context():
        try:
            now = clock.advance(database.session, amount)
        except ClockLocked as error:
            raise click.ClickException(str(error))
        database.session.commit()
    if inline:
        ran = jobs.drain()
        click.echo(f'Reloj en {now.isoformat()}; {ran} trabajo(s) ejecutado(s).')
    else:
        click.echo(f'Reloj en {now.isoformat()}; {jobs.sweep(0, kinds=("timer",))} temporizador(es) encolado(s).')


@main.group(help='Auditoría.')
def audit():
    pass


@audit.command('verify', help='Comprueba la cadena de huellas de la historia de cada caso.')
@click.option('--case', 'case_ref', default=None, help='Solo este caso (id o radicado).')
def audit_verify(case_ref):
    from sqlalchemy import select

    from app.engine.audit import verify
    from app.engine.models import Case
    from app.platform.extensions import db as database
    app = _app()
    with app.app_context():
        case_id = None
        if case_ref:
            case_id = database.session.scalar(select(Case.id).where(
                (Case.reference == case_ref) | (Case.id == (int(case_ref) if case_ref.isdigit() else -1))))
            if case_id is None:
                raise click.ClickException(f'No existe el caso {case_ref}.')
        breaks = verify(database.session, case_id)
    for item in breaks:
        click.echo(f'ROTA: {item}', err=True)
    if breaks:
        sys.exit(1)
    click.echo('Historia íntegra: ninguna cadena rota.')


main.add_command(users)


@main.command(help='Crea los usuarios de demostración (uno por rol) si no existen.')
def demo():
    from app.accounts.demo import DEMO_PASSWORD, ensure_demo_users
    app = _app()
    with app.app_context():
        created = ensure_demo_users()
    for username, roles in created:
        click.echo(f"  {username:12} {DEMO_PASSWORD}  ({', '.join(roles)})")


@main.group('calendar', help='Calendario de días hábiles.')
def calendar_group():
    pass


@calendar_group.command('add', help='Añade un día no hábil (AAAA-MM-DD) además de los festivos.')
@click.argument('day', type=click.DateTime(formats=['%Y-%m-%d']))
@click.argument('description')
def calendar_add(day, description):
    from app.engine.models import NonWorkingDay
    from app.platform.extensions import db as database
    app = _app()
    with app.app_context():
        database.session.merge(NonWorkingDay(day=day.date(), description=description))
        database.session.commit()
    click.echo(f'{day.date()} no hábil: {description}')


@calendar_group.command('show', help='Festivos y días no hábiles de un año.')
@click.argument('year', type=int)
def calendar_show(year):
    from datetime import date, timedelta
    app = _app()
    with app.app_context():
        from app.platform.engines import calendar
        business = calendar()
        day = date(year, 1, 1)
        while day.year == year:
            if day.weekday() not in business.weekend and not business.is_business_day(day):
                reason = business.holiday_name(day) or 'día no hábil añadido'
                click.echo(f'{day.isoformat()} {reason}')
            day += timedelta(days=1)


# ---- processes to run ------------------------------------------------------------------------

@main.command(help='Worker de RQ (con planificador) que ejecuta tareas de servicio y temporizadores.')
@click.option('--burst', is_flag=True, help='Termina cuando la cola quede vacía.')
@click.option('--fork', is_flag=True, help='Un proceso por trabajo (Worker de RQ) en vez de SimpleWorker.')
@click.option('--pool', type=int, default=0,
              help='N procesos SimpleWorker vigilados por un proceso padre que reinicia al que muera.')
def worker(burst, fork, pool):
    from rq import SimpleWorker, Worker
    from rq.worker_pool import WorkerPool

    from app import jobs
    from app.platform.queue import connect, worker_queues
    app = _app()
    jobs.use_app(app)
    connection = connect(app.config)
    worker_class = Worker if fork else SimpleWorker
    if not burst:
        _start_sweeper(app.config['SWEEP_INTERVAL_SECONDS'])
    if pool:
        WorkerPool(worker_queues(app.config, connection), connection=connection, num_workers=pool,
                   worker_class=worker_class).start(burst=burst, logging_level='INFO')
        return
    if not fork:  # a forked job process could not use this process's children
        from app.engine import sandbox
        sandbox.default.warm(1)
    rq_worker = worker_class(worker_queues(app.config, connection), connection=connection)
    rq_worker.work(burst=burst, with_scheduler=True, logging_level='INFO')


def _start_sweeper(interval: float) -> None:
    """Periodic sweep beside the worker: re-enqueue anything due that Redis lost."""
    from app import jobs

    def loop():
        while True:
            time.sleep(interval)
            try:
                jobs.sweep()
            except Exception as error:  # keep sweeping through a database or Redis outage
                click.echo(f'sweep failed: {error}', err=True)

    threading.Thread(target=loop, name='pqrsf-sweeper', daemon=True).start()


@main.command('mail-in', help='Buzón de entrada SMTP: guarda cada correo recibido y encola su proceso.')
@click.option('--host', default=None, help='Dirección (por defecto PQRSF_INBOUND_SMTP_HOST).')
@click.option('--port', type=int, default=None, help='Puerto (por defecto PQRSF_INBOUND_SMTP_PORT; 0: uno libre).')
def mail_in(host, port):
    import signal
    from app.inbound.mailbox import Mailbox
    app = _app()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with Mailbox(app, host=host, port=port) as box:
        click.echo(f'Buzón de entrada en {box.host}:{box.port}')
        try:
            stop.wait()
        except KeyboardInterrupt:
            pass


@main.command(help='Arranca el producto completo (web, worker, Redis y correo embebidos).')
@click.option('--host', default='127.0.0.1')
@click.option('--port', default=lambda: int(os.environ.get('PORT', 5000)), type=int)
def run(host, port):
    from app.platform.devserver import run_embedded
    run_embedded(host, port)


if __name__ == '__main__':
    main()
