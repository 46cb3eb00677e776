"""What must hold at every moment of a simulation, read from one consistent snapshot: the ledger audit
(balances, costs, conservation) plus the exactly-once facts a ledger sum cannot show."""
from __future__ import annotations

from sqlalchemy import Engine, text

from .world import World

# Each query lists what breaks a rule; an empty answer means the rule holds.
RULES = {
    "a negative balance": """
        SELECT user_id FROM wallets WHERE credits < 0 OR credits_cost_fen < 0 OR coins_available_fen < 0
        OR coins_pending_fen < 0 OR coins_held_fen < 0""",
    "a task refunded twice": """
        SELECT ref_id FROM ledger_entries WHERE type = 'gen_refund' GROUP BY ref_id HAVING count(*) > 1""",
    "a failed task not refunded, or a refund of a task that did not fail": """
        SELECT id FROM generation_tasks WHERE (status = 'FAILURE') <> refunded""",
    "a refunded task without its refund entry": """
        SELECT t.id FROM generation_tasks t WHERE t.refunded AND t.cost > 0 AND NOT EXISTS (
            SELECT 1 FROM ledger_entries e WHERE e.unique_key = 'task:' || t.id || '\\:gen_refund')""",
    "a refund that did not give back exactly the cost its charges took": """
        SELECT t.id FROM generation_tasks t JOIN ledger_entries r ON r.unique_key = 'task:' || t.id || '\\:gen_refund'
        WHERE r.cost_fen <> t.cost_cny_fen OR t.cost_cny_fen <> -(SELECT COALESCE(SUM(e.cost_fen), 0)
            FROM ledger_entries e WHERE e.ref_kind = 'task' AND e.ref_id = CAST(t.id AS VARCHAR) AND e.amount < 0)""",
    "a paid payment fulfilled other than once": """
        SELECT p.id FROM payments p WHERE p.status IN ('paid', 'refunded') AND p.product_type <> 'subscription_monthly'
        AND (SELECT count(*) FROM ledger_entries e WHERE e.unique_key = 'payment:' || p.id || '\\:fulfil') <> 1""",
    "a paid card without exactly one card period": """
        SELECT p.id FROM payments p WHERE p.status IN ('paid', 'refunded') AND p.product_type = 'subscription_monthly'
        AND (SELECT count(*) FROM card_periods c WHERE c.payment_id = p.id) <> 1""",
    "an unpaid payment that delivered something": """
        SELECT p.id FROM payments p WHERE p.status NOT IN ('paid', 'refunded') AND (EXISTS (
            SELECT 1 FROM ledger_entries e WHERE e.ref_kind = 'payment' AND e.ref_id = CAST(p.id AS VARCHAR))
            OR EXISTS (SELECT 1 FROM card_periods c WHERE c.payment_id = p.id))""",
    "a payment refunded without exactly one succeeded refund": """
        SELECT p.id FROM payments p WHERE (p.status = 'refunded') <> EXISTS (
            SELECT 1 FROM refunds r WHERE r.payment_id = p.id AND r.status = 'succeeded')""",
    "a minor whose payments this month exceed their limit": """
        SELECT p.user_id FROM payments p JOIN identity_verifications v ON v.user_id = p.user_id
        WHERE p.status IN ('paid', 'refunded') AND v.birth_date > DATE '2010-11-30'
        GROUP BY p.user_id HAVING SUM(p.amount_fen) > 20000 * 12""",
    "a redemption code delivered other than once (once if redeemed, never if not)": """
        SELECT c.id FROM redemption_codes c WHERE (SELECT count(*) FROM ledger_entries e
            WHERE e.unique_key = 'redeem\\:' || c.id) + (SELECT count(*) FROM card_periods p
            WHERE p.redemption_code_id = c.id) <> (CASE WHEN c.redeemed_at IS NULL THEN 0 ELSE 1 END)""",
    "a code redeemed after its batch expired or was disabled": """
        SELECT c.id FROM redemption_codes c JOIN redemption_batches b ON b.id = c.batch_id
        WHERE c.redeemed_at >= b.expires_at OR c.redeemed_at > b.disabled_at""",
    "a withdrawal whose coins are not where its status says": """
        SELECT w.id FROM withdrawals w WHERE (SELECT count(*) FROM ledger_entries e WHERE e.ref_kind = 'withdrawal'
            AND e.ref_id = CAST(w.id AS VARCHAR) AND e.type = 'withdraw_paid') <> (CASE WHEN w.status = 'paid'
            THEN 1 ELSE 0 END) OR (SELECT count(*) FROM ledger_entries e WHERE e.ref_kind = 'withdrawal'
            AND e.ref_id = CAST(w.id AS VARCHAR) AND e.type = 'withdraw_release') <> (CASE WHEN w.status =
            'rejected' THEN 2 ELSE 0 END)""",
}


def violations(world: World, engine: Engine) -> list[str]:
    """Everything broken right now (an empty list when all is well)."""
    found = [str(problem) for problem in world.audit.verify()]
    with engine.connect().execution_options(isolation_level="REPEATABLE READ") as conn:
        for rule, query in RULES.items():
            rows = conn.execute(text(query)).fetchall()
            if rows:
                found.append(f"{rule}: {[tuple(r) for r in rows[:5]]}")
        conn.rollback()
    return found
