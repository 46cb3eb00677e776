"""Community: works with counters and hot score, reactions, tips, daily tasks; creator tip totals.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24
"""
from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('daily_tasks',
    sa.Column('user_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('task_key', sa.String(length=32), nullable=False),
    sa.Column('completed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('claimed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_daily_tasks_user_id_users')),
    sa.PrimaryKeyConstraint('user_id', 'day', 'task_key', name=op.f('pk_daily_tasks'))
    )
    op.create_table('works',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('creator_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('video_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('title', sa.String(length=100), nullable=False),
    sa.Column('description', sa.String(length=1000), server_default='', nullable=False),
    sa.Column('prompt', sa.Text(), nullable=False),
    sa.Column('is_prompt_locked', sa.Boolean(), nullable=False),
    sa.Column('prompt_price', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('remix_fee', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('like_count', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('favorite_count', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('tip_count', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('tip_total', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('share_count', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('views', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('hot_score', sa.Double(), nullable=False),
    sa.Column('cover_key', sa.String(length=255), server_default='', nullable=False),
    sa.Column('play_key', sa.String(length=255), server_default='', nullable=False),
    sa.Column('duration_sec', sa.Integer(), server_default='0', nullable=False),
    sa.Column('ratio', sa.String(length=8), server_default='', nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('like_count >= 0 AND favorite_count >= 0 AND tip_count >= 0 AND tip_total >= 0 AND share_count >= 0 AND views >= 0 AND prompt_price >= 0 AND remix_fee >= 0', name=op.f('ck_works_counters_not_negative')),
    sa.ForeignKeyConstraint(['creator_id'], ['users.id'], name=op.f('fk_works_creator_id_users')),
    sa.ForeignKeyConstraint(['video_id'], ['video_assets.id'], name=op.f('fk_works_video_id_video_assets')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_works')),
    sa.UniqueConstraint('video_id', name=op.f('uq_works_video_id'))
    )
    with op.batch_alter_table('works', schema=None) as batch_op:
        batch_op.create_index('ix_works_creator_id', ['creator_id', 'id'], unique=False)
        batch_op.create_index('ix_works_hot', ['hot_score', 'id'], unique=False)
        batch_op.create_index('ix_works_rank', ['tip_total', 'id'], unique=False)

    op.create_table('tips',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('work_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('from_user_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('to_user_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('amount > 0', name=op.f('ck_tips_amount_positive')),
    sa.ForeignKeyConstraint(['from_user_id'], ['users.id'], name=op.f('fk_tips_from_user_id_users')),
    sa.ForeignKeyConstraint(['to_user_id'], ['users.id'], name=op.f('fk_tips_to_user_id_users')),
    sa.ForeignKeyConstraint(['work_id'], ['works.id'], name=op.f('fk_tips_work_id_works')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tips'))
    )
    with op.batch_alter_table('tips', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tips_to_user_id'), ['to_user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_tips_work_id'), ['work_id'], unique=False)

    op.create_table('work_reactions',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('user_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('work_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_work_reactions_user_id_users')),
    sa.ForeignKeyConstraint(['work_id'], ['works.id'], name=op.f('fk_work_reactions_work_id_works')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_work_reactions')),
    sa.UniqueConstraint('kind', 'user_id', 'work_id', name=op.f('uq_work_reactions_kind_user_id_work_id'))
    )
    with op.batch_alter_table('work_reactions', schema=None) as batch_op:
        batch_op.create_index('ix_work_reactions_kind_user_id', ['kind', 'user_id', 'id'], unique=False)

    with op.batch_alter_table('generation_tasks', schema=None) as batch_op:
        batch_op.add_column(sa.Column('visible_prompt', sa.Text(), nullable=True))

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('tips_received_credits', sa.BigInteger(), server_default='0', nullable=False))
        batch_op.create_index(batch_op.f('ix_users_tips_received_credits'), ['tips_received_credits'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_users_tips_received_credits'))
        batch_op.drop_column('tips_received_credits')

    with op.batch_alter_table('generation_tasks', schema=None) as batch_op:
        batch_op.drop_column('visible_prompt')

    with op.batch_alter_table('work_reactions', schema=None) as batch_op:
        batch_op.drop_index('ix_work_reactions_kind_user_id')

    op.drop_table('work_reactions')
    with op.batch_alter_table('tips', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tips_work_id'))
        batch_op.drop_index(batch_op.f('ix_tips_to_user_id'))

    op.drop_table('tips')
    with op.batch_alter_table('works', schema=None) as batch_op:
        batch_op.drop_index('ix_works_rank')
        batch_op.drop_index('ix_works_hot')
        batch_op.drop_index('ix_works_creator_id')

    op.drop_table('works')
    op.drop_table('daily_tasks')
