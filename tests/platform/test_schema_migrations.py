"""The migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from app.platform.extensions import db


def test_migrations_match_the_models(any_app):
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={'compare_type': False})
        differences = compare_metadata(context, db.metadata)
    assert differences == [], f'models and migrations differ; add a migration: {differences}'


def test_case_workflows_are_compressed_with_lz4_on_postgresql(pg_app):
    """Each step rewrites the workflow: lz4 compresses it for a fraction of pglz's cost."""
    from app.engine.models import Case
    from tests.support import flow
    method = db.session.scalar(db.text(
        "SELECT attcompression FROM pg_attribute WHERE attrelid = '\"case\"'::regclass "
        "AND attname = 'workflow'"))
    assert method == 'l'
    flow.deploy('loop.bpmn')
    case_id = flow.start('loop', {'i': 0, 'n': 2, 'note': 'texto de relleno ' * 400})
    assert flow.read(lambda s: s.scalar(db.text(
        'SELECT pg_column_compression(workflow) FROM "case" WHERE id = :id'), {'id': case_id})) == 'lz4'
    assert flow.read(lambda s: len(s.get(Case, case_id).workflow)) > 4000
