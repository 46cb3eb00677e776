"""Index tasks by (provider, upstream_id): provider webhooks name the upstream job.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24
"""
from alembic import op


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('generation_tasks', schema=None) as batch_op:
        batch_op.create_index('ix_generation_tasks_upstream', ['provider', 'upstream_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('generation_tasks', schema=None) as batch_op:
        batch_op.drop_index('ix_generation_tasks_upstream')

