"""Credits carry what was paid for them; prompts that must stay hidden get a name of their own.

- wallets.credits_cost_fen and ledger_entries.cost_fen (the CNY cost credits carry), card_periods (each paid
  monthly card: its claims and price), ledger_epoch, and the cost a task's charges took (what a refund gives
  back, and the remix-fee part the creator's share is taken of).
- generation_tasks.upstream_prompt holds what the provider was sent; `prompt` becomes what the owner may see
  (visible_prompt goes). works.generation_prompt holds the prompt that made the video (never rendered).

The cost of credits already held follows one documented rule: **as if credits had always carried their cost**.
Each user's credits ledger is replayed in order with today's rules — a credits pack or promoter activation
brings in its payment's amount, a monthly-card claim its share of the card's price (price // days, the last
claim of a card the rest; card periods are rebuilt from the paid card payments in the order they were paid,
one claim per day of each period at most), free credits bring in nothing, spending n of N credits takes
floor(C·n/N) of their cost C, and a refund gives back exactly what its task's charges took. The replay writes
every entry's cost, each wallet's cost and each task's cost; balances do not change. Income earned before this
revision was paid at the old rate: ledger_epoch records the newest entry before it, and the audit's
revenue-share bound starts after it.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30
"""
from collections import defaultdict
from datetime import datetime, timedelta, timezone

import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')
CARD_DAYS, CARD_DAILY = 30, 30  # for a card product row that says nothing (days or daily credits of 0)


def upgrade() -> None:
    with op.batch_alter_table('wallets', schema=None) as batch_op:
        batch_op.add_column(sa.Column('credits_cost_fen', sa.BigInteger(), server_default='0', nullable=False))
    with op.batch_alter_table('ledger_entries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cost_fen', sa.BigInteger(), server_default='0', nullable=False))
    with op.batch_alter_table('generation_tasks', schema=None) as batch_op:
        batch_op.add_column(sa.Column('upstream_prompt', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('cost_cny_fen', sa.BigInteger(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('remix_fee_cost_fen', sa.BigInteger(), server_default='0', nullable=False))
    with op.batch_alter_table('works', schema=None) as batch_op:
        batch_op.add_column(sa.Column('generation_prompt', sa.Text(), server_default='', nullable=False))
    op.create_table('ledger_epoch',
    sa.Column('ledger_id', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('ledger_id', name=op.f('pk_ledger_epoch'))
    )
    op.create_table('card_periods',
    sa.Column('id', BigId, autoincrement=True, nullable=False),
    sa.Column('user_id', BigId, nullable=False),
    sa.Column('payment_id', BigId, nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('days', sa.Integer(), nullable=False),
    sa.Column('daily_credits', sa.BigInteger(), nullable=False),
    sa.Column('price_fen', sa.BigInteger(), nullable=False),
    sa.Column('claims', sa.Integer(), server_default='0', nullable=False),
    sa.Column('cost_claimed_fen', sa.BigInteger(), server_default='0', nullable=False),
    sa.CheckConstraint('days > 0 AND daily_credits >= 0 AND price_fen > 0 AND claims BETWEEN 0 AND days AND cost_claimed_fen BETWEEN 0 AND price_fen', name=op.f('ck_card_periods_claims_valid')),
    sa.ForeignKeyConstraint(['payment_id'], ['payments.id'], name=op.f('fk_card_periods_payment_id_payments')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_card_periods_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_card_periods')),
    sa.UniqueConstraint('payment_id', name=op.f('uq_card_periods_payment_id'))
    )
    with op.batch_alter_table('card_periods', schema=None) as batch_op:
        batch_op.create_index('ix_card_periods_user_starts', ['user_id', 'starts_at'], unique=False)

    conn = op.get_bind()
    conn.execute(sa.text("UPDATE generation_tasks SET upstream_prompt = prompt, "
                         "prompt = COALESCE(visible_prompt, prompt)"))
    conn.execute(sa.text("UPDATE works SET generation_prompt = COALESCE((SELECT t.upstream_prompt FROM video_assets v "
                         "JOIN generation_tasks t ON t.id = v.task_id WHERE v.id = works.video_id), prompt)"))
    backfill_costs(conn, datetime.now(timezone.utc))

    with op.batch_alter_table('generation_tasks', schema=None) as batch_op:
        batch_op.alter_column('upstream_prompt', existing_type=sa.Text(), nullable=False)
        batch_op.drop_column('visible_prompt')
        batch_op.create_check_constraint(op.f('ck_generation_tasks_costs_valid'),
                                         'remix_fee_cost_fen >= 0 AND cost_cny_fen >= remix_fee_cost_fen')
    with op.batch_alter_table('wallets', schema=None) as batch_op:
        batch_op.create_check_constraint(op.f('ck_wallets_credits_cost_valid'),
                                         'credits_cost_fen >= 0 AND (credits > 0 OR credits_cost_fen = 0)')
    with op.batch_alter_table('ledger_entries', schema=None) as batch_op:
        batch_op.create_check_constraint(op.f('ck_ledger_entries_cost_only_on_credits'),
                                         "account = 'credits' OR cost_fen = 0")


def downgrade() -> None:
    with op.batch_alter_table('ledger_entries', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_ledger_entries_cost_only_on_credits'), type_='check')
        batch_op.drop_column('cost_fen')
    with op.batch_alter_table('wallets', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_wallets_credits_cost_valid'), type_='check')
        batch_op.drop_column('credits_cost_fen')
    with op.batch_alter_table('generation_tasks', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_generation_tasks_costs_valid'), type_='check')
        batch_op.add_column(sa.Column('visible_prompt', sa.Text(), nullable=True))
    op.get_bind().execute(sa.text("UPDATE generation_tasks SET visible_prompt = CASE WHEN prompt <> upstream_prompt "
                                  "THEN prompt END, prompt = upstream_prompt"))
    with op.batch_alter_table('generation_tasks', schema=None) as batch_op:
        batch_op.drop_column('remix_fee_cost_fen')
        batch_op.drop_column('cost_cny_fen')
        batch_op.drop_column('upstream_prompt')
    with op.batch_alter_table('works', schema=None) as batch_op:
        batch_op.drop_column('generation_prompt')
    with op.batch_alter_table('card_periods', schema=None) as batch_op:
        batch_op.drop_index('ix_card_periods_user_starts')
    op.drop_table('card_periods')
    op.drop_table('ledger_epoch')


# The replay ------------------------------------------------------------------------------------------------
def backfill_costs(conn, now: datetime) -> None:
    """Replay every credits ledger under the cost rules (see the module docstring); write what it finds."""
    payments = {r.id: r for r in conn.execute(sa.text(
        "SELECT p.id, p.user_id, p.amount_fen, p.product_type, p.status, p.paid_at, p.created_at, "
        "pr.duration_days, pr.daily_credits FROM payments p JOIN products pr ON pr.id = p.product_id"))}
    claim_costs, periods = _card_claims(conn, payments)
    entry_costs, wallet_costs, task_costs = {}, {}, defaultdict(lambda: [0, 0, 0])  # charged, fee, owed
    rows = conn.execute(sa.text(
        "SELECT id, user_id, type, amount, ref_kind, ref_id FROM ledger_entries "
        "WHERE account = 'credits' ORDER BY user_id, id"))
    held, cost, user, paid_used = 0, 0, None, set()
    for r in rows:
        if r.user_id != user:
            if user is not None:
                wallet_costs[user] = (held, cost)
            user, held, cost = r.user_id, 0, 0
        task = int(r.ref_id) if r.ref_kind == 'task' and (r.ref_id or '').isdigit() else None
        if r.amount < 0:
            spent = -r.amount
            moved = -(cost if spent >= held else cost * spent // held) if held > 0 else 0
            if task is not None:
                task_costs[task][0] += -moved
                task_costs[task][2] += -moved
                if r.type == 'remix_spend':
                    task_costs[task][1] += -moved
        else:
            moved = _brought_in(r, payments, claim_costs, task_costs, task, paid_used)
        held, cost = held + r.amount, cost + moved
        if moved:
            entry_costs[r.id] = moved
    if user is not None:
        wallet_costs[user] = (held, cost)
    _write(conn, entry_costs, wallet_costs, task_costs, periods)
    newest = conn.execute(sa.text("SELECT MAX(id) FROM ledger_entries")).scalar()
    if newest is not None:
        conn.execute(sa.text("INSERT INTO ledger_epoch (ledger_id, created_at) VALUES (:i, :t)"),
                     {"i": newest, "t": now if conn.dialect.name != 'sqlite' else now.replace(tzinfo=None)})


def _brought_in(r, payments, claim_costs, task_costs, task, paid_used) -> int:
    """The cost a positive credits entry brings in: a paid product's amount (once per payment), a card claim's
    share, a refund's original charges; free credits nothing."""
    if r.type in ('recharge', 'promoter_grant') and r.ref_kind == 'payment' and (r.ref_id or '').isdigit():
        payment = payments.get(int(r.ref_id))
        if payment is not None and payment.status == 'paid' and payment.id not in paid_used:
            paid_used.add(payment.id)
            return payment.amount_fen
        return 0
    if r.type == 'subscription_claim':
        return claim_costs.get(r.id, 0)
    if r.type == 'gen_refund' and task is not None:
        given, task_costs[task][2] = task_costs[task][2], 0  # a refund gives back its task's charges once
        return given
    return 0


def _card_claims(conn, payments):
    """Card periods rebuilt from the paid card payments, in the order they were paid; each claim entry is
    matched to the period it fell in. Returns ({entry id: cost}, [period rows])."""
    periods_by_user = defaultdict(list)
    cards = sorted((p for p in payments.values() if p.product_type == 'subscription_monthly' and p.status == 'paid'),
                   key=lambda p: (_aware(p.paid_at or p.created_at), p.id))
    for p in cards:
        days = p.duration_days or CARD_DAYS
        mine = periods_by_user[p.user_id]
        paid_at = _aware(p.paid_at or p.created_at)
        start = max(paid_at, mine[-1]["ends_at"]) if mine else paid_at
        mine.append({"user_id": p.user_id, "payment_id": p.id, "starts_at": start,
                     "ends_at": start + timedelta(days=days), "days": days,
                     "daily_credits": p.daily_credits or CARD_DAILY, "price_fen": p.amount_fen, "claims": 0,
                     "cost_claimed_fen": 0})
    costs = {}
    for r in conn.execute(sa.text("SELECT id, user_id, created_at FROM ledger_entries "
                                  "WHERE type = 'subscription_claim' AND amount > 0 ORDER BY id")):
        at = _aware(r.created_at)
        period = next((x for x in periods_by_user.get(r.user_id, ()) if x["starts_at"] <= at < x["ends_at"]), None)
        if period is None or period["claims"] >= period["days"]:
            continue
        if period["claims"] + 1 == period["days"]:
            cost = period["price_fen"] - period["cost_claimed_fen"]
        else:
            cost = period["price_fen"] // period["days"]
        period["claims"] += 1
        period["cost_claimed_fen"] += cost
        costs[r.id] = cost
    return costs, [p for mine in periods_by_user.values() for p in mine]


def _write(conn, entry_costs, wallet_costs, task_costs, periods) -> None:
    sqlite = conn.dialect.name == 'sqlite'
    if entry_costs:
        conn.execute(sa.text("UPDATE ledger_entries SET cost_fen = :c WHERE id = :i"),
                     [{"c": c, "i": i} for i, c in entry_costs.items()])
    balances = {r.user_id: r.credits for r in conn.execute(sa.text("SELECT user_id, credits FROM wallets"))}
    updates = [{"c": cost, "u": user} for user, (held, cost) in wallet_costs.items()
               if cost and balances.get(user) == held and held > 0]
    if updates:
        conn.execute(sa.text("UPDATE wallets SET credits_cost_fen = :c WHERE user_id = :u"), updates)
    if task_costs:
        conn.execute(sa.text("UPDATE generation_tasks SET cost_cny_fen = :c, remix_fee_cost_fen = :f WHERE id = :i"),
                     [{"c": charged, "f": fee, "i": t} for t, (charged, fee, _) in task_costs.items()])
    if periods:
        for p in periods:
            for key in ("starts_at", "ends_at"):
                p[key] = p[key].replace(tzinfo=None) if sqlite else p[key]
        conn.execute(sa.text(
            "INSERT INTO card_periods (user_id, payment_id, starts_at, ends_at, days, daily_credits, price_fen, claims, "
            "cost_claimed_fen) VALUES (:user_id, :payment_id, :starts_at, :ends_at, :days, :daily_credits, :price_fen, "
            ":claims, :cost_claimed_fen)"), periods)


def _aware(value) -> datetime:
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)
