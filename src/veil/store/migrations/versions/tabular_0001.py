"""tabular tables

Revision ID: tabular_0001
Revises: 0001
Create Date: 2026-11-22 03:09:08.983717
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import veil.store.models.base

revision = 'tabular_0001'
down_revision = '0001'
branch_labels = ('tabular',)
depends_on = None


def upgrade() -> None:
    op.create_table('tabular_patterns',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('principal', sa.String(length=128), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('classification', sa.String(length=8), nullable=False),
    sa.Column('column_patterns', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('value_patterns', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('priority', sa.Integer(), nullable=False),
    sa.Column('min_match_ratio', sa.Float(), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('created_at', veil.store.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', veil.store.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tabular_patterns')),
    sa.UniqueConstraint('principal', 'name', name='uq_tabular_patterns_principal_name')
    )
    with op.batch_alter_table('tabular_patterns', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tabular_patterns_principal'), ['principal'], unique=False)

    op.create_table('tabular_solutions',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('principal', sa.String(length=128), nullable=False),
    sa.Column('privacy_model', sa.String(length=32), nullable=False),
    sa.Column('metric', sa.String(length=32), nullable=False),
    sa.Column('solution', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('metrics', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('levels', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('row_count', sa.Integer(), nullable=False),
    sa.Column('suppressed_count', sa.Integer(), nullable=False),
    sa.Column('information_loss', sa.Float(), nullable=False),
    sa.Column('mlops_config', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('created_at', veil.store.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tabular_solutions'))
    )
    with op.batch_alter_table('tabular_solutions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tabular_solutions_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_tabular_solutions_principal'), ['principal'], unique=False)
        batch_op.create_index(batch_op.f('ix_tabular_solutions_privacy_model'), ['privacy_model'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('tabular_solutions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tabular_solutions_privacy_model'))
        batch_op.drop_index(batch_op.f('ix_tabular_solutions_principal'))
        batch_op.drop_index(batch_op.f('ix_tabular_solutions_created_at'))

    op.drop_table('tabular_solutions')
    with op.batch_alter_table('tabular_patterns', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tabular_patterns_principal'))

    op.drop_table('tabular_patterns')
