"""aigc_labels: the ids in the AIGC labels of stored files, uploads' labels, and the clean-download log.

- video_assets.aigc_produce_id: the ProduceID written into the video's files (NULL for videos stored before
  labels: they get one when first published).
- works.aigc_propagate_id: the PropagateID of the play copy the work serves.
- image_assets.aigc_label: the Label of an AIGC label an uploaded image carried.
- clean_downloads: who took a watermark-free copy of which video, when, from which address (kept at least 180
  days; nothing deletes it).

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30
"""
from alembic import op
import sqlalchemy as sa

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    with op.batch_alter_table('video_assets', schema=None) as batch_op:
        batch_op.add_column(sa.Column('aigc_produce_id', sa.String(length=128), nullable=True))
        batch_op.create_index('uq_video_assets_aigc_produce_id', ['aigc_produce_id'], unique=True)
    with op.batch_alter_table('works', schema=None) as batch_op:
        batch_op.add_column(sa.Column('aigc_propagate_id', sa.String(length=128), nullable=True))
        batch_op.create_index('uq_works_aigc_propagate_id', ['aigc_propagate_id'], unique=True)
    with op.batch_alter_table('image_assets', schema=None) as batch_op:
        batch_op.add_column(sa.Column('aigc_label', sa.String(length=8), nullable=True))
    op.create_table('clean_downloads',
    sa.Column('id', BigId, autoincrement=True, nullable=False),
    sa.Column('user_id', BigId, nullable=False),
    sa.Column('video_id', BigId, nullable=False),
    sa.Column('client_ip', sa.String(length=64), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_clean_downloads_user_id_users')),
    sa.ForeignKeyConstraint(['video_id'], ['video_assets.id'], name=op.f('fk_clean_downloads_video_id_video_assets')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_clean_downloads'))
    )
    op.create_index('ix_clean_downloads_user_id_id', 'clean_downloads', ['user_id', 'id'], unique=False)
    op.create_index('ix_clean_downloads_video_id_id', 'clean_downloads', ['video_id', 'id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_clean_downloads_video_id_id', table_name='clean_downloads')
    op.drop_index('ix_clean_downloads_user_id_id', table_name='clean_downloads')
    op.drop_table('clean_downloads')
    with op.batch_alter_table('image_assets', schema=None) as batch_op:
        batch_op.drop_column('aigc_label')
    with op.batch_alter_table('works', schema=None) as batch_op:
        batch_op.drop_index('uq_works_aigc_propagate_id')
        batch_op.drop_column('aigc_propagate_id')
    with op.batch_alter_table('video_assets', schema=None) as batch_op:
        batch_op.drop_index('uq_video_assets_aigc_produce_id')
        batch_op.drop_column('aigc_produce_id')
