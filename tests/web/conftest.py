"""Fixtures shared by the web tests."""
import pytest

from tests.support.pqrsf import deploy_processes
from tests.support.web import demo_users


@pytest.fixture
def site(app, mailbox):
    """The app with the shipped processes deployed and the demo users created."""
    deploy_processes()
    demo_users()
    app.config['PUBLIC_BASE_URL'] = 'http://localhost'
    return app
