"""Foundation: users and identities, follows, wallets, ledger, coin lots, products, images, auth stores.

Revision ID: 0001
Revises: 
Create Date: 2026-11-24
"""
from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('idempotency_keys',
    sa.Column('scope', sa.String(length=64), nullable=False),
    sa.Column('key', sa.String(length=255), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.Column('status', sa.Integer(), nullable=True),
    sa.Column('body', sa.LargeBinary(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('scope', 'key', name=op.f('pk_idempotency_keys'))
    )
    op.create_index(op.f('ix_idempotency_keys_expires_at'), 'idempotency_keys', ['expires_at'], unique=False)

    op.create_table('oauth_states',
    sa.Column('state', sa.String(length=64), nullable=False),
    sa.Column('platform', sa.String(length=8), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('state', name=op.f('pk_oauth_states'))
    )
    op.create_index(op.f('ix_oauth_states_expires_at'), 'oauth_states', ['expires_at'], unique=False)

    op.create_table('products',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('sku', sa.String(length=64), nullable=False),
    sa.Column('type', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('description', sa.String(length=400), server_default='', nullable=False),
    sa.Column('price_fen', sa.BigInteger(), nullable=False),
    sa.Column('credits_amount', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('coins_amount_fen', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('duration_days', sa.Integer(), server_default='0', nullable=False),
    sa.Column('daily_credits', sa.Integer(), server_default='0', nullable=False),
    sa.Column('active', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.Column('sort_order', sa.Integer(), server_default='0', nullable=False),
    sa.CheckConstraint('price_fen > 0 AND credits_amount >= 0 AND coins_amount_fen >= 0 AND duration_days >= 0 AND daily_credits >= 0', name=op.f('ck_products_amounts_valid')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_products')),
    sa.UniqueConstraint('sku', name=op.f('uq_products_sku'))
    )
    op.create_index(op.f('ix_products_type'), 'products', ['type'], unique=False)

    op.create_table('rate_counters',
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_rate_counters'))
    )
    op.create_index(op.f('ix_rate_counters_expires_at'), 'rate_counters', ['expires_at'], unique=False)

    op.create_table('sms_codes',
    sa.Column('phone', sa.String(length=20), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('attempts', sa.Integer(), server_default='0', nullable=False),
    sa.PrimaryKeyConstraint('phone', name=op.f('pk_sms_codes'))
    )
    op.create_table('users',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('nickname', sa.String(length=40), nullable=False),
    sa.Column('phone', sa.String(length=20), nullable=True),
    sa.Column('avatar_url', sa.Text(), nullable=True),
    sa.Column('avatar_asset_id', sa.BigInteger(), nullable=True),
    sa.Column('bio', sa.String(length=400), server_default='', nullable=False),
    sa.Column('is_creator', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('is_promoter', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('is_banned', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('followers_count', sa.Integer(), server_default='0', nullable=False),
    sa.Column('following_count', sa.Integer(), server_default='0', nullable=False),
    sa.Column('likes_received_count', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('works_count', sa.Integer(), server_default='0', nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('followers_count >= 0 AND following_count >= 0 AND likes_received_count >= 0 AND works_count >= 0', name=op.f('ck_users_counters_not_negative')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('phone', name=op.f('uq_users_phone'))
    )
    op.create_table('coin_lots',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('user_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('amount_fen', sa.BigInteger(), nullable=False),
    sa.Column('source', sa.String(length=32), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('unlock_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ref_kind', sa.String(length=32), nullable=True),
    sa.Column('ref_id', sa.String(length=64), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('amount_fen > 0', name=op.f('ck_coin_lots_amount_positive')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_coin_lots_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_coin_lots'))
    )
    op.create_index('ix_coin_lots_ref', 'coin_lots', ['ref_kind', 'ref_id'], unique=False)
    op.create_index('ix_coin_lots_status_unlock', 'coin_lots', ['status', 'unlock_at'], unique=False)
    op.create_index('ix_coin_lots_user_status_unlock', 'coin_lots', ['user_id', 'status', 'unlock_at'], unique=False)

    op.create_table('follows',
    sa.Column('follower_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('followee_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('follower_id <> followee_id', name=op.f('ck_follows_not_self')),
    sa.ForeignKeyConstraint(['followee_id'], ['users.id'], name=op.f('fk_follows_followee_id_users')),
    sa.ForeignKeyConstraint(['follower_id'], ['users.id'], name=op.f('fk_follows_follower_id_users')),
    sa.PrimaryKeyConstraint('follower_id', 'followee_id', name=op.f('pk_follows'))
    )
    op.create_index(op.f('ix_follows_followee_id'), 'follows', ['followee_id'], unique=False)

    op.create_table('image_assets',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('owner_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('url', sa.Text(), nullable=False),
    sa.Column('storage_key', sa.String(length=255), server_default='', nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('height', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_image_assets_owner_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_image_assets'))
    )
    op.create_index(op.f('ix_image_assets_owner_id'), 'image_assets', ['owner_id'], unique=False)

    op.create_table('ledger_entries',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('user_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('account', sa.String(length=20), nullable=False),
    sa.Column('type', sa.String(length=32), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('balance_after', sa.BigInteger(), nullable=False),
    sa.Column('description', sa.String(length=200), nullable=False),
    sa.Column('ref_kind', sa.String(length=32), nullable=True),
    sa.Column('ref_id', sa.String(length=64), nullable=True),
    sa.Column('unique_key', sa.String(length=160), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('amount <> 0', name=op.f('ck_ledger_entries_amount_not_zero')),
    sa.CheckConstraint('balance_after >= 0', name=op.f('ck_ledger_entries_balance_after_not_negative')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_ledger_entries_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ledger_entries')),
    sa.UniqueConstraint('unique_key', name=op.f('uq_ledger_entries_unique_key'))
    )
    op.create_index('ix_ledger_entries_user_account_id', 'ledger_entries', ['user_id', 'account', 'id'], unique=False)

    op.create_table('user_identities',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('user_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('key', sa.String(length=160), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_user_identities_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_identities')),
    sa.UniqueConstraint('kind', 'key', name=op.f('uq_user_identities_kind_key'))
    )
    op.create_index(op.f('ix_user_identities_user_id'), 'user_identities', ['user_id'], unique=False)

    op.create_table('wallets',
    sa.Column('user_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('credits', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('coins_available_fen', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('coins_pending_fen', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('coins_held_fen', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('version', sa.BigInteger(), server_default='0', nullable=False),
    sa.CheckConstraint('coins_available_fen >= 0 AND coins_pending_fen >= 0 AND coins_held_fen >= 0', name=op.f('ck_wallets_coins_not_negative')),
    sa.CheckConstraint('credits >= 0', name=op.f('ck_wallets_credits_not_negative')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_wallets_user_id_users')),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_wallets'))
    )


def downgrade() -> None:
    op.drop_table('wallets')
    op.drop_index(op.f('ix_user_identities_user_id'), table_name='user_identities')

    op.drop_table('user_identities')
    op.drop_index('ix_ledger_entries_user_account_id', table_name='ledger_entries')

    op.drop_table('ledger_entries')
    op.drop_index(op.f('ix_image_assets_owner_id'), table_name='image_assets')

    op.drop_table('image_assets')
    op.drop_index(op.f('ix_follows_followee_id'), table_name='follows')

    op.drop_table('follows')
    op.drop_index('ix_coin_lots_user_status_unlock', table_name='coin_lots')
    op.drop_index('ix_coin_lots_status_unlock', table_name='coin_lots')
    op.drop_index('ix_coin_lots_ref', table_name='coin_lots')

    op.drop_table('coin_lots')
    op.drop_table('users')
    op.drop_table('sms_codes')
    op.drop_index(op.f('ix_rate_counters_expires_at'), table_name='rate_counters')

    op.drop_table('rate_counters')
    op.drop_index(op.f('ix_products_type'), table_name='products')

    op.drop_table('products')
    op.drop_index(op.f('ix_oauth_states_expires_at'), table_name='oauth_states')

    op.drop_table('oauth_states')
    op.drop_index(op.f('ix_idempotency_keys_expires_at'), table_name='idempotency_keys')

    op.drop_table('idempotency_keys')
