"""Creation pipeline: projects, generation tasks, video assets.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('projects',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('owner_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_projects_owner_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_projects'))
    )
    with op.batch_alter_table('projects', schema=None) as batch_op:
        batch_op.create_index('ix_projects_owner_updated', ['owner_id', 'updated_at'], unique=False)

    op.create_table('generation_tasks',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('user_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('prompt', sa.Text(), nullable=False),
    sa.Column('model', sa.String(length=32), nullable=False),
    sa.Column('duration_sec', sa.Integer(), nullable=False),
    sa.Column('ratio', sa.String(length=8), nullable=False),
    sa.Column('cost', sa.BigInteger(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('progress', sa.Integer(), server_default='0', nullable=False),
    sa.Column('project_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('reference_image_asset_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('note', sa.String(length=400), server_default='', nullable=False),
    sa.Column('provider', sa.String(length=64), nullable=True),
    sa.Column('upstream_id', sa.String(length=128), nullable=True),
    sa.Column('error_message', sa.String(length=400), nullable=True),
    sa.Column('refunded', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('video_id', sa.BigInteger(), nullable=True),
    sa.Column('remix_of_work_id', sa.BigInteger(), nullable=True),
    sa.Column('remix_fee', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('next_poll_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('submit_claimed_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint('cost >= 0 AND remix_fee >= 0 AND progress BETWEEN 0 AND 100', name=op.f('ck_generation_tasks_amounts_valid')),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_generation_tasks_project_id_projects')),
    sa.ForeignKeyConstraint(['reference_image_asset_id'], ['image_assets.id'], name=op.f('fk_generation_tasks_reference_image_asset_id_image_assets')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_generation_tasks_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_generation_tasks'))
    )
    with op.batch_alter_table('generation_tasks', schema=None) as batch_op:
        batch_op.create_index('ix_generation_tasks_status_created', ['status', 'created_at'], unique=False)
        batch_op.create_index('ix_generation_tasks_status_poll', ['status', 'next_poll_at'], unique=False)
        batch_op.create_index('ix_generation_tasks_user_id_id', ['user_id', 'id'], unique=False)

    op.create_table('video_assets',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('owner_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('task_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('project_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('duration_sec', sa.Integer(), nullable=False),
    sa.Column('ratio', sa.String(length=8), nullable=False),
    sa.Column('original_key', sa.String(length=255), nullable=False),
    sa.Column('watermarked_key', sa.String(length=255), nullable=False),
    sa.Column('cover_key', sa.String(length=255), nullable=False),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('height', sa.Integer(), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('publish_status', sa.String(length=16), server_default='draft', nullable=False),
    sa.Column('clean_download_paid', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_video_assets_owner_id_users')),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_video_assets_project_id_projects')),
    sa.ForeignKeyConstraint(['task_id'], ['generation_tasks.id'], name=op.f('fk_video_assets_task_id_generation_tasks')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_video_assets')),
    sa.UniqueConstraint('task_id', name=op.f('uq_video_assets_task_id'))
    )
    with op.batch_alter_table('video_assets', schema=None) as batch_op:
        batch_op.create_index('ix_video_assets_owner_id_id', ['owner_id', 'id'], unique=False)
        batch_op.create_index('ix_video_assets_owner_project_id', ['owner_id', 'project_id', 'id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('video_assets', schema=None) as batch_op:
        batch_op.drop_index('ix_video_assets_owner_project_id')
        batch_op.drop_index('ix_video_assets_owner_id_id')

    op.drop_table('video_assets')
    with op.batch_alter_table('generation_tasks', schema=None) as batch_op:
        batch_op.drop_index('ix_generation_tasks_user_id_id')
        batch_op.drop_index('ix_generation_tasks_status_poll')
        batch_op.drop_index('ix_generation_tasks_status_created')

    op.drop_table('generation_tasks')
    with op.batch_alter_table('projects', schema=None) as batch_op:
        batch_op.drop_index('ix_projects_owner_updated')

    op.drop_table('projects')
