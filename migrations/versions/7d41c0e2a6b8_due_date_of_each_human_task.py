"""due date of each human task

The task list sorts and filters open tasks by due date and stops at a page; with the date on
the task row (and a partial index over open tasks) it never has to join and sort them all.

Revision ID: 7d41c0e2a6b8
Revises: 5c2e8f1a9b3d
Create Date: 2026-11-23 10:55:00

"""
from alembic import op
import sqlalchemy as sa

import app.engine.models


revision = '7d41c0e2a6b8'
down_revision = '5c2e8f1a9b3d'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('human_task', schema=None) as batch_op:
        batch_op.add_column(sa.Column('due_at', app.engine.models.UTCDateTime(timezone=True), nullable=True))
        batch_op.create_index('ix_human_task_open_due', ['due_at', 'created_at'], unique=False,
                              postgresql_where=sa.text("state = 'open'"), sqlite_where=sa.text("state = 'open'"))
        batch_op.create_index('ix_human_task_open_assignee', ['assignee', 'due_at'], unique=False,
                              postgresql_where=sa.text("state = 'open'"), sqlite_where=sa.text("state = 'open'"))
    op.execute('UPDATE human_task SET due_at = (SELECT p.answer_due_at FROM pqrsf_case p '
               'WHERE p.case_id = human_task.case_id)')


def downgrade():
    with op.batch_alter_table('human_task', schema=None) as batch_op:
        batch_op.drop_index('ix_human_task_open_assignee', postgresql_where=sa.text("state = 'open'"),
                            sqlite_where=sa.text("state = 'open'"))
        batch_op.drop_index('ix_human_task_open_due', postgresql_where=sa.text("state = 'open'"),
                            sqlite_where=sa.text("state = 'open'"))
        batch_op.drop_column('due_at')
