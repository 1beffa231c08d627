"""head of each case's history chain

The newest event hash lives on the case row, so a step chains its events without reading the
event table, and deleting the newest events is detected.

Revision ID: 5c2e8f1a9b3d
Revises: 0b7464b60c37
Create Date: 2026-11-23 09:40:00

"""
from alembic import op
import sqlalchemy as sa


revision = '5c2e8f1a9b3d'
down_revision = '0b7464b60c37'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_event_hash', sa.String(length=64), nullable=True))
    op.execute('UPDATE "case" SET last_event_hash = (SELECT e.hash FROM event e WHERE e.case_id = "case".id '
               'ORDER BY e.id DESC LIMIT 1)')


def downgrade():
    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.drop_column('last_event_hash')
