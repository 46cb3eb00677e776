"""One payment, the same notification 20 times from 8 threads: fulfilled exactly once."""
from __future__ import annotations

import pytest

from adapters.sqlalchemy.unit_of_work import SqlUnitOfWorkFactory
from skyriff_domain.model.ledger import Account
from skyriff_domain.model.payment import PaymentStatus
from skyriff_domain.money import Coins, Credits
from skyriff_domain.services.ledger_audit import LedgerAudit
from tests.integration.test_commerce_contract import World
from tests.support.concurrency import errors_of, run_together, values_of
from tests.support.usecases import sandbox_notice


def notify_concurrently(world: World, payment_id: int, amount: str, times: int = 20, threads: int = 8) -> None:
    """`times` copies of one notification on `threads` threads released together; every one is answered
    with the paid payment (a repeat is acknowledged, never an error)."""
    headers, body = sandbox_notice(payment_id, amount)
    outcomes = run_together([lambda: world.payments.handle_notification("sandbox", headers, body)] * times, threads)
    assert errors_of(outcomes) == []
    assert {(p.id, p.status) for p in values_of(outcomes)} == {(payment_id, PaymentStatus.PAID)}


@pytest.mark.postgres
def test_20_notifications_from_8_threads_fulfil_once_on_postgres(pg_engine):
    world = World(SqlUnitOfWorkFactory(pg_engine))
    pid = world.user()
    world.pay(pid, "promoter_activation")
    invitee = world.user()
    world.referrals.bind(invitee, world.referrals.promoter(pid).referral_code)
    with world.uow() as uow:
        product = uow.products.get_by_sku("credits_30")
    created = world.payments.create(invitee, product.id, "sandbox")

    notify_concurrently(world, created.payment.id, "30.00")

    assert world.payments.get(invitee, created.payment.id).status is PaymentStatus.PAID
    assert world.wallets.overview(invitee).credits == Credits(50 + 600)
    assert world.wallets.overview(pid).coins_pending == Coins.of("3.00")  # one commission, not twenty
    with world.uow() as uow:
        recharges = [e for e in uow.ledger.page(invitee, (Account.CREDITS,), None, 100) if e.type.value == "recharge"]
    assert len(recharges) == 1
    assert LedgerAudit(world.uow).verify() == []


def test_repeated_notifications_fulfil_once_on_sqlite(sqlite_engine):
    world = World(SqlUnitOfWorkFactory(sqlite_engine))
    uid = world.user()
    with world.uow() as uow:
        product = uow.products.get_by_sku("credits_6")
    created = world.payments.create(uid, product.id, "sandbox")
    notify_concurrently(world, created.payment.id, "6.00", times=10, threads=4)
    assert world.wallets.overview(uid).credits == Credits(120)
