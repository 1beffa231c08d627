"""inbound emails

- `inbound_email`: every message the inbound mailbox (`pqrsf mail-in`) accepted, raw, once
  (unique `dedup_key`: its Message-ID, or the hash of its bytes), and what processing made of
  it (a draft for staff, a reply on a case, or ignored with its reason).

Revision ID: c8f2d6a4e1b9
Revises: a3c8e1f5d2b9
Create Date: 2026-12-03 15:00:00

"""
from alembic import op
import sqlalchemy as sa

import app.engine.models


revision = 'c8f2d6a4e1b9'
down_revision = 'a3c8e1f5d2b9'
branch_labels = None
depends_on = None


def upgrade():
    moment = app.engine.models.UTCDateTime(timezone=True)
    op.create_table(
        'inbound_email',
        sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.Column('dedup_key', sa.String(length=80), nullable=False),
        sa.Column('message_id', sa.String(length=500), nullable=True),
        sa.Column('envelope_from', sa.String(length=300), nullable=False),
        sa.Column('recipient', sa.String(length=300), nullable=False),
        sa.Column('sender', sa.String(length=300), nullable=False),
        sa.Column('sender_name', sa.String(length=300), nullable=True),
        sa.Column('subject', sa.String(length=500), nullable=True),
        sa.Column('received_at', moment, nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('raw', sa.LargeBinary(), nullable=False),
        sa.Column('state', sa.String(length=20), nullable=False),
        sa.Column('claimed_at', moment, nullable=True),
        sa.Column('processed_at', moment, nullable=True),
        sa.Column('ignored_reason', sa.String(length=40), nullable=True),
        sa.Column('case_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
        sa.Column('delivered_as', sa.String(length=20), nullable=True),
        sa.Column('not_delivered', sa.String(length=40), nullable=True),
        sa.Column('refused_files', sa.JSON(), nullable=True),
        sa.Column('decided_by', sa.String(length=100), nullable=True),
        sa.Column('decided_at', moment, nullable=True),
        sa.ForeignKeyConstraint(['case_id'], ['case.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('dedup_key'))
    with op.batch_alter_table('inbound_email', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inbound_email_case_id'), ['case_id'], unique=False)
        batch_op.create_index('ix_inbound_email_sender', ['sender', 'received_at'], unique=False)
        batch_op.create_index('ix_inbound_email_state', ['state', 'received_at'], unique=False)


def downgrade():
    with op.batch_alter_table('inbound_email', schema=None) as batch_op:
        batch_op.drop_index('ix_inbound_email_state')
        batch_op.drop_index('ix_inbound_email_sender')
        batch_op.drop_index(batch_op.f('ix_inbound_email_case_id'))
    op.drop_table('inbound_email')
