"""WSGI entry point for gunicorn: `gunicorn app.wsgi:app`."""
from . import create_app
from .engine import sandbox

app = create_app()
sandbox.default.warm(app.config['SANDBOX_WARM_CHILDREN'])  # one per thread of a gthread worker
