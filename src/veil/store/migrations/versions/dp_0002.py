"""budget privacy unit

Revision ID: dp_0002
Revises: dp_0001
Create Date: 2026-12-03 06:48:34.246645
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = 'dp_0002'
down_revision = 'dp_0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('dp_budgets', schema=None) as batch_op:
        batch_op.add_column(sa.Column('privacy_unit', sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('dp_budgets', schema=None) as batch_op:
        batch_op.drop_column('privacy_unit')
