"""Redeeming a code: free credits (cost 0) or a product delivered like a paid order at no cost, each code once
ever, one answer (2013) for every code that cannot be redeemed, attempts throttled per user and per address."""
from datetime import date, datetime, timedelta, timezone

import pytest

from skyriff_domain.errors import InvalidRedemptionCode, NotFound, TooManyRequests
from skyriff_domain.model.ledger import LedgerType
from skyriff_domain.model.moderation import Operator
from skyriff_domain.money import Cny, Coins, Credits
from skyriff_domain.services.ledger_audit import LedgerAudit
from tests.support.money_out import id_number
from tests.support.usecases import (
    pay,
    redemption_batches,
    redemptions,
    referrals,
    subscriptions,
    verify,
    wallets,
)

pytestmark = pytest.mark.usefixtures("catalog")
NOW = datetime(2026, 11, 10, 2, 0, tzinfo=timezone.utc)


@pytest.fixture(autouse=True)
def at_now(fakes):
    fakes.clock.at = NOW


def codes(fakes, count=2, **grant):
    grant = grant or {"credits": 100}
    return redemption_batches(fakes).generate("活动", count, Operator("alice"), **grant)


def credit_entries(fakes, user_id):
    with fakes.uow() as uow:
        return [e for e in uow.ledger.page(user_id, "credits", None, 50)]


def held(fakes, user_id) -> tuple[Credits, Cny]:
    """The wallet's credits and the cost they carry."""
    with fakes.uow() as uow:
        wallet = uow.wallets.get(user_id)
    return wallet.credits, wallet.credits_cost


def audit_clean(fakes):
    assert LedgerAudit(fakes.uow, fakes.policy).verify() == []


def test_a_credits_code_grants_free_credits(fakes, make_user):
    uid = make_user()
    pay(fakes, uid, "credits_30")  # 600 credits that cost 30.00
    made = codes(fakes, credits=100)
    result = redemptions(fakes).redeem(uid, made.codes[0])
    assert (result.credits, result.new_balance, result.product) == (Credits(100), Credits(700), None)
    [entry] = [e for e in credit_entries(fakes, uid) if e.type is LedgerType.REDEEM]
    assert (entry.amount, entry.cost, entry.ref.kind, entry.unique_key) == (
        Credits(100), Cny(0), "redemption_code", f"redeem:{entry.ref.id}")
    assert entry.description.startswith("兑换码 ") and "…" in entry.description
    assert held(fakes, uid) == (Credits(700), Cny.of("30.00"))  # free: the cost stays
    audit_clean(fakes)


def test_typed_in_lowercase_with_spaces_it_still_redeems(fakes, make_user):
    made = codes(fakes, count=40)  # the test's secrets count up: later codes have letters
    code = next(c for c in made.codes if any(ch.isalpha() for ch in c))
    assert redemptions(fakes).redeem(make_user(), code.lower().replace("-", " ")).credits == Credits(100)


def test_each_code_is_redeemed_once_ever(fakes, make_user):
    first, second = make_user(), make_user()
    made = codes(fakes)
    redemptions(fakes).redeem(first, made.codes[0])
    for user in (first, second):
        with pytest.raises(InvalidRedemptionCode):
            redemptions(fakes).redeem(user, made.codes[0])
    assert wallets(fakes).overview(second).credits == Credits(0)
    assert redemptions(fakes).redeem(second, made.codes[1]).credits == Credits(100)  # another code of the batch


def refused(fakes, user_id, code) -> InvalidRedemptionCode:
    with pytest.raises(InvalidRedemptionCode) as err:
        redemptions(fakes).redeem(user_id, code)
    return err.value


def test_unknown_used_expired_and_disabled_codes_all_answer_the_same(fakes, make_user):
    uid = make_user()
    used = codes(fakes).codes[0]
    redemptions(fakes).redeem(make_user(), used)
    disabled = codes(fakes)
    redemption_batches(fakes).disable(disabled.view.batch.id, Operator("bob"))
    expiring = redemption_batches(fakes).generate("限时", 1, Operator("alice"), credits=5,
                                                  expires_on=date(2026, 11, 10))
    fakes.clock.at = datetime(2026, 11, 10, 16, 0, tzinfo=timezone.utc)  # midnight in Shanghai: expired
    answers = {(e.code, e.message, e.data) for e in (
        refused(fakes, uid, "AAAA-BBBB-CCCC-DDDD"), refused(fakes, uid, used), refused(fakes, uid, disabled.codes[0]),
        refused(fakes, uid, expiring.codes[0]), refused(fakes, uid, "hello"))}
    assert answers == {(2013, "兑换码无效或已使用", None)}
    assert wallets(fakes).overview(uid).credits == Credits(0)


def test_a_code_works_until_the_last_moment_of_its_expiry_day(fakes, make_user):
    made = redemption_batches(fakes).generate("限时", 1, Operator("alice"), credits=5, expires_on=date(2026, 11, 10))
    fakes.clock.at = datetime(2026, 11, 10, 15, 59, 59, tzinfo=timezone.utc)  # 23:59:59 in Shanghai
    assert redemptions(fakes).redeem(make_user(), made.codes[0]).credits == Credits(5)


def test_attempts_are_limited_per_user_failed_ones_included(fakes, make_user):
    uid = make_user()
    made = codes(fakes)
    for _ in range(5):
        refused(fakes, uid, "AAAA-BBBB-CCCC-DDDD")
    with pytest.raises(TooManyRequests) as err:
        redemptions(fakes).redeem(uid, made.codes[0])  # even a good code waits: the budget is spent
    assert err.value.code == 1006 and 1 <= err.value.retry_after <= 60
    redemptions(fakes).redeem(make_user(), made.codes[1])  # another user has their own budget
    fakes.clock.advance(seconds=err.value.retry_after)
    assert redemptions(fakes).redeem(uid, made.codes[0]).credits == Credits(100)


def test_attempts_are_limited_per_address_across_accounts(fakes, make_user):
    made = codes(fakes)
    for _ in range(4):
        uid = make_user()
        for _ in range(5):
            refused_at(fakes, uid, "10.0.0.1")
    with pytest.raises(TooManyRequests):
        redemptions(fakes).redeem(make_user(), made.codes[0], client_ip="10.0.0.1")
    assert redemptions(fakes).redeem(make_user(), made.codes[0], client_ip="10.0.0.2").credits == Credits(100)


def refused_at(fakes, uid, ip):
    with pytest.raises(InvalidRedemptionCode):
        redemptions(fakes).redeem(uid, "AAAA-BBBB-CCCC-DDDD", client_ip=ip)


def test_a_minor_may_redeem_as_it_is_no_payment(fakes, make_user):
    uid = make_user()
    verify(fakes, uid, "小明", id_number(date(2019, 1, 1)))  # under 8: no payments at all
    assert redemptions(fakes).redeem(uid, codes(fakes).codes[0]).credits == Credits(100)


# Products -------------------------------------------------------------------------------------------------------
def test_a_monthly_card_code_adds_the_cards_days_and_its_claims_cost_nothing(fakes, make_user):
    uid = make_user()
    made = codes(fakes, product_sku="monthly_card")
    result = redemptions(fakes).redeem(uid, made.codes[0])
    card = result.delivery.card
    assert (result.credits, result.new_balance, result.product.sku) == (Credits(0), Credits(0), "monthly_card")
    assert (card.days, card.daily_credits, card.price, card.payment_id, card.redemption_code_id) == (
        30, Credits(30), Cny(0), None, card.redemption_code_id)
    assert card.redemption_code_id is not None and result.delivery.card_end_at == NOW + timedelta(days=30)
    assert subscriptions(fakes).claim_daily(uid) == (Credits(30), Credits(30))
    assert held(fakes, uid) == (Credits(30), Cny(0))
    audit_clean(fakes)


def test_a_redeemed_card_extends_a_paid_one_and_each_keeps_its_price(fakes, make_user):
    uid = make_user()
    pay(fakes, uid, "monthly_card")
    result = redemptions(fakes).redeem(uid, codes(fakes, product_sku="monthly_card").codes[0])
    assert result.delivery.card.starts_at == NOW + timedelta(days=30)
    assert result.delivery.card_end_at == NOW + timedelta(days=60)
    for _ in range(31):
        subscriptions(fakes).claim_daily(uid)
        fakes.clock.advance(days=1)
    assert held(fakes, uid) == (Credits(31 * 30), Cny.of("29.00"))  # day 31 is free
    audit_clean(fakes)


def test_a_credits_pack_code_grants_the_packs_credits_free(fakes, make_user):
    uid = make_user()
    result = redemptions(fakes).redeem(uid, codes(fakes, product_sku="credits_30").codes[0])
    assert (result.credits, result.new_balance, result.product.sku) == (Credits(600), Credits(600), "credits_30")
    assert result.delivery.entry.type is LedgerType.REDEEM and result.delivery.entry.cost == Cny(0)
    assert held(fakes, uid) == (Credits(600), Cny(0))
    audit_clean(fakes)


def test_a_promoter_activation_code_activates_for_free(fakes, make_user):
    uid, invitee = make_user(), make_user()
    result = redemptions(fakes).redeem(uid, codes(fakes, product_sku="promoter_activation").codes[0])
    assert (result.credits, result.new_balance) == (Credits(600), Credits(600))
    assert result.delivery.entry.type is LedgerType.PROMOTER_GRANT and result.delivery.entry.cost == Cny(0)
    view = referrals(fakes).promoter(uid)
    assert view.is_promoter and view.referral_code == result.delivery.referral_code
    referrals(fakes).bind(invitee, view.referral_code)
    assert wallets(fakes).overview(uid).coins_pending == Coins(0)  # a code is no payment: no commission
    pay(fakes, invitee, "credits_6")  # the invitee's payment earns the promoter 10% as usual
    assert wallets(fakes).overview(uid).coins_pending == Coins.of("0.60")
    audit_clean(fakes)


def test_a_promoter_redeeming_an_activation_gets_its_credits(fakes, make_user):
    uid = make_user()
    pay(fakes, uid, "promoter_activation")
    result = redemptions(fakes).redeem(uid, codes(fakes, product_sku="promoter_activation").codes[0])
    assert (result.credits, result.new_balance, result.delivery.referral_code) == (Credits(600), Credits(1200), None)
    assert result.delivery.entry.type is LedgerType.REDEEM and result.delivery.entry.cost == Cny(0)
    audit_clean(fakes)


def test_nothing_is_redeemed_when_the_delivery_fails(fakes, make_user):
    """The code is marked used in the same transaction as the delivery: no wallet, no use."""
    made = codes(fakes)
    with pytest.raises(NotFound):
        redemptions(fakes).redeem(10_000, made.codes[0])  # no such user: no wallet
    assert redemptions(fakes).redeem(make_user(), made.codes[0]).credits == Credits(100)
