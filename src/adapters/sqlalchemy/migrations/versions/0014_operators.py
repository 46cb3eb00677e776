"""Operators: accounts, console sessions, the append-only audit log (triggers refuse UPDATE and DELETE), ledger
check results, payment events, and the indexes the console's daily figures read by time.

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-30
"""
from alembic import op
import sqlalchemy as sa

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')
TZ = sa.DateTime(timezone=True)
APPEND_ONLY = "audit_log is append-only"


def upgrade() -> None:
    op.create_table('operators',
    sa.Column('id', ID, autoincrement=True, nullable=False),
    sa.Column('name', sa.String(length=32), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('totp_token', sa.Text(), nullable=True),
    sa.Column('totp_last_step', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('disabled', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('failed_logins', sa.Integer(), server_default='0', nullable=False),
    sa.Column('locked_until', TZ, nullable=True),
    sa.Column('last_login_at', TZ, nullable=True),
    sa.Column('created_at', TZ, nullable=False),
    sa.CheckConstraint("role IN ('admin', 'finance', 'moderator', 'support')", name=op.f('ck_operators_role_known')),
    sa.CheckConstraint('failed_logins >= 0', name=op.f('ck_operators_failures_not_negative')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_operators')),
    sa.UniqueConstraint('name', name=op.f('uq_operators_name'))
    )
    op.create_table('operator_sessions',
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('operator_id', ID, nullable=False),
    sa.Column('csrf_token', sa.String(length=64), nullable=False),
    sa.Column('ip', sa.String(length=64), server_default='', nullable=False),
    sa.Column('created_at', TZ, nullable=False),
    sa.Column('last_seen_at', TZ, nullable=False),
    sa.ForeignKeyConstraint(['operator_id'], ['operators.id'], name=op.f('fk_operator_sessions_operator_id_operators')),
    sa.PrimaryKeyConstraint('token_hash', name=op.f('pk_operator_sessions'))
    )
    op.create_index(op.f('ix_operator_sessions_operator_id'), 'operator_sessions', ['operator_id'])
    op.create_index(op.f('ix_operator_sessions_last_seen_at'), 'operator_sessions', ['last_seen_at'])

    op.create_table('audit_log',
    sa.Column('id', ID, autoincrement=True, nullable=False),
    sa.Column('at', TZ, nullable=False),
    sa.Column('operator_id', sa.BigInteger(), nullable=True),
    sa.Column('operator_name', sa.String(length=64), nullable=False),
    sa.Column('role', sa.String(length=16), server_default='', nullable=False),
    sa.Column('action', sa.String(length=64), nullable=False),
    sa.Column('object_type', sa.String(length=32), nullable=False),
    sa.Column('object_id', sa.String(length=64), nullable=False),
    sa.Column('reason', sa.String(length=1000), server_default='', nullable=False),
    sa.Column('before', sa.JSON(), nullable=True),
    sa.Column('after', sa.JSON(), nullable=True),
    sa.Column('ip', sa.String(length=64), server_default='', nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log'))
    )
    op.create_index('ix_audit_log_operator_id', 'audit_log', ['operator_name', 'id'])
    op.create_index('ix_audit_log_object', 'audit_log', ['object_type', 'object_id', 'id'])
    op.create_index('ix_audit_log_action_id', 'audit_log', ['action', 'id'])
    op.create_index('ix_audit_log_at', 'audit_log', ['at'])
    _refuse_changes()

    op.create_table('ledger_checks',
    sa.Column('id', ID, autoincrement=True, nullable=False),
    sa.Column('ran_at', TZ, nullable=False),
    sa.Column('ok', sa.Boolean(), nullable=False),
    sa.Column('problems', sa.Integer(), nullable=False),
    sa.Column('summary', sa.Text(), server_default='', nullable=False),
    sa.Column('source', sa.String(length=16), server_default='', nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ledger_checks'))
    )
    op.create_table('payment_events',
    sa.Column('id', ID, autoincrement=True, nullable=False),
    sa.Column('payment_id', ID, nullable=False),
    sa.Column('at', TZ, nullable=False),
    sa.Column('source', sa.String(length=16), nullable=False),
    sa.Column('outcome', sa.String(length=16), nullable=False),
    sa.Column('state', sa.String(length=16), server_default='', nullable=False),
    sa.Column('transaction_id', sa.String(length=64), nullable=True),
    sa.Column('amount_fen', sa.BigInteger(), nullable=True),
    sa.Column('detail', sa.String(length=400), server_default='', nullable=False),
    sa.ForeignKeyConstraint(['payment_id'], ['payments.id'], name=op.f('fk_payment_events_payment_id_payments')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_payment_events'))
    )
    op.create_index('ix_payment_events_payment_id', 'payment_events', ['payment_id', 'id'])

    op.create_index('ix_users_created_at', 'users', ['created_at'])
    op.create_index('ix_ledger_entries_created_at', 'ledger_entries', ['created_at'])
    op.create_index('ix_payments_paid_at', 'payments', ['paid_at'])
    op.create_index('ix_generation_tasks_created_at', 'generation_tasks', ['created_at'])
    op.create_index('ix_generation_tasks_finished_at', 'generation_tasks', ['finished_at'])


def _refuse_changes() -> None:
    """Nothing edits the audit log: UPDATE and DELETE raise, whoever asks (TRUNCATE, a DBA's deliberate act on the
    whole table, is not a row change and stays possible)."""
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(f"""
            CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION '{APPEND_ONLY}'; END $$""")
        op.execute("CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log "
                   "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()")
    else:
        for verb in ('UPDATE', 'DELETE'):
            op.execute(f"CREATE TRIGGER audit_log_no_{verb.lower()} BEFORE {verb} ON audit_log "
                       f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY}'); END")


def downgrade() -> None:
    op.drop_index('ix_generation_tasks_finished_at', table_name='generation_tasks')
    op.drop_index('ix_generation_tasks_created_at', table_name='generation_tasks')
    op.drop_index('ix_payments_paid_at', table_name='payments')
    op.drop_index('ix_ledger_entries_created_at', table_name='ledger_entries')
    op.drop_index('ix_users_created_at', table_name='users')
    op.drop_table('payment_events')
    op.drop_table('ledger_checks')
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log")
        op.execute("DROP FUNCTION IF EXISTS audit_log_append_only()")
    op.drop_table('audit_log')
    op.drop_table('operator_sessions')
    op.drop_table('operators')
