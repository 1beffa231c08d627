"""WSGI entry point for gunicorn: `gunicorn app.wsgi:app`."""
from app import create_app
from app.engine import sandbox

app = create_app()
sandbox.default.warm(app.config['SANDBOX_WARM_CHILDREN'])  # one per thread of a gthread worker
