"""decision tables beside diagrams

DMN files are deployed and versioned like diagrams; each process version records the table
versions its business-rule tasks use, so running cases keep the tables they started with.

Revision ID: e5d1a0c3b7f2
Revises: b4c1e7d2a9f0
Create Date: 2026-12-02 13:50:00

"""
from alembic import op
import sqlalchemy as sa

import app.engine.models


revision = 'e5d1a0c3b7f2'
down_revision = 'b4c1e7d2a9f0'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'decision_version',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('decision_id', sa.String(length=200), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=300), nullable=True),
        sa.Column('content_hash', sa.String(length=64), nullable=False),
        sa.Column('file_name', sa.String(length=300), nullable=False),
        sa.Column('dmn_xml', sa.Text(), nullable=False),
        sa.Column('deployed_at', app.engine.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column('deployed_by', sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('decision_id', 'version'))
    with op.batch_alter_table('decision_version', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_decision_version_decision_id'), ['decision_id'], unique=False)
    with op.batch_alter_table('process_version', schema=None) as batch_op:
        batch_op.add_column(sa.Column('decision_versions', sa.JSON(), nullable=False,
                                      server_default=sa.text("'{}'")))


def downgrade():
    with op.batch_alter_table('process_version', schema=None) as batch_op:
        batch_op.drop_column('decision_versions')
    with op.batch_alter_table('decision_version', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_decision_version_decision_id'))
    op.drop_table('decision_version')
