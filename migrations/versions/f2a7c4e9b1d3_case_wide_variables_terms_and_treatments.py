"""case-wide variables, legal terms, non-conformity treatments, survey criteria

- `case.variables`: the values of the variables a process declares case-wide.
- `human_task.priority`: `camunda:priority` of a user task.
- `pqrsf_case`: the legal term beside the internal target, the sub-type, priority, responsible
  area, the pause for the client, whether the term was extended, anonymity and the case a late
  answer continues.
- `nonconformity`: its cause (SER-PD-01 4.12) and treatment (SER-PD-03).
- `survey_answer.ratings`: one rating per criterion of seed 001.

Revision ID: f2a7c4e9b1d3
Revises: c5e9a1f3b7d2
Create Date: 2026-12-02 19:10:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'f2a7c4e9b1d3'
down_revision = 'c5e9a1f3b7d2'
branch_labels = None
depends_on = None

import app.engine.models  # noqa: E402


def upgrade():
    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.add_column(sa.Column('variables', sa.JSON(), nullable=False, server_default=sa.text("'{}'")))
    with op.batch_alter_table('human_task', schema=None) as batch_op:
        batch_op.add_column(sa.Column('priority', sa.Integer(), nullable=True))
    with op.batch_alter_table('pqrsf_case', schema=None) as batch_op:
        batch_op.add_column(sa.Column('legal_due_at', app.engine.models.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('sub_type', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('priority', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('responsible_area', sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column('paused_since', app.engine.models.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('extended', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('anonymous', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('previous_case_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'),
                                      nullable=True))
        batch_op.create_index('ix_pqrsf_case_legal_due_at', ['legal_due_at'], unique=False)
        batch_op.create_foreign_key('fk_pqrsf_case_previous_case_id', 'case', ['previous_case_id'], ['id'])
    with op.batch_alter_table('nonconformity', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cause', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('correction', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('responsible', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('closing_note', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('treated_at', app.engine.models.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('treated_by', sa.String(length=100), nullable=True))
        batch_op.create_index('ix_nonconformity_cause', ['cause'], unique=False)
    with op.batch_alter_table('survey_answer', schema=None) as batch_op:
        batch_op.add_column(sa.Column('ratings', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('survey_answer', schema=None) as batch_op:
        batch_op.drop_column('ratings')
    with op.batch_alter_table('nonconformity', schema=None) as batch_op:
        batch_op.drop_index('ix_nonconformity_cause')
        for name in ('treated_by', 'treated_at', 'closing_note', 'responsible', 'correction', 'cause'):
            batch_op.drop_column(name)
    with op.batch_alter_table('pqrsf_case', schema=None) as batch_op:
        batch_op.drop_constraint('fk_pqrsf_case_previous_case_id', type_='foreignkey')
        batch_op.drop_index('ix_pqrsf_case_legal_due_at')
        for name in ('previous_case_id', 'anonymous', 'extended', 'paused_since', 'responsible_area',
                     'priority', 'sub_type', 'legal_due_at'):
            batch_op.drop_column(name)
    with op.batch_alter_table('human_task', schema=None) as batch_op:
        batch_op.drop_column('priority')
    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.drop_column('variables')
