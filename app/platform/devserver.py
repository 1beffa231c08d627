"""`pqrsf run`: the whole product on one machine with nothing installed but Python.

Starts (when not configured otherwise) an embedded Redis and a mail catcher, creates the
tables, deploys `processes/`, starts one worker process, and serves the web app.
"""
import os
import signal
import subprocess
import sys

import click


def run_embedded(host: str, port: int) -> None:
    from app import create_app
    from app.platform.headers import RequestHandler
    from app.platform.queue import redis_url

    app = create_app()
    env = dict(os.environ, PQRSF_INSTANCE=app.instance_path)
    env['REDIS_URL'] = redis_url(app.config)
    catcher = None
    if not app.config['SMTP_HOST']:
        from app.platform.mailcatcher import MailCatcher
        folder = os.path.join(app.instance_path, 'mail')
        catcher = MailCatcher(port=app.config['SMTP_PORT'], folder=folder).start()
        env['SMTP_HOST'], env['SMTP_PORT'] = '127.0.0.1', str(catcher.port)
        os.environ.update(SMTP_HOST=env['SMTP_HOST'], SMTP_PORT=env['SMTP_PORT'])
        app.config.update(SMTP_HOST='127.0.0.1', SMTP_PORT=catcher.port)

    # `make run` stopped with SIGTERM must still stop the worker and the mail catcher
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    cli = [sys.executable, '-m', 'app.cli']
    subprocess.run(cli + ['deploy'], env=env, check=True)
    click.echo('\n  Usuarios de demostración (usuario, contraseña, roles):')
    subprocess.run(cli + ['demo'], env=env, check=True)
    worker = subprocess.Popen(cli + ['worker'], env=env)
    click.echo(f'\n  PQRSF en marcha: abra http://{host}:{port}  (público: /radicar, personal: /ingresar)\n'
               f'  Correo de prueba guardado en {os.path.join(app.instance_path, "mail")}\n')
    try:
        app.config['REDIS_URL'] = env['REDIS_URL']
        app.run(host=host, port=port, use_reloader=False, threaded=True, request_handler=RequestHandler)
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=10)
        if catcher:
            catcher.stop()
