"""case search and saved filters of the case list

- `pqrsf_case.client_name`, `search_text`, `contact_text`: what the staff search reads
  (app/cases/search_text.py), filled here for the cases registered before; on PostgreSQL a
  GIN index over the full-text vector of each of the two texts.
- `saved_filter`: the filters of the case list a user saved under a name.

Revision ID: b7e4c2d9a1f6
Revises: b7e3d9f1c2a4
Create Date: 2026-12-03 12:40:00

"""
from alembic import op
import sqlalchemy as sa

import app.engine.models
from app.cases.search_text import texts_of


revision = 'b7e4c2d9a1f6'
down_revision = 'b7e3d9f1c2a4'
branch_labels = None
depends_on = None

BATCH = 500
cases = sa.table('pqrsf_case', sa.column('case_id', sa.BigInteger), sa.column('radicado', sa.String),
                 sa.column('client_name', sa.String), sa.column('search_text', sa.Text),
                 sa.column('contact_text', sa.Text))
events = sa.table('event', sa.column('id', sa.BigInteger), sa.column('case_id', sa.BigInteger),
                  sa.column('kind', sa.String), sa.column('data', sa.JSON))


def _backfill(bind):
    """Each case's search columns from its `case_started` event, a batch of cases at a time."""
    last = 0
    while True:
        rows = bind.execute(sa.select(cases.c.case_id, cases.c.radicado).where(cases.c.case_id > last)
                            .order_by(cases.c.case_id).limit(BATCH)).all()
        if not rows:
            return
        started = dict(bind.execute(sa.select(events.c.case_id, events.c.data).where(
            events.c.kind == 'case_started', events.c.case_id.in_([r.case_id for r in rows]))).all())
        for case_id, radicado in rows:
            intake = (started.get(case_id) or {}).get('data') or {}
            bind.execute(cases.update().where(cases.c.case_id == case_id).values(**texts_of(radicado, intake)))
        last = rows[-1].case_id


def upgrade():
    with op.batch_alter_table('pqrsf_case', schema=None) as batch_op:
        batch_op.add_column(sa.Column('client_name', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('search_text', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('contact_text', sa.Text(), nullable=True))
    bind = op.get_bind()
    _backfill(bind)
    if bind.dialect.name == 'postgresql':
        op.execute("CREATE INDEX ix_pqrsf_case_search ON pqrsf_case USING gin "
                   "(to_tsvector('spanish', coalesce(search_text, '')))")
        op.execute("CREATE INDEX ix_pqrsf_case_contact ON pqrsf_case USING gin "
                   "(to_tsvector('simple', coalesce(contact_text, '')))")
    op.create_table(
        'saved_filter',
        sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.Column('username', sa.String(length=100), nullable=False),
        sa.Column('name', sa.String(length=80), nullable=False),
        sa.Column('query', sa.String(length=1000), nullable=False),
        sa.Column('created_at', app.engine.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['username'], ['app_user.username']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('username', 'name'))
    with op.batch_alter_table('saved_filter', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_saved_filter_username'), ['username'], unique=False)


def downgrade():
    with op.batch_alter_table('saved_filter', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_saved_filter_username'))
    op.drop_table('saved_filter')
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('DROP INDEX ix_pqrsf_case_contact')
        op.execute('DROP INDEX ix_pqrsf_case_search')
    with op.batch_alter_table('pqrsf_case', schema=None) as batch_op:
        batch_op.drop_column('contact_text')
        batch_op.drop_column('search_text')
        batch_op.drop_column('client_name')
