"""session nonce of each user

Session cookies name the user as `<id>:<nonce>`; signing out draws a new nonce, so a copy of
the old cookie is refused (app/sessions.py). Existing sessions sign in again.

Revision ID: b4c1e7d2a9f0
Revises: 9e3f5a7c1d24
Create Date: 2026-12-01 23:40:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'b4c1e7d2a9f0'
down_revision = '9e3f5a7c1d24'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('app_user') as batch:
        batch.add_column(sa.Column('session_nonce', sa.String(length=64), nullable=True))


def downgrade():
    with op.batch_alter_table('app_user') as batch:
        batch.drop_column('session_nonce')
