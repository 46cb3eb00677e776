"""The viewer's flags on a page of works read by (user, work): the old (kind, user) index made PostgreSQL
scan every reaction the viewer ever made to find the page's twenty.

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-30
"""
from alembic import op

revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_work_reactions_user_work', 'work_reactions', ['user_id', 'work_id', 'kind'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_work_reactions_user_work', table_name='work_reactions')
