"""Moderation: a work's review state, the feed's partial indexes over passed works, moderation cases, reports,
appeals, sanctions and the shared feed pages' generation counter.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-26
"""
from alembic import op
import sqlalchemy as sa

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')
PASSED = sa.text("review_status = 'passed'")
OPEN = sa.text("status = 'open'")


def upgrade() -> None:
    with op.batch_alter_table('works', schema=None) as batch_op:
        batch_op.add_column(sa.Column('review_status', sa.String(length=16), server_default='passed', nullable=False))
        batch_op.add_column(sa.Column('review_note', sa.String(length=1000), server_default='', nullable=False))
    op.create_index('ix_works_discover_passed', 'works', ['id'], postgresql_where=PASSED, sqlite_where=PASSED)
    op.create_index('ix_works_hot_passed', 'works', ['hot_score', 'id'], postgresql_where=PASSED, sqlite_where=PASSED)
    op.create_index('ix_works_rank_passed', 'works', ['tip_total', 'id'], postgresql_where=PASSED, sqlite_where=PASSED)
    op.drop_index('ix_works_hot', table_name='works')
    op.drop_index('ix_works_rank', table_name='works')

    op.create_table('moderation_cases',
    sa.Column('id', ID, autoincrement=True, nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('user_id', ID, nullable=False),
    sa.Column('task_id', ID, nullable=True),
    sa.Column('video_id', ID, nullable=True),
    sa.Column('work_id', ID, nullable=True),
    sa.Column('labels', sa.JSON(), nullable=False),
    sa.Column('reference', sa.String(length=128), server_default='', nullable=False),
    sa.Column('excerpt', sa.String(length=400), server_default='', nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('opened_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decided_by', sa.String(length=64), nullable=True),
    sa.Column('operator_id', sa.BigInteger(), nullable=True),
    sa.Column('decision_reason', sa.String(length=1000), server_default='', nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_moderation_cases_user_id_users')),
    sa.ForeignKeyConstraint(['task_id'], ['generation_tasks.id'],
                            name=op.f('fk_moderation_cases_task_id_generation_tasks')),
    sa.ForeignKeyConstraint(['video_id'], ['video_assets.id'], name=op.f('fk_moderation_cases_video_id_video_assets')),
    sa.ForeignKeyConstraint(['work_id'], ['works.id'], name=op.f('fk_moderation_cases_work_id_works')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_moderation_cases'))
    )
    op.create_index('ix_moderation_cases_queue', 'moderation_cases', ['opened_at', 'id'], postgresql_where=OPEN,
                    sqlite_where=OPEN)
    op.create_index('uq_moderation_cases_open_work', 'moderation_cases', ['work_id'], unique=True,
                    postgresql_where=OPEN, sqlite_where=OPEN)
    op.create_index('ix_moderation_cases_work_id', 'moderation_cases', ['work_id', 'id'])
    op.create_index('ix_moderation_cases_task_id', 'moderation_cases', ['task_id'])
    op.create_index('ix_moderation_cases_video_id', 'moderation_cases', ['video_id'])

    op.create_table('work_reports',
    sa.Column('id', ID, autoincrement=True, nullable=False),
    sa.Column('work_id', ID, nullable=False),
    sa.Column('reporter_id', ID, nullable=False),
    sa.Column('case_id', ID, nullable=True),
    sa.Column('reason', sa.String(length=16), nullable=False),
    sa.Column('detail', sa.String(length=1000), server_default='', nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['work_id'], ['works.id'], name=op.f('fk_work_reports_work_id_works')),
    sa.ForeignKeyConstraint(['reporter_id'], ['users.id'], name=op.f('fk_work_reports_reporter_id_users')),
    sa.ForeignKeyConstraint(['case_id'], ['moderation_cases.id'],
                            name=op.f('fk_work_reports_case_id_moderation_cases')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_work_reports'))
    )
    op.create_index('uq_work_reports_open', 'work_reports', ['reporter_id', 'work_id'], unique=True,
                    postgresql_where=OPEN, sqlite_where=OPEN)
    op.create_index('ix_work_reports_reporter_id', 'work_reports', ['reporter_id', 'id'])
    op.create_index('ix_work_reports_work_status', 'work_reports', ['work_id', 'status'])
    op.create_index('ix_work_reports_case_id', 'work_reports', ['case_id'])

    op.create_table('appeals',
    sa.Column('id', ID, autoincrement=True, nullable=False),
    sa.Column('work_id', ID, nullable=False),
    sa.Column('user_id', ID, nullable=False),
    sa.Column('case_id', ID, nullable=False),
    sa.Column('reason', sa.String(length=1000), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decided_by', sa.String(length=64), nullable=True),
    sa.Column('operator_id', sa.BigInteger(), nullable=True),
    sa.Column('decision_reason', sa.String(length=1000), server_default='', nullable=False),
    sa.ForeignKeyConstraint(['work_id'], ['works.id'], name=op.f('fk_appeals_work_id_works')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_appeals_user_id_users')),
    sa.ForeignKeyConstraint(['case_id'], ['moderation_cases.id'], name=op.f('fk_appeals_case_id_moderation_cases')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_appeals')),
    sa.UniqueConstraint('case_id', name=op.f('uq_appeals_case_id'))
    )
    op.create_index('ix_appeals_status_id', 'appeals', ['status', 'id'])

    op.create_table('user_sanctions',
    sa.Column('id', ID, autoincrement=True, nullable=False),
    sa.Column('user_id', ID, nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('reason', sa.String(length=1000), nullable=False),
    sa.Column('until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decided_by', sa.String(length=64), nullable=False),
    sa.Column('operator_id', sa.BigInteger(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_user_sanctions_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_sanctions'))
    )
    op.create_index('ix_user_sanctions_user_kind', 'user_sanctions', ['user_id', 'kind', 'until'])

    op.create_table('page_cache_generations',
    sa.Column('name', sa.String(length=32), nullable=False),
    sa.Column('generation', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_page_cache_generations'))
    )


def downgrade() -> None:
    op.drop_table('page_cache_generations')
    op.drop_table('user_sanctions')
    op.drop_table('appeals')
    op.drop_table('work_reports')
    op.drop_table('moderation_cases')
    op.create_index('ix_works_rank', 'works', ['tip_total', 'id'])
    op.create_index('ix_works_hot', 'works', ['hot_score', 'id'])
    op.drop_index('ix_works_rank_passed', table_name='works')
    op.drop_index('ix_works_hot_passed', table_name='works')
    op.drop_index('ix_works_discover_passed', table_name='works')
    with op.batch_alter_table('works', schema=None) as batch_op:
        batch_op.drop_column('review_note')
        batch_op.drop_column('review_status')
