"""text usage metering

Revision ID: text_0001
Revises: 0001
Create Date: 2026-11-22 03:14:18.034779
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import veil.store.models.base

revision = 'text_0001'
down_revision = '0001'
branch_labels = ('text',)
depends_on = None


def upgrade() -> None:
    op.create_table('text_usage',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('principal', sa.String(length=128), nullable=False),
    sa.Column('month', sa.String(length=7), nullable=False),
    sa.Column('calls', sa.BigInteger(), nullable=False),
    sa.Column('updated_at', veil.store.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_text_usage')),
    sa.UniqueConstraint('principal', 'month', name='uq_text_usage_principal_month')
    )
    with op.batch_alter_table('text_usage', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_text_usage_principal'), ['principal'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('text_usage', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_text_usage_principal'))

    op.drop_table('text_usage')
