"""pprl tables

Revision ID: pprl_0001
Revises: 0001
Create Date: 2026-11-22 03:18:14.687416
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import veil.store.models.base

revision = 'pprl_0001'
down_revision = '0001'
branch_labels = ('pprl',)
depends_on = None


def upgrade() -> None:
    op.create_table('pprl_projects',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('principal', sa.String(length=128), nullable=False),
    sa.Column('project_id', sa.String(length=128), nullable=False),
    sa.Column('mode', sa.String(length=16), nullable=False),
    sa.Column('schema', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('keys_token', sa.Text(), nullable=False),
    sa.Column('next_index', sa.BigInteger(), nullable=False),
    sa.Column('created_at', veil.store.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pprl_projects')),
    sa.UniqueConstraint('principal', 'project_id', name='uq_pprl_projects_principal_project')
    )
    with op.batch_alter_table('pprl_projects', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pprl_projects_principal'), ['principal'], unique=False)

    op.create_table('pprl_chunks',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('project', sa.String(length=36), nullable=False),
    sa.Column('principal', sa.String(length=128), nullable=False),
    sa.Column('start_index', sa.BigInteger(), nullable=False),
    sa.Column('row_count', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('object_key', sa.String(length=512), nullable=True),
    sa.Column('job_id', sa.String(length=36), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('created_at', veil.store.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', veil.store.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['project'], ['pprl_projects.id'], name=op.f('fk_pprl_chunks_project_pprl_projects'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pprl_chunks'))
    )
    with op.batch_alter_table('pprl_chunks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pprl_chunks_principal'), ['principal'], unique=False)
        batch_op.create_index(batch_op.f('ix_pprl_chunks_project'), ['project'], unique=False)

    op.create_table('pprl_clks',
    sa.Column('project', sa.String(length=36), nullable=False),
    sa.Column('idx', sa.BigInteger(), nullable=False),
    sa.Column('status', sa.String(length=8), nullable=False),
    sa.Column('clk', sa.Text(), nullable=True),
    sa.Column('err_msg', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['project'], ['pprl_projects.id'], name=op.f('fk_pprl_clks_project_pprl_projects'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('project', 'idx', name=op.f('pk_pprl_clks'))
    )
    op.create_table('pprl_deletions',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('project', sa.String(length=36), nullable=False),
    sa.Column('start_index', sa.BigInteger(), nullable=False),
    sa.Column('end_index', sa.BigInteger(), nullable=False),
    sa.Column('created_at', veil.store.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['project'], ['pprl_projects.id'], name=op.f('fk_pprl_deletions_project_pprl_projects'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pprl_deletions'))
    )
    with op.batch_alter_table('pprl_deletions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pprl_deletions_project'), ['project'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('pprl_deletions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pprl_deletions_project'))

    op.drop_table('pprl_deletions')
    op.drop_table('pprl_clks')
    with op.batch_alter_table('pprl_chunks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pprl_chunks_project'))
        batch_op.drop_index(batch_op.f('ix_pprl_chunks_principal'))

    op.drop_table('pprl_chunks')
    with op.batch_alter_table('pprl_projects', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pprl_projects_principal'))

    op.drop_table('pprl_projects')
