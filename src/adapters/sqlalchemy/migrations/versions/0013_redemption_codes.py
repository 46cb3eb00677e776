"""Redemption codes: batches and their codes (hashes only); a monthly card period may come from a code instead
of a payment, at price 0.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')
CLAIMS_VALID = ('days > 0 AND daily_credits >= 0 AND price_fen {} 0 AND claims BETWEEN 0 AND days '
                'AND cost_claimed_fen BETWEEN 0 AND price_fen')


def upgrade() -> None:
    op.create_table('redemption_batches',
    sa.Column('id', BigId, autoincrement=True, nullable=False),
    sa.Column('label', sa.String(length=100), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('credits', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('product_id', BigId, nullable=True),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_by', sa.String(length=64), nullable=False),
    sa.Column('operator_id', sa.BigInteger(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('disabled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('disabled_by', sa.String(length=64), nullable=True),
    sa.CheckConstraint('count > 0', name=op.f('ck_redemption_batches_count_positive')),
    sa.CheckConstraint('(product_id IS NULL AND credits > 0) OR (product_id IS NOT NULL AND credits = 0)',
                       name=op.f('ck_redemption_batches_one_grant')),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_redemption_batches_product_id_products')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_redemption_batches'))
    )
    op.create_table('redemption_codes',
    sa.Column('id', BigId, autoincrement=True, nullable=False),
    sa.Column('batch_id', BigId, nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('hint', sa.String(length=16), nullable=False),
    sa.Column('redeemed_by', BigId, nullable=True),
    sa.Column('redeemed_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint('(redeemed_by IS NULL) = (redeemed_at IS NULL)',
                       name=op.f('ck_redemption_codes_redeemed_by_and_at')),
    sa.ForeignKeyConstraint(['batch_id'], ['redemption_batches.id'],
                            name=op.f('fk_redemption_codes_batch_id_redemption_batches')),
    sa.ForeignKeyConstraint(['redeemed_by'], ['users.id'], name=op.f('fk_redemption_codes_redeemed_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_redemption_codes')),
    sa.UniqueConstraint('code_hash', name=op.f('uq_redemption_codes_code_hash'))
    )
    op.create_index('ix_redemption_codes_batch_redeemed', 'redemption_codes', ['batch_id', 'redeemed_at', 'id'])
    op.create_index('ix_redemption_codes_redeemed_by', 'redemption_codes', ['redeemed_by'])

    with op.batch_alter_table('card_periods', schema=None) as batch_op:
        batch_op.alter_column('payment_id', existing_type=BigId, nullable=True)
        batch_op.add_column(sa.Column('redemption_code_id', BigId, nullable=True))
        batch_op.create_unique_constraint(op.f('uq_card_periods_redemption_code_id'), ['redemption_code_id'])
        batch_op.create_foreign_key(op.f('fk_card_periods_redemption_code_id_redemption_codes'), 'redemption_codes',
                                    ['redemption_code_id'], ['id'])
        batch_op.drop_constraint(op.f('ck_card_periods_claims_valid'), type_='check')
        batch_op.create_check_constraint(op.f('ck_card_periods_claims_valid'), CLAIMS_VALID.format('>='))
        batch_op.create_check_constraint(op.f('ck_card_periods_one_source'),
                                         '(payment_id IS NULL) <> (redemption_code_id IS NULL)')


def downgrade() -> None:
    # Redeemed cards have no payment to keep them: they go with the codes.
    op.execute('DELETE FROM card_periods WHERE payment_id IS NULL')
    with op.batch_alter_table('card_periods', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_card_periods_one_source'), type_='check')
        batch_op.drop_constraint(op.f('ck_card_periods_claims_valid'), type_='check')
        batch_op.create_check_constraint(op.f('ck_card_periods_claims_valid'), CLAIMS_VALID.format('>'))
        batch_op.drop_constraint(op.f('fk_card_periods_redemption_code_id_redemption_codes'), type_='foreignkey')
        batch_op.drop_constraint(op.f('uq_card_periods_redemption_code_id'), type_='unique')
        batch_op.drop_column('redemption_code_id')
        batch_op.alter_column('payment_id', existing_type=BigId, nullable=False)
    op.drop_index('ix_redemption_codes_redeemed_by', table_name='redemption_codes')
    op.drop_index('ix_redemption_codes_batch_redeemed', table_name='redemption_codes')
    op.drop_table('redemption_codes')
    op.drop_table('redemption_batches')
