"""notifications for staff

- `notification`: what a staff member is told (a new task, due soon, overdue, a digest), one
  row per event and recipient (`key` unique), with when its email was claimed and sent and when
  it was read.
- `notification_preference`: each user's choice of immediate emails or a daily digest.

Revision ID: b7e3d9f1c2a4
Revises: a3c8e1f5d9b2
Create Date: 2026-12-03 12:30:00

"""
from alembic import op
import sqlalchemy as sa

import app.engine.models


revision = 'b7e3d9f1c2a4'
down_revision = 'a3c8e1f5d9b2'
branch_labels = None
depends_on = None


def upgrade():
    moment = app.engine.models.UTCDateTime(timezone=True)
    op.create_table(
        'notification',
        sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.Column('username', sa.String(length=100), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('task_id', sa.String(length=36), nullable=True),
        sa.Column('case_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
        sa.Column('key', sa.String(length=200), nullable=False),
        sa.Column('created_at', moment, nullable=False),
        sa.Column('claimed_at', moment, nullable=True),
        sa.Column('sent_at', moment, nullable=True),
        sa.Column('read_at', moment, nullable=True),
        sa.ForeignKeyConstraint(['username'], ['app_user.username']),
        sa.ForeignKeyConstraint(['case_id'], ['case.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('key'))
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.create_index('ix_notification_user_unread', ['username', 'read_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_notification_task_id'), ['task_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_notification_case_id'), ['case_id'], unique=False)
    op.create_table(
        'notification_preference',
        sa.Column('username', sa.String(length=100), nullable=False),
        sa.Column('mode', sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(['username'], ['app_user.username']),
        sa.PrimaryKeyConstraint('username'))


def downgrade():
    op.drop_table('notification_preference')
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notification_case_id'))
        batch_op.drop_index(batch_op.f('ix_notification_task_id'))
        batch_op.drop_index('ix_notification_user_unread')
    op.drop_table('notification')
