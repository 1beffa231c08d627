"""The migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from app.extensions import db


def test_migrations_match_the_models(any_app):
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={'compare_type': False})
        differences = compare_metadata(context, db.metadata)
    assert differences == [], f'models and migrations differ; add a migration: {differences}'
