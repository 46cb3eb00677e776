import logging
from datetime import timedelta

import pytest

from adapters.payments.sandbox import SandboxGateway
from skyriff_domain.errors import InvalidRequest, NotAllowed, NotFound, NotificationRejected
from skyriff_domain.model.ledger import LedgerType
from skyriff_domain.model.payment import ChannelState, PaymentNotice, PaymentStatus
from skyriff_domain.money import Cny, Coins, Credits
from skyriff_domain.services.ledger_audit import LedgerAudit
from tests.support.usecases import buy_pack, pay, payments, sandbox_notice, wallets

pytestmark = pytest.mark.usefixtures("catalog")


def product_id(fakes, sku):
    with fakes.uow() as uow:
        return uow.products.get_by_sku(sku).id


def test_create_makes_a_pending_payment_that_expires_in_15_minutes(fakes, make_user):
    created = payments(fakes).create(make_user(), product_id(fakes, "credits_30"), "sandbox")
    p = created.payment
    assert (p.status, str(p.amount), p.expires_at - p.created_at) == (PaymentStatus.PENDING, "30.00",
                                                                      timedelta(minutes=15))
    assert p.out_trade_no.startswith("SR") and 6 <= len(p.out_trade_no) <= 32
    assert created.pay_params["amount_cny"] == "30.00"


def test_unknown_channel_or_product(fakes, make_user):
    uid = make_user()
    with pytest.raises(InvalidRequest) as err:
        payments(fakes).create(uid, product_id(fakes, "credits_30"), "wechat")
    assert err.value.field == "pay_channel"
    with pytest.raises(NotFound):
        payments(fakes).create(uid, 999, "sandbox")


def test_paying_a_credits_pack_grants_credits_with_a_recharge_entry(fakes, make_user):
    uid = make_user()
    pay(fakes, uid, "credits_30")
    entries, _ = wallets(fakes).ledger_page(uid, "credits", None, 10)
    assert [(e.type, e.amount, e.description) for e in entries] == [(LedgerType.RECHARGE, Credits(600), "充值30.00元")]


def test_the_same_notification_twice_fulfils_once(fakes, make_user):
    uid = make_user()
    created = payments(fakes).create(uid, product_id(fakes, "credits_6"), "sandbox")
    for _ in range(3):
        payments(fakes).handle_notification("sandbox", *sandbox_notice(created.payment.id, "6.00"))
    assert wallets(fakes).overview(uid).credits == Credits(120)
    assert LedgerAudit(fakes.uow).verify() == []


@pytest.mark.parametrize("amount", ["29.99", "30.01", "3.00"])
def test_a_wrong_amount_is_rejected_and_changes_nothing(fakes, make_user, amount):
    uid = make_user()
    created = payments(fakes).create(uid, product_id(fakes, "credits_30"), "sandbox")
    with pytest.raises(NotificationRejected):
        payments(fakes).handle_notification("sandbox", *sandbox_notice(created.payment.id, amount))
    assert wallets(fakes).overview(uid).credits == Credits(0)
    assert payments(fakes).get(uid, created.payment.id).status is PaymentStatus.PENDING


def test_forged_signature_and_unknown_payment_are_rejected(fakes, make_user):
    uid = make_user()
    created = payments(fakes).create(uid, product_id(fakes, "credits_30"), "sandbox")
    headers, body = sandbox_notice(created.payment.id, "30.00")
    with pytest.raises(NotificationRejected):
        payments(fakes).handle_notification("sandbox", {"X-Sandbox-Signature": "0" * 64}, body)
    with pytest.raises(NotificationRejected):
        payments(fakes).handle_notification("sandbox", *sandbox_notice(424242, "30.00"))
    with pytest.raises(NotificationRejected):
        payments(fakes).handle_notification("alipay", headers, body)
    assert wallets(fakes).overview(uid).credits == Credits(0)


def test_a_late_payment_of_an_expired_order_is_still_honoured(fakes, make_user):
    uid = make_user()
    created = payments(fakes).create(uid, product_id(fakes, "credits_6"), "sandbox")
    fakes.clock.advance(minutes=20)
    assert payments(fakes).reconcile().closed == 1
    payments(fakes).handle_notification("sandbox", *sandbox_notice(created.payment.id, "6.00"))
    assert wallets(fakes).overview(uid).credits == Credits(120)


def test_reconcile_leaves_young_payments_and_closes_expired_ones(fakes, make_user):
    uid = make_user()
    created = payments(fakes).create(uid, product_id(fakes, "credits_6"), "sandbox")
    fakes.clock.advance(minutes=5)
    assert payments(fakes).reconcile().pending == 1
    fakes.clock.advance(minutes=11)
    report = payments(fakes).reconcile()
    assert (report.closed, payments(fakes).get(uid, created.payment.id).status) == (1, PaymentStatus.CLOSED)
    assert payments(fakes).reconcile().closed == 0  # re-running is harmless


def test_only_the_payer_sees_a_payment(fakes, make_user):
    a, b = make_user(), make_user()
    created = payments(fakes).create(a, product_id(fakes, "credits_6"), "sandbox")
    from skyriff_domain.errors import PaymentNotFound
    with pytest.raises(PaymentNotFound):
        payments(fakes).get(b, created.payment.id)


def test_promoters_cannot_activate_twice(fakes, make_user):
    uid = make_user()
    pay(fakes, uid, "promoter_activation")
    from skyriff_domain.model.catalog import ProductType
    with pytest.raises(NotAllowed):
        payments(fakes).create_for(uid, ProductType.PROMOTER_ACTIVATION, "sandbox")


class ReportsPaid(SandboxGateway):
    """A channel that says every order is paid, with the wrong amount for the ones in `wrong`."""

    def __init__(self, amounts: dict, wrong: set) -> None:
        super().__init__("secret", "http://test/notify")
        self.amounts, self.wrong = amounts, wrong

    def query(self, out_trade_no: str) -> PaymentNotice:
        amount = self.amounts[out_trade_no]
        if out_trade_no in self.wrong:
            amount = Cny.of("0.01")
        return PaymentNotice(ChannelState.PAID, out_trade_no, amount, f"tx-{out_trade_no}")


@pytest.mark.parametrize("remote", [False, True])
def test_one_payment_reported_wrongly_does_not_stop_reconciliation(fakes, make_user, caplog, remote):
    users = [make_user() for _ in range(3)]
    made = [payments(fakes).create(uid, product_id(fakes, "credits_6"), "sandbox").payment for uid in users]
    gateway = ReportsPaid({p.out_trade_no: p.amount for p in made}, {made[0].out_trade_no})
    gateway.remote = remote
    fakes.gateways["sandbox"] = gateway
    fakes.clock.advance(minutes=5)
    with caplog.at_level(logging.WARNING, "skyriff.payments"):
        report = payments(fakes).reconcile()
    assert (report.paid, report.errors) == (2, 1)
    assert [payments(fakes).get(uid, p.id).status for uid, p in zip(users, made)] == [
        PaymentStatus.PENDING, PaymentStatus.PAID, PaymentStatus.PAID]
    assert [wallets(fakes).overview(uid).credits for uid in users] == [Credits(0), Credits(120), Credits(120)]
    assert f"payment {made[0].id}" in caplog.text and "金额不符" in caplog.text
    assert LedgerAudit(fakes.uow).verify() == []


def cost_of(fakes, uid):
    with fakes.uow() as uow:
        return uow.wallets.get(uid).credits_cost


def test_a_credits_pack_brings_in_its_price_as_the_credits_cost(fakes, make_user):
    uid = make_user()
    pay(fakes, uid, "credits_30")
    pay(fakes, uid, "credits_6")
    assert (wallets(fakes).overview(uid).credits, cost_of(fakes, uid)) == (Credits(720), Cny.of("36.00"))
    entries, _ = wallets(fakes).ledger_page(uid, "credits", None, 10)
    assert [e.cost for e in entries] == [Cny.of("6.00"), Cny.of("30.00")]


def test_two_activations_paid_before_either_settled_activate_once(fakes, make_user):
    """Both orders were created while the user was not yet a promoter; both get paid."""
    from skyriff_domain.model.catalog import ProductType
    uid = make_user()
    first = payments(fakes).create_for(uid, ProductType.PROMOTER_ACTIVATION, "sandbox").payment
    second = payments(fakes).create_for(uid, ProductType.PROMOTER_ACTIVATION, "sandbox").payment
    for p in (first, second):
        payments(fakes).handle_notification("sandbox", *sandbox_notice(p.id, "30.00"))
    entries, _ = wallets(fakes).ledger_page(uid, "credits", None, 10)
    assert [(e.type, e.amount, e.cost) for e in entries] == [
        (LedgerType.RECHARGE, Credits(600), Cny.of("30.00")),  # the second became the credits it paid for
        (LedgerType.PROMOTER_GRANT, Credits(600), Cny.of("30.00"))]
    with fakes.uow() as uow:
        code = uow.users.get(uid).referral_code
    assert code is not None
    assert LedgerAudit(fakes.uow).verify() == []


def promoter_with_invitee(fakes, make_user):
    from skyriff_domain.services.referrals import Referrals
    promoter, invitee = make_user(), make_user()
    pay(fakes, promoter, "promoter_activation")
    with fakes.uow() as uow:
        code = uow.users.get(promoter).referral_code
    Referrals(fakes.uow, fakes.clock, fakes.policy).bind(invitee, code)
    return promoter, invitee


@pytest.mark.parametrize("sku, commission", [("credits_30", "3.00"), ("monthly_card", "2.90"),
                                             ("promoter_activation", "3.00")])
def test_promoters_earn_ten_percent_of_credit_payments_pending(fakes, make_user, sku, commission):
    promoter, invitee = promoter_with_invitee(fakes, make_user)
    pay(fakes, invitee, sku)
    view = wallets(fakes).overview(promoter)
    assert (view.coins_pending, view.pending_lots[0].source_label) == (Coins.of(commission), "推广佣金")
    assert LedgerAudit(fakes.uow).verify() == []


def test_no_commission_on_coins_packs_and_bought_coins_wait_seven_days(fakes, make_user):
    promoter, invitee = promoter_with_invitee(fakes, make_user)
    buy_pack(fakes, invitee, "50.00", coins="50.00")
    assert wallets(fakes).overview(promoter).coins_pending == Coins(0)
    view = wallets(fakes).overview(invitee)
    assert (view.coins_available, view.coins_pending) == (Coins(0), Coins.of("50.00"))
    fakes.clock.advance(days=7)
    assert wallets(fakes).overview(invitee).coins_available == Coins.of("50.00")
    assert LedgerAudit(fakes.uow).verify() == []


@pytest.mark.parametrize("field, changes", [
    ("credits_amount", dict(type="credits_pack", credits=0)), ("coins_amount", dict(type="coins_pack")),
    ("duration_days", dict(type="subscription_monthly", daily=30)),
    ("daily_credits", dict(type="subscription_monthly", days=30)), ("price", dict(type="credits_pack", price="0"))])
def test_a_product_must_deliver_what_its_kind_sells(fakes, field, changes):
    from skyriff_domain.model.catalog import Product, ProductType
    from skyriff_domain.services.catalog import Catalog
    product = Product("new", ProductType(changes["type"]), "新品", Cny.of(changes.get("price", "10.00")),
                      credits_amount=Credits(changes.get("credits", 0)), duration_days=changes.get("days", 0),
                      daily_credits=Credits(changes.get("daily", 0)))
    with pytest.raises(InvalidRequest) as err:
        Catalog(fakes.uow).add(product)
    assert err.value.field == field
