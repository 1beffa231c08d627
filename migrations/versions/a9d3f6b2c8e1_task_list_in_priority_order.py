"""task list in priority order

The open-task index follows the task list's order: `priority` (higher first, none last, as the
lowest integer), then the due date, then creation; it replaces the index in due order.

Revision ID: a9d3f6b2c8e1
Revises: f2a7c4e9b1d3
Create Date: 2026-12-02 19:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'a9d3f6b2c8e1'
down_revision = 'f2a7c4e9b1d3'
branch_labels = None
depends_on = None

OPEN = "state = 'open'"
NO_PRIORITY = -2**31  # as app.engine.models.NO_PRIORITY when this was written


def upgrade():
    with op.batch_alter_table('human_task', schema=None) as batch_op:
        batch_op.drop_index('ix_human_task_open_due', postgresql_where=sa.text(OPEN), sqlite_where=sa.text(OPEN))
        # no priority sorts last: NULLS LAST, which SQLite refuses in an index
        batch_op.create_index('ix_human_task_open_order', [sa.text(f'coalesce(priority, {NO_PRIORITY}) DESC'),
                                                           'due_at', 'created_at'],
                              unique=False, postgresql_where=sa.text(OPEN), sqlite_where=sa.text(OPEN))


def downgrade():
    with op.batch_alter_table('human_task', schema=None) as batch_op:
        batch_op.drop_index('ix_human_task_open_order', postgresql_where=sa.text(OPEN), sqlite_where=sa.text(OPEN))
        batch_op.create_index('ix_human_task_open_due', ['due_at', 'created_at'], unique=False,
                              postgresql_where=sa.text(OPEN), sqlite_where=sa.text(OPEN))
