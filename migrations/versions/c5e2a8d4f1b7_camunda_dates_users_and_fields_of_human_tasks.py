"""camunda dates, candidate users and form fields of human tasks

A user task of a Camunda diagram may carry its own due and follow-up dates, candidate users
and generated form fields (`camunda:formData`); the task list reads them from the task row.

Revision ID: c5e2a8d4f1b7
Revises: e5d1a0c3b7f2
Create Date: 2026-12-02 13:40:00

"""
from alembic import op
import sqlalchemy as sa

import app.engine.models


revision = 'c5e2a8d4f1b7'
down_revision = 'e5d1a0c3b7f2'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('human_task', schema=None) as batch_op:
        batch_op.add_column(sa.Column('follow_up_at', app.engine.models.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('candidate_users', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('form_fields', sa.JSON(), nullable=True))
    op.create_table('human_task_user',
    sa.Column('task_id', sa.String(length=36), nullable=False),
    sa.Column('username', sa.String(length=100), nullable=False),
    sa.ForeignKeyConstraint(['task_id'], ['human_task.id'], ),
    sa.PrimaryKeyConstraint('task_id', 'username')
    )
    with op.batch_alter_table('human_task_user', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_human_task_user_username'), ['username'], unique=False)


def downgrade():
    with op.batch_alter_table('human_task_user', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_human_task_user_username'))
    op.drop_table('human_task_user')
    with op.batch_alter_table('human_task', schema=None) as batch_op:
        batch_op.drop_column('form_fields')
        batch_op.drop_column('candidate_users')
        batch_op.drop_column('follow_up_at')
