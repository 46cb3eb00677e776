"""Payments, cards, referrals and withdrawals behave the same on the fakes, SQLite and PostgreSQL: the same
use-case flows run over each backend."""
from __future__ import annotations

from decimal import Decimal

import pytest

from adapters.clock import FixedClock
from adapters.payments.sandbox import SandboxGateway
from adapters.secret_generators import SequentialSecrets
from skyriff_domain.errors import AlreadyClaimed, InsufficientCoins, InvalidReferralCode
from skyriff_domain.model.payment import PaymentStatus
from skyriff_domain.model.user import Identity, IdentityKind
from skyriff_domain.model.withdrawal import WithdrawalStatus
from skyriff_domain.money import Coins, Credits
from skyriff_domain.policy import Policy
from skyriff_domain.services.catalog import Catalog
from skyriff_domain.services.ledger_audit import LedgerAudit
from skyriff_domain.services.payments import Payments
from skyriff_domain.services.referrals import Referrals
from skyriff_domain.services.registration import NewUser, register
from skyriff_domain.services.subscriptions import Subscriptions
from skyriff_domain.services.wallets import Wallets
from skyriff_domain.services.withdrawals import Withdrawals
from tests.support.fakes import SANDBOX_SECRET
from adapters.identity.fake import FakeIdentityVerifier, PlainPersonalDataCipher
from adapters.memory.stores import MemoryRateLimiter
from skyriff_domain.services.payouts import Payouts
from skyriff_domain.services.verification import Verifications
from tests.support.money_out import ADULT_ID, ScriptedPayouts
from tests.support.usecases import buy_pack_on, sandbox_notice


class World:
    def __init__(self, uow) -> None:
        self.uow, self.clock, self.policy = uow, FixedClock(), Policy()
        self.payments = Payments(uow, self.clock, self.policy, SequentialSecrets(),
                                 {"sandbox": SandboxGateway(SANDBOX_SECRET, "http://test")})
        self.subscriptions = Subscriptions(uow, self.clock, self.policy)
        self.referrals = Referrals(uow, self.clock, self.policy)
        self.cipher, self.payout_gateways = PlainPersonalDataCipher(), {"alipay": ScriptedPayouts("alipay")}
        self.withdrawals = Withdrawals(uow, self.clock, self.policy, self.cipher, self.payout_gateways)
        self.payouts = Payouts(uow, self.clock, self.policy, self.cipher, self.payout_gateways)
        self.verifications = Verifications(uow, self.clock, self.policy, FakeIdentityVerifier(), self.cipher,
                                           MemoryRateLimiter())
        self.wallets = Wallets(uow, self.clock, self.policy)
        Catalog(uow).seed()
        self.phones = iter(range(13700000000, 13799999999))

    def user(self) -> int:
        phone = str(next(self.phones))
        with self.uow() as uow:
            user = register(uow, NewUser("u", phone), [Identity(IdentityKind.PHONE, phone)], self.clock.now())
            uow.commit()
        return user.id

    def pay(self, user_id: int, sku: str) -> int:
        with self.uow() as uow:
            product = uow.products.get_by_sku(sku)
        created = self.payments.create(user_id, product.id, "sandbox")
        self.payments.handle_notification("sandbox", *sandbox_notice(created.payment.id, str(product.price)))
        return created.payment.id

    def buy_coins(self, user_id: int, coins: str) -> int:
        return buy_pack_on(self.uow, self.payments, user_id, coins, coins=coins)


@pytest.fixture
def world(backend) -> World:
    return World(backend.uow)


def test_payment_round_trip_and_exactly_once(world):
    uid = world.user()
    payment_id = world.pay(uid, "credits_30")
    world.payments.handle_notification("sandbox", *sandbox_notice(payment_id, "30.00"))
    payment = world.payments.get(uid, payment_id)
    assert (payment.status, payment.transaction_id, payment.paid_at) == (
        PaymentStatus.PAID, f"sandbox-{payment_id}", world.clock.now())
    assert world.wallets.overview(uid).credits == Credits(600)


def test_monthly_card_claims(world):
    uid = world.user()
    world.pay(uid, "monthly_card")
    assert world.subscriptions.claim_daily(uid) == (Credits(30), Credits(30))
    with pytest.raises(AlreadyClaimed):
        world.subscriptions.claim_daily(uid)
    world.pay(uid, "monthly_card")
    assert world.subscriptions.active(uid).days_remaining == 60


def test_promoter_referral_and_commission(world):
    pid = world.user()
    world.pay(pid, "promoter_activation")
    code = world.referrals.promoter(pid).referral_code
    invitee = world.user()
    assert world.referrals.bind(invitee, code).bonus == Credits(50)
    with pytest.raises(InvalidReferralCode):
        world.referrals.bind(invitee, code)
    world.pay(invitee, "credits_128")
    view = world.referrals.promoter(pid)
    assert (view.total_invites, view.total_commission) == (1, Coins.of("12.80"))
    assert world.wallets.overview(pid).coins_pending == Coins.of("12.80")


def test_withdrawal_lifecycle(world):
    uid = world.user()
    world.buy_coins(uid, "300.00")
    world.clock.advance(days=7)
    world.verifications.verify(uid, "张三", ADULT_ID)
    with pytest.raises(InsufficientCoins):
        world.withdrawals.apply(uid, Decimal("300.01"), "alipay", {"account": "13800138000", "name": "张三"})
    w = world.withdrawals.apply(uid, Decimal("120.50"), "alipay", {"account": "13800138000", "name": "张三"})
    page, more = world.withdrawals.page(uid, None, 10)
    assert [(x.id, x.account_info["account"], str(x.amount)) for x in page] == [(w.id, "13800138000", "120.50")]
    world.payouts.approve(w.id)  # sent through the channel, paid at once
    assert world.withdrawals.queue(WithdrawalStatus.PAID)[0].processed_at == world.clock.now()
    view = world.wallets.overview(uid)
    assert (view.coins_available, view.coins_held) == (Coins.of("179.50"), Coins(0))
    assert LedgerAudit(world.uow).verify() == []


def test_bulk_coin_release_across_users_and_chunks(world):
    users = [world.user() for _ in range(5)]
    for i, uid in enumerate(users):
        for n in range(i + 1):
            world.buy_coins(uid, str(Coins(100 * (n + 1))))
    world.clock.advance(days=3)
    world.buy_coins(users[0], "9.99")
    world.clock.advance(days=4)
    assert world.wallets.release_matured_coins(batch_size=2) == Coins(sum(100 * n * (6 - n) for n in range(1, 6)))
    for i, uid in enumerate(users):
        expected = sum(100 * (n + 1) for n in range(i + 1))
        with world.uow() as uow:
            wallet = uow.wallets.get(uid)
        assert wallet.coins_available == Coins(expected)
        assert wallet.coins_pending == (Coins(999) if i == 0 else Coins(0))
    assert world.wallets.release_matured_coins() == Coins(0)
    world.clock.advance(days=3)
    assert world.wallets.release_matured_coins() == Coins(999)
    assert LedgerAudit(world.uow).verify() == []
