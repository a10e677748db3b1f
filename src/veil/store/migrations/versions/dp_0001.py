"""dp tables

Revision ID: dp_0001
Revises: 0001
Create Date: 2026-11-22 03:03:22.855992
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import veil.store.models.base

revision = 'dp_0001'
down_revision = '0001'
branch_labels = ('dp',)
depends_on = None


def upgrade() -> None:
    op.create_table('dp_budgets',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('principal', sa.String(length=128), nullable=False),
    sa.Column('session_id', sa.String(length=200), nullable=False),
    sa.Column('epsilon_budget', sa.Float(), nullable=False),
    sa.Column('delta_budget', sa.Float(), nullable=False),
    sa.Column('composition', sa.String(length=16), nullable=False),
    sa.Column('epsilon_spent', sa.Float(), nullable=False),
    sa.Column('delta_spent', sa.Float(), nullable=False),
    sa.Column('num_charges', sa.Integer(), nullable=False),
    sa.Column('created_at', veil.store.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', veil.store.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dp_budgets')),
    sa.UniqueConstraint('principal', 'session_id', name='uq_dp_budgets_principal_session')
    )
    with op.batch_alter_table('dp_budgets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dp_budgets_principal'), ['principal'], unique=False)

    op.create_table('dp_stream_sessions',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('principal', sa.String(length=128), nullable=False),
    sa.Column('session_id', sa.String(length=200), nullable=False),
    sa.Column('mechanism', sa.String(length=32), nullable=False),
    sa.Column('budget_session_id', sa.String(length=200), nullable=True),
    sa.Column('batches_processed', sa.Integer(), nullable=False),
    sa.Column('total_count', sa.BigInteger(), nullable=False),
    sa.Column('state', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('created_at', veil.store.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', veil.store.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dp_stream_sessions')),
    sa.UniqueConstraint('principal', 'session_id', name='uq_dp_stream_sessions_principal_session')
    )
    with op.batch_alter_table('dp_stream_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dp_stream_sessions_principal'), ['principal'], unique=False)

    op.create_table('dp_budget_charges',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('budget_id', sa.String(length=36), nullable=False),
    sa.Column('principal', sa.String(length=128), nullable=False),
    sa.Column('operation', sa.String(length=64), nullable=False),
    sa.Column('epsilon', sa.Float(), nullable=False),
    sa.Column('delta', sa.Float(), nullable=False),
    sa.Column('events', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('created_at', veil.store.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['budget_id'], ['dp_budgets.id'], name=op.f('fk_dp_budget_charges_budget_id_dp_budgets'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dp_budget_charges'))
    )
    with op.batch_alter_table('dp_budget_charges', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dp_budget_charges_budget_id'), ['budget_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_dp_budget_charges_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_dp_budget_charges_principal'), ['principal'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('dp_budget_charges', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dp_budget_charges_principal'))
        batch_op.drop_index(batch_op.f('ix_dp_budget_charges_created_at'))
        batch_op.drop_index(batch_op.f('ix_dp_budget_charges_budget_id'))

    op.drop_table('dp_budget_charges')
    with op.batch_alter_table('dp_stream_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dp_stream_sessions_principal'))

    op.drop_table('dp_stream_sessions')
    with op.batch_alter_table('dp_budgets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dp_budgets_principal'))

    op.drop_table('dp_budgets')
