"""areas and their members

- `area`: the responsible areas an admin manages (code, name, active).
- `area_member`: who works an area's tasks, for one branch or all (branch NULL).

Revision ID: a3c8e1f5d9b2
Revises: a9d3f6b2c8e1
Create Date: 2026-12-02 19:25:00

"""
from alembic import op
import sqlalchemy as sa

import app.engine.models


revision = 'a3c8e1f5d9b2'
down_revision = 'a9d3f6b2c8e1'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'area',
        sa.Column('code', sa.String(length=60), nullable=False),
        sa.Column('name', sa.String(length=120), nullable=False),
        sa.Column('active', sa.Boolean(), nullable=False),
        sa.Column('created_at', app.engine.models.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('code'))
    op.create_table(
        'area_member',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('area_code', sa.String(length=60), nullable=False),
        sa.Column('username', sa.String(length=100), nullable=False),
        sa.Column('branch', sa.String(length=20), nullable=True),
        sa.ForeignKeyConstraint(['area_code'], ['area.code']),
        sa.ForeignKeyConstraint(['username'], ['app_user.username']),
        sa.PrimaryKeyConstraint('id'))
    with op.batch_alter_table('area_member', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_area_member_area_code'), ['area_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_area_member_username'), ['username'], unique=False)


def downgrade():
    with op.batch_alter_table('area_member', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_area_member_username'))
        batch_op.drop_index(batch_op.f('ix_area_member_area_code'))
    op.drop_table('area_member')
    op.drop_table('area')
