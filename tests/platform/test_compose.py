"""docker-compose.yml is valid and describes the production shape; checked with the real
`docker-compose config` (CI installs it)."""
import shutil
import subprocess

import pytest

from tests.support.flow import ROOT

COMPOSE = shutil.which('docker-compose')
pytestmark = pytest.mark.skipif(COMPOSE is None, reason='docker-compose no está instalado (CI lo instala)')


def _config(env):
    return subprocess.run([COMPOSE, 'config'], cwd=ROOT, env={'PATH': '/usr/bin:/bin', **env},
                          capture_output=True, text=True, timeout=60)


def test_compose_file_validates_and_has_the_production_services():
    result = _config({'SECRET_KEY': 'ci-secret'})
    assert result.returncode == 0, result.stderr
    rendered = result.stdout
    for service in ('postgres:', 'redis:', 'deploy:', 'web:', 'worker:'):
        assert f'\n  {service}' in rendered, service
    assert 'pqrsf db upgrade && pqrsf deploy' in rendered and 'service_completed_successfully' in rendered
    assert '--appendonly' in rendered and 'gunicorn' in rendered and 'PQRSF_ENV: production' in rendered


def test_compose_refuses_to_run_without_a_secret_key():
    result = _config({})
    assert result.returncode != 0 and 'SECRET_KEY' in result.stderr
