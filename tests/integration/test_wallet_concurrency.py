"""Concurrent spending never overspends: 32 threads on one wallet, and the row lock is really taken."""
from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from adapters.clock import SystemClock
from adapters.sqlalchemy.unit_of_work import SqlUnitOfWorkFactory
from skyriff_domain.errors import InsufficientCredits
from skyriff_domain.model.ledger import Account, LedgerType
from skyriff_domain.model.user import Identity, IdentityKind
from skyriff_domain.money import Credits
from skyriff_domain.policy import Policy
from skyriff_domain.services.ledger_audit import LedgerAudit
from skyriff_domain.services.registration import NewUser, register
from skyriff_domain.services.wallets import Wallets

THREADS = 32
START, PRICE = 100, 7  # 14 spends fit, 18 must be refused


def funded_user(uow_factory, credits: int) -> int:
    with uow_factory() as uow:
        user = register(uow, NewUser("rich", "13800138000"), [Identity(IdentityKind.PHONE, "13800138000")],
                        SystemClock().now())
        uow.commit()
    Wallets(uow_factory, SystemClock(), Policy()).grant_credits(user.id, Credits(credits), LedgerType.RECHARGE, "充值")
    return user.id


def spend_concurrently(uow_factory, user_id: int) -> tuple[int, int]:
    wallets = Wallets(uow_factory, SystemClock(), Policy())
    barrier = threading.Barrier(THREADS)

    def spend(_):
        barrier.wait()  # release all threads at once
        try:
            wallets.spend_credits(user_id, Credits(PRICE), LedgerType.GEN_SPEND, "生成")
            return True
        except InsufficientCredits:
            return False

    with ThreadPoolExecutor(THREADS) as pool:
        results = list(pool.map(spend, range(THREADS)))
    return results.count(True), results.count(False)


def assert_no_overspend(uow_factory, user_id: int, ok: int, refused: int) -> None:
    assert ok + refused == THREADS
    assert ok == START // PRICE
    with uow_factory() as uow:
        balance = uow.wallets.get(user_id).credits
        entries = uow.ledger.page(user_id, (Account.CREDITS,), None, 1000)
    assert balance == Credits(START - ok * PRICE) and not balance.is_negative
    assert sum(e.amount.minor for e in entries) == balance.minor
    assert len([e for e in entries if e.type is LedgerType.GEN_SPEND]) == ok
    assert sorted(e.balance_after.minor for e in entries if e.type is LedgerType.GEN_SPEND) == [
        START - PRICE * n for n in range(ok, 0, -1)]
    assert LedgerAudit(uow_factory).verify() == []


@pytest.mark.postgres
def test_32_threads_spending_from_one_wallet_on_postgres(pg_engine):
    uow = SqlUnitOfWorkFactory(pg_engine)
    user_id = funded_user(uow, START)
    assert_no_overspend(uow, user_id, *spend_concurrently(uow, user_id))


def test_32_threads_spending_from_one_wallet_on_sqlite(sqlite_engine):
    uow = SqlUnitOfWorkFactory(sqlite_engine)
    user_id = funded_user(uow, START)
    assert_no_overspend(uow, user_id, *spend_concurrently(uow, user_id))


@pytest.mark.postgres
def test_get_for_update_really_locks_the_wallet_row(pg_engine):
    """An ORM can silently drop FOR UPDATE; this shows a second locker is kept waiting."""
    uow_factory = SqlUnitOfWorkFactory(pg_engine)
    user_id = funded_user(uow_factory, 10)
    holder = uow_factory()
    try:
        holder.wallets.get_for_update(user_id)  # lock held until rollback below
        with uow_factory() as other:
            other.conn.execute(text("SET LOCAL lock_timeout = '200ms'"))
            assert other.wallets.get(user_id) is not None  # plain reads are not blocked
            with pytest.raises(OperationalError, match="lock"):
                other.wallets.get_for_update(user_id)
    finally:
        holder.rollback()
        holder.close()
    with uow_factory() as again:  # released: the lock can be taken now
        again.conn.execute(text("SET LOCAL lock_timeout = '200ms'"))
        assert again.wallets.get_for_update(user_id) is not None
