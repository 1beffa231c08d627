"""PQRSF case handling on BPMN.

The application is put together in `app.factory` (the composition root). It is imported on the
first call, not here, so that importing a part that needs no web framework (`app.engine`) does
not load Flask and the whole site with it.
"""


def create_app(overrides: dict | None = None):
    """The Flask application (see `app.factory.create_app`)."""
    from app.factory import create_app as build
    return build(overrides)
