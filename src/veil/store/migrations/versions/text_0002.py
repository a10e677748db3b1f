"""user-defined recognizers per principal

Revision ID: text_0002
Revises: text_0001
Create Date: 2026-12-03 06:16:50.026950
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import veil.store.models.base

revision = 'text_0002'
down_revision = 'text_0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('text_recognizers',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('principal', sa.String(length=128), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('entity_type', sa.String(length=64), nullable=False),
    sa.Column('spec', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('created_at', veil.store.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_text_recognizers')),
    sa.UniqueConstraint('principal', 'name', name='uq_text_recognizers_principal_name')
    )
    with op.batch_alter_table('text_recognizers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_text_recognizers_principal'), ['principal'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('text_recognizers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_text_recognizers_principal'))

    op.drop_table('text_recognizers')
