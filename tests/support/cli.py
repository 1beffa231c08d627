"""Running the `pqrsf` command as an operator does: in a separate process, from the checkout."""
import os
import subprocess
import sys

from tests.support.flow import ROOT


def pqrsf(*args, env=None, **kwargs):
    environment = dict(os.environ, PYTHONPATH=str(ROOT), **(env or {}))
    return subprocess.run([sys.executable, '-m', 'app.cli', *args], cwd=ROOT, env=environment,
                          capture_output=True, text=True, timeout=120, **kwargs)
