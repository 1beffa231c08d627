"""A database of its own for one benchmark run: a temporary SQLite file, or, when DATABASE_URL
names a PostgreSQL server, a temporary database created there and dropped afterwards. With
PQRSF_BENCH_KEEP set, the database and the instance folder (the web and worker logs) are kept to
look at; otherwise both go."""
import contextlib
import os
import shutil
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

# The product under measure: this checkout, or another one (bench/compare.py runs these same
# drivers against the product of another commit).
ROOT = Path(os.environ.get('PQRSF_BENCH_PRODUCT') or Path(__file__).resolve().parent.parent)
BENCH = Path(__file__).resolve().parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def admin(url, statement):
    import psycopg
    with psycopg.connect(url.replace('postgresql+psycopg://', 'postgresql://'), autocommit=True) as conn:
        conn.execute(statement)


@contextlib.contextmanager
def scratch_database(label: str, forms_dir=None):
    """Point DATABASE_URL and PQRSF_INSTANCE at a fresh database; yields the instance folder."""
    instance = tempfile.mkdtemp(prefix=f'pqrsf-{label}-')
    server = os.environ.get('DATABASE_URL', '')
    scratch = None
    if server.startswith('postgres'):
        scratch = f'pqrsf_{label}_{os.getpid()}'
        admin(server, f'CREATE DATABASE {scratch}')
        os.environ['DATABASE_URL'] = urlunsplit(urlsplit(server)._replace(path=f'/{scratch}'))
    else:
        os.environ['DATABASE_URL'] = f'sqlite:///{instance}/bench.db'
    os.environ['PQRSF_INSTANCE'] = instance
    if forms_dir:
        os.environ['PQRSF_FORMS_DIRS'] = str(forms_dir)
    try:
        yield Path(instance)
    finally:
        os.environ['DATABASE_URL'] = server
        if os.environ.get('PQRSF_BENCH_KEEP'):
            print(f'kept database {scratch or "(SQLite)"} and folder {instance} (PQRSF_BENCH_KEEP)')
        else:
            if scratch:
                admin(server, f'DROP DATABASE IF EXISTS {scratch} WITH (FORCE)')
            shutil.rmtree(instance, ignore_errors=True)


def database_kind() -> str:
    return os.environ['DATABASE_URL'].split(':')[0].split('+')[0]
