"""Money out: verified identities, refunds, payouts through the channels, voidable card periods.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30
"""
from alembic import op
import sqlalchemy as sa

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    op.create_table('identity_verifications',
    sa.Column('id', BigId, autoincrement=True, nullable=False),
    sa.Column('user_id', BigId, nullable=False),
    sa.Column('name_token', sa.Text(), nullable=False),
    sa.Column('number_token', sa.Text(), nullable=False),
    sa.Column('number_fingerprint', sa.String(length=64), nullable=False),
    sa.Column('slot', sa.Integer(), nullable=False),
    sa.Column('birth_date', sa.Date(), nullable=False),
    sa.Column('verified_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('slot >= 1', name=op.f('ck_identity_verifications_slot_positive')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_identity_verifications_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_identity_verifications')),
    sa.UniqueConstraint('number_fingerprint', 'slot', name=op.f('uq_identity_verifications_number_fingerprint_slot')),
    sa.UniqueConstraint('user_id', name=op.f('uq_identity_verifications_user_id'))
    )
    op.create_table('refunds',
    sa.Column('id', BigId, autoincrement=True, nullable=False),
    sa.Column('payment_id', BigId, nullable=False),
    sa.Column('user_id', BigId, nullable=False),
    sa.Column('refund_no', sa.String(length=32), nullable=False),
    sa.Column('amount_fen', sa.BigInteger(), nullable=False),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('credits_taken', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('cost_taken_fen', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('card_voided_fen', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('written_off_fen', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('coins_taken_fen', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('commission_reversed_fen', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('commission_unrecovered_fen', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('forced', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('operator', sa.String(length=64), server_default='', nullable=False),
    sa.Column('channel_ref', sa.String(length=64), nullable=True),
    sa.Column('failure_reason', sa.String(length=200), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint('amount_fen > 0 AND credits_taken >= 0 AND cost_taken_fen >= 0 AND card_voided_fen >= 0 AND coins_taken_fen >= 0 AND commission_reversed_fen >= 0', name=op.f('ck_refunds_amounts_valid')),
    sa.ForeignKeyConstraint(['payment_id'], ['payments.id'], name=op.f('fk_refunds_payment_id_payments')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_refunds_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_refunds')),
    sa.UniqueConstraint('payment_id', name=op.f('uq_refunds_payment_id')),
    sa.UniqueConstraint('refund_no', name=op.f('uq_refunds_refund_no'))
    )
    with op.batch_alter_table('refunds', schema=None) as batch_op:
        batch_op.create_index('ix_refunds_processing', ['id'], unique=False,
                              postgresql_where=sa.text("status = 'processing'"),
                              sqlite_where=sa.text("status = 'processing'"))
    with op.batch_alter_table('withdrawals', schema=None) as batch_op:
        batch_op.add_column(sa.Column('payee_ref', sa.String(length=128), nullable=True))
        batch_op.add_column(sa.Column('approved_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('transfer', sa.String(length=24), nullable=True))
        batch_op.add_column(sa.Column('channel_ref', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('package_info', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('reference', sa.String(length=100), nullable=True))
        batch_op.create_index('ix_withdrawals_approved_at', ['approved_at'], unique=False)
    with op.batch_alter_table('card_periods', schema=None) as batch_op:
        batch_op.add_column(sa.Column('voided_at', sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('card_periods', schema=None) as batch_op:
        batch_op.drop_column('voided_at')
    with op.batch_alter_table('withdrawals', schema=None) as batch_op:
        batch_op.drop_index('ix_withdrawals_approved_at')
        for column in ('reference', 'package_info', 'channel_ref', 'transfer', 'approved_at', 'payee_ref'):
            batch_op.drop_column(column)
    with op.batch_alter_table('refunds', schema=None) as batch_op:
        batch_op.drop_index('ix_refunds_processing', postgresql_where=sa.text("status = 'processing'"),
                            sqlite_where=sa.text("status = 'processing'"))
    op.drop_table('refunds')
    op.drop_table('identity_verifications')
