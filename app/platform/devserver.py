"""`pqrsf run`: the whole product on one machine with nothing installed but Python.

Starts (when not configured otherwise) an embedded Redis and a mail catcher, creates the
tables, deploys `processes/`, starts one worker process and the inbound mailbox, and serves the
web app. SIGTERM stops
it as Ctrl-C does: worker, mail catcher and embedded Redis included; what a killed run left
running is stopped by the next one (`leftovers`).
"""
import os
import signal
import socket
import subprocess
import sys

import click

from app.platform import leftovers

MAIL_FOLDER = 'mail'


def run_embedded(host: str, port: int) -> None:
    leftovers.die_with_parent()  # `make run` stopped: this run stops too
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    _refuse_taken_port(host, port)
    from app import create_app
    app = create_app()
    stopped = leftovers.stop_leftovers(app.instance_path)
    if stopped:
        click.echo(f'  Se detuvieron procesos de una ejecución anterior: {", ".join(map(str, stopped))}')
    env = dict(os.environ, PQRSF_INSTANCE=app.instance_path)
    if not os.environ.get('PQRSF_PUBLIC_BASE_URL'):  # the links in emails point where we serve
        public = f'http://{"127.0.0.1" if host in ("0.0.0.0", "::") else host}:{port}'
        env['PQRSF_PUBLIC_BASE_URL'] = public
        app.config['PUBLIC_BASE_URL'] = public
    catcher = None
    try:
        catcher = _mail_catcher(app, env)
        _serve(app, env, host, port)
    finally:
        _stop(app, catcher)
        leftovers.forget(app.instance_path)


def _serve(app, env, host, port) -> None:
    """Deploy, create the demo users, start the worker and serve until stopped."""
    from app.platform.headers import RequestHandler
    from app.platform.queue import embedded_pid, redis_url
    env['REDIS_URL'] = redis_url(app.config)
    app.config['REDIS_URL'] = env['REDIS_URL']
    cli = [sys.executable, '-m', 'app.cli']
    subprocess.run(cli + ['deploy'], env=env, check=True)
    click.echo('\n  Usuarios de demostración (usuario, contraseña, roles):')
    subprocess.run(cli + ['demo'], env=env, check=True)
    worker = subprocess.Popen(cli + ['worker'], env=env, preexec_fn=leftovers.die_with_parent)
    leftovers.record(app.instance_path, [worker.pid, *filter(None, [embedded_pid(app.config)])])
    mailbox = _mailbox(app)
    click.echo(f'\n  PQRSF en marcha: abra http://{host}:{port}  (público: /radicar, personal: /ingresar)\n'
               f'  Correo de prueba guardado en {os.path.join(app.instance_path, MAIL_FOLDER)}\n'
               f'  Buzón de entrada (correo de clientes): 127.0.0.1:{mailbox.port}\n')
    try:
        app.run(host=host, port=port, use_reloader=False, threaded=True, request_handler=RequestHandler)
    finally:
        mailbox.stop()
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=10)
        except subprocess.TimeoutExpired:
            worker.kill()


def _mail_catcher(app, env):
    """The local mail catcher, on SMTP_PORT or, when another program holds it (a second
    checkout, MailHog, Mailpit), on a free port, saying which; None when SMTP is configured."""
    if app.config['SMTP_HOST']:
        return None
    from app.platform.mailcatcher import MailCatcher
    folder = os.path.join(app.instance_path, MAIL_FOLDER)
    wanted = app.config['SMTP_PORT']
    try:
        catcher = MailCatcher(port=wanted, folder=folder).start()
    except OSError:
        catcher = MailCatcher(port=0, folder=folder).start()
        click.echo(f'  El puerto {wanted} de correo está ocupado; el correo de prueba usa el puerto {catcher.port}.')
    env['SMTP_HOST'], env['SMTP_PORT'] = '127.0.0.1', str(catcher.port)
    os.environ.update(SMTP_HOST=env['SMTP_HOST'], SMTP_PORT=env['SMTP_PORT'])
    app.config.update(SMTP_HOST='127.0.0.1', SMTP_PORT=catcher.port)
    return catcher


def _mailbox(app):
    """The inbound mailbox (app/inbound) on INBOUND_SMTP_PORT or, when it is taken, on a free
    port, saying which."""
    from app.inbound.mailbox import Mailbox
    wanted = app.config['INBOUND_SMTP_PORT']
    try:
        return Mailbox(app, port=wanted).start()
    except OSError:
        mailbox = Mailbox(app, port=0).start()
        click.echo(f'  El puerto {wanted} del buzón de entrada está ocupado; el buzón usa el puerto {mailbox.port}.')
        return mailbox


def _refuse_taken_port(host: str, port: int) -> None:
    """A clear message instead of a traceback when the web port is taken."""
    with socket.socket(socket.AF_INET6 if ':' in host else socket.AF_INET) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            raise click.ClickException(
                f'El puerto {port} ya está en uso en {host}; elija otro, por ejemplo: make run PORT={port + 1}') from None


def _stop(app, catcher) -> None:
    """The mail catcher and the embedded Redis of this run (the worker is stopped by `_serve`)."""
    if catcher:
        catcher.stop()
    from app.platform.queue import shutdown_embedded
    shutdown_embedded(app.config)
