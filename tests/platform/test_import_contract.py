"""Dependencies point inward: the import contracts of pyproject.toml ([tool.importlinter]) hold
on the tree, and a broken one makes `lint-imports` (run first by `make test`) fail."""
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).parent / 'lint-imports'
ENGINE_CONTRACT = 'The engine knows no area, no platform and no web framework'


def lint_imports(where: Path) -> subprocess.CompletedProcess:
    # --no-cache: the copied tree must be read as it is, not from a cache of another run
    return subprocess.run([str(LINT_IMPORTS), '--no-cache'], cwd=where, capture_output=True,
                          text=True, timeout=300)


def test_the_tree_keeps_every_contract():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert '0 broken' in result.stdout


def test_an_engine_module_importing_flask_breaks_the_engine_contract(tmp_path):
    code_only = shutil.ignore_patterns('__pycache__', 'static', 'templates', 'translations')
    for package in ('app', 'handlers'):
        shutil.copytree(ROOT / package, tmp_path / package, ignore=code_only)
    shutil.copy(ROOT / 'pyproject.toml', tmp_path)
    clock = tmp_path / 'app' / 'engine' / 'clock.py'
    clock.write_text(clock.read_text() + '\nimport flask  # noqa: E402,F401\n')

    result = lint_imports(tmp_path)

    assert result.returncode != 0
    assert f'{ENGINE_CONTRACT} BROKEN' in result.stdout
    assert 'app.engine.clock -> flask' in result.stdout
    assert '1 broken' in result.stdout
