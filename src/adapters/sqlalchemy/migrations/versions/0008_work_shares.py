"""work_shares: a share counts once per user, work and business day.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-25
"""
from alembic import op
import sqlalchemy as sa

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('work_shares',
    sa.Column('work_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('user_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_work_shares_user_id_users')),
    sa.ForeignKeyConstraint(['work_id'], ['works.id'], name=op.f('fk_work_shares_work_id_works')),
    sa.PrimaryKeyConstraint('work_id', 'user_id', 'day', name=op.f('pk_work_shares'))
    )


def downgrade() -> None:
    op.drop_table('work_shares')
