"""Pending payments get a partial index on id (what reconciliation pages through); the (status, created_at)
index goes: closing a payment no longer rewrites index entries for its new status.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24
"""
from alembic import op
import sqlalchemy as sa

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('payments', schema=None) as batch_op:
        batch_op.drop_index('ix_payments_status_created')
        batch_op.create_index('ix_payments_pending', ['id'], unique=False,
                              postgresql_where=sa.text("status = 'pending'"),
                              sqlite_where=sa.text("status = 'pending'"))


def downgrade() -> None:
    with op.batch_alter_table('payments', schema=None) as batch_op:
        batch_op.drop_index('ix_payments_pending')
        batch_op.create_index('ix_payments_status_created', ['status', 'created_at'], unique=False)
