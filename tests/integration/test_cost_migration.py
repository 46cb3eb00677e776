"""Migration 0007 on a database that already has money in it: balances stay, every credit gets the cost the
documented rule gives it (as if costs had always been tracked), hidden prompts get their own column, and the
audit is clean afterwards — on SQLite and PostgreSQL."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import text

from adapters.sqlalchemy.engine import make_engine
from adapters.sqlalchemy.migrate import upgrade
from adapters.sqlalchemy.unit_of_work import SqlUnitOfWorkFactory
from skyriff_domain.model.ledger import Account
from skyriff_domain.money import Cny, Credits
from skyriff_domain.services.ledger_audit import LedgerAudit
from tests.support.databases import create_database, drop_database, postgres_or_skip

T0 = datetime(2026, 11, 1, 2, 0, tzinfo=timezone.utc)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def old_engine(request, tmp_path):
    """A database at revision 0006, before credits carried a cost."""
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'old.sqlite3'}")
        upgrade(engine, "0006")
        yield engine
        engine.dispose()
        return
    server = postgres_or_skip()
    url = create_database(server)
    engine = make_engine(url)
    upgrade(engine, "0006")
    yield engine
    engine.dispose()
    drop_database(server, url)


def at(days: float = 0) -> datetime:
    return T0 + timedelta(days=days)


def rows(conn, table: str, items: list[dict]) -> None:
    for item in items:
        columns = ", ".join(item)
        conn.execute(text(f"INSERT INTO {table} ({columns}) VALUES ({', '.join(':' + c for c in item)})"), item)


def history(engine) -> None:
    """A fan who bought 600 credits, had a task refunded, tipped, got a reward and remixed a locked work; a creator
    paid at the old rate (1 CNY a credit) and claiming a monthly card for three days."""
    ledger = []

    def entry(user, kind, amount, after, ref_kind=None, ref_id=None, day=0, account="credits"):
        ledger.append(dict(user_id=user, account=account, type=kind, amount=amount, balance_after=after,
                           description=kind, ref_kind=ref_kind, ref_id=ref_id, created_at=at(day)))

    with engine.begin() as conn:
        rows(conn, "users", [dict(id=1, nickname="粉丝", created_at=at()), dict(id=2, nickname="创作者", created_at=at())])
        rows(conn, "products", [
            dict(id=1, sku="credits_30", type="credits_pack", name="30元", price_fen=3000, credits_amount=600),
            dict(id=2, sku="monthly_card", type="subscription_monthly", name="月卡", price_fen=2900, duration_days=30,
                 daily_credits=30)])
        rows(conn, "payments", [
            dict(id=1, user_id=1, product_id=1, product_type="credits_pack", channel="sandbox", amount_fen=3000,
                 description="30元", out_trade_no="SR1", status="paid", created_at=at(), expires_at=at(1),
                 paid_at=at()),
            dict(id=2, user_id=2, product_id=2, product_type="subscription_monthly", channel="sandbox",
                 amount_fen=2900, description="月卡", out_trade_no="SR2", status="paid", created_at=at(),
                 expires_at=at(1), paid_at=at())])
        rows(conn, "subscriptions", [dict(id=1, user_id=2, start_at=at(), end_at=at(30))])
        task = dict(user_id=1, model="sora2", duration_sec=10, ratio="9:16", progress=0, created_at=at())
        rows(conn, "generation_tasks", [
            dict(task, id=1, prompt="猫", cost=10, status="FAILURE", refunded=True),
            dict(task, id=2, prompt="锁定的提示词\n下雨", visible_prompt="二创《猫》：下雨", cost=12, status="SUCCESS",
                 remix_of_work_id=9, remix_fee=2)])
        rows(conn, "video_assets", [dict(id=1, owner_id=1, task_id=2, duration_sec=10, ratio="9:16", original_key="o",
                                         watermarked_key="w", cover_key="c", width=1, height=1, size=1,
                                         publish_status="published", created_at=at())])
        rows(conn, "works", [dict(id=1, creator_id=1, video_id=1, title="雨", prompt="二创《猫》：下雨",
                                  is_prompt_locked=False, hot_score=1.0, created_at=at())])
        entry(1, "recharge", 600, 600, "payment", "1")
        entry(1, "gen_spend", -10, 590, "task", "1")
        entry(1, "gen_refund", 10, 600, "task", "1")
        entry(1, "tip_spend", -20, 580, "tip", "1")
        entry(1, "task_reward", 2, 582)
        entry(1, "gen_spend", -10, 572, "task", "2")
        entry(1, "remix_spend", -2, 570, "task", "2")
        for day in range(3):
            entry(2, "subscription_claim", 30, 30 * (day + 1), "subscription", "1", day=day + 0.1)
        entry(2, "tip_income", 1800, 1800, "tip", "1", account="coins_pending")
        rows(conn, "ledger_entries", ledger)
        rows(conn, "coin_lots", [dict(user_id=2, amount_fen=1800, source="tip_income", status="pending",
                                      unlock_at=at(7), ref_kind="tip", ref_id="1", created_at=at())])
        rows(conn, "wallets", [dict(user_id=1, credits=570), dict(user_id=2, credits=90, coins_pending_fen=1800)])


def test_history_gets_its_costs_and_the_audit_is_clean(old_engine):
    history(old_engine)
    upgrade(old_engine)
    uow = SqlUnitOfWorkFactory(old_engine)
    with uow() as u:
        fan, creator = u.wallets.get(1), u.wallets.get(2)
        entries = u.ledger.page(1, (Account.CREDITS,), None, 20)
        first, remix = u.tasks.get(1), u.tasks.get(2)
        work = u.works.get(1)
        period = u.subscriptions.period_at(2, at(1))
        epoch = u.ledger.audit_epoch()
    assert (fan.credits, fan.credits_cost) == (Credits(570), Cny(2842))
    # 3000 in; 10 of 600 take 50; the refund gives the 50 back; 20 of 600 take 100; a reward brings nothing;
    # 10 of 582 take floor(2900·10/582) = 49; 2 of 572 take floor(2851·2/572) = 9
    assert [e.cost.minor for e in reversed(entries)] == [3000, -50, 50, -100, 0, -49, -9]
    assert (first.cost_cny, first.remix_fee_cost_cny) == (Cny(50), Cny(0))
    assert (remix.cost_cny, remix.remix_fee_cost_cny) == (Cny(58), Cny(9))
    assert (creator.credits, creator.credits_cost) == (Credits(90), Cny(288))  # three claims of 0.96
    assert (period.claims, period.cost_claimed, period.price, period.days) == (3, Cny(288), Cny(2900), 30)
    assert (remix.prompt, remix.upstream_prompt) == ("二创《猫》：下雨", "锁定的提示词\n下雨")
    assert (work.prompt, work.generation_prompt) == ("二创《猫》：下雨", "锁定的提示词\n下雨")
    assert epoch is not None and epoch[0] == 11  # the old rate's income is before it
    assert LedgerAudit(uow).verify() == []


def test_an_empty_database_needs_no_epoch(old_engine):
    upgrade(old_engine)
    with SqlUnitOfWorkFactory(old_engine)() as u:
        assert u.ledger.audit_epoch() is None
