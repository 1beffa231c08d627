"""element names in other languages on human tasks and events

An element may declare its name in another language (`name_en` extension property, see
app/engine/facts.py); the projector copies it beside the Spanish name, so English pages show
it without re-parsing diagrams. Rows written before carry none and show the Spanish name.

Revision ID: a3c8e1f5d2b9
Revises: b7e4c2d9a1f6
Create Date: 2026-12-03 15:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'a3c8e1f5d2b9'
down_revision = 'b7e4c2d9a1f6'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('human_task', schema=None) as batch_op:
        batch_op.add_column(sa.Column('names', sa.JSON(none_as_null=True), nullable=True))
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('element_names', sa.JSON(none_as_null=True), nullable=True))


def downgrade():
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.drop_column('element_names')
    with op.batch_alter_table('human_task', schema=None) as batch_op:
        batch_op.drop_column('names')
