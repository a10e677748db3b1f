"""uploads table

Revision ID: uploads_0001
Revises: 0001
Create Date: 2026-12-03 06:32:10.754862
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import veil.store.models.base

revision = 'uploads_0001'
down_revision = '0001'
branch_labels = ('uploads',)
depends_on = None


def upgrade() -> None:
    op.create_table('uploads',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('principal', sa.String(length=128), nullable=False),
    sa.Column('format', sa.String(length=16), nullable=False),
    sa.Column('object_key', sa.String(length=256), nullable=False),
    sa.Column('size_bytes', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('row_count', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('column_count', sa.Integer(), nullable=False),
    sa.Column('created_at', veil.store.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', veil.store.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_uploads'))
    )
    with op.batch_alter_table('uploads', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_uploads_expires_at'), ['expires_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_uploads_principal'), ['principal'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('uploads', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_uploads_principal'))
        batch_op.drop_index(batch_op.f('ix_uploads_expires_at'))

    op.drop_table('uploads')
