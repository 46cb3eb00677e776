"""sandbox_bills: the sandbox payout and refund channels' own record of their bills (embedded defaults).

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-30
"""
from alembic import op
import sqlalchemy as sa

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('sandbox_bills',
    sa.Column('key', sa.String(length=96), nullable=False),
    sa.Column('record', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_sandbox_bills')),
    )


def downgrade() -> None:
    op.drop_table('sandbox_bills')
