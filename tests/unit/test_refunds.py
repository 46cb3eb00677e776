"""Refunds take back what their payment delivered — credits with their cost, card claims, coins, the promoter's
commission — in the transaction that records them; a channel's final refusal gives it all back, once."""
import pytest

from skyriff_domain.errors import NotAllowed
from skyriff_domain.model.ledger import LedgerType
from skyriff_domain.model.payment import PaymentStatus
from skyriff_domain.model.refund import RefundStatus
from skyriff_domain.money import Cny, Coins, Credits
from skyriff_domain.ports import OutcomeUnknown
from skyriff_domain.ports.payouts import RefundResult, RefundState
from skyriff_domain.services.ledger_audit import LedgerAudit
from skyriff_domain.services.referrals import Referrals
from tests.support.usecases import (
    buy_pack,
    pay,
    payments,
    refunds,
    sandbox_notice,
    subscriptions,
    tipping,
    wallets,
)

pytestmark = pytest.mark.usefixtures("catalog")


def wallet(fakes, uid):
    with fakes.uow() as uow:
        return uow.wallets.get(uid)


def clean(fakes):
    assert LedgerAudit(fakes.uow, fakes.policy).verify() == []


def test_a_refund_takes_back_the_credits_and_their_cost(fakes, make_user):
    uid = make_user()
    pay(fakes, uid, "credits_6")
    payment_id = pay(fakes, uid, "credits_30")
    refund = refunds(fakes).refund(payment_id, "用户申请退款", operator="finance-1")
    assert (refund.status, refund.credits_taken, refund.cost_taken, refund.written_off) == (
        RefundStatus.SUCCEEDED, Credits(600), Cny.of("30.00"), Cny(0))
    assert (wallet(fakes, uid).credits, wallet(fakes, uid).credits_cost) == (Credits(120), Cny.of("6.00"))
    assert payments(fakes).get(uid, payment_id).status is PaymentStatus.REFUNDED
    [asked] = fakes.refund_gateways["sandbox"].asked
    assert (asked.refund_no, asked.amount, asked.total) == (f"SRR{payment_id:012d}", Cny.of("30.00"), Cny.of("30.00"))
    clean(fakes)


def test_spent_credits_refuse_a_refund_unless_forced_and_then_their_cost_is_written_off(fakes, make_user):
    uid = make_user()
    payment_id = pay(fakes, uid, "credits_30")
    wallets(fakes).spend_credits(uid, Credits(200), LedgerType.GEN_SPEND, "生成")
    with pytest.raises(NotAllowed) as err:
        refunds(fakes).refund(payment_id, "退款")
    assert err.value.data == {"available": 400, "required": 600}
    assert wallet(fakes, uid).credits == Credits(400) and fakes.refund_gateways["sandbox"].asked == []
    refund = refunds(fakes).refund(payment_id, "监护人申请", force=True)
    assert (refund.credits_taken, refund.cost_taken, refund.written_off) == (Credits(400), Cny.of("20.00"),
                                                                            Cny.of("10.00"))
    assert (wallet(fakes, uid).credits, wallet(fakes, uid).credits_cost) == (Credits(0), Cny(0))
    clean(fakes)


def test_a_card_refund_voids_its_remaining_claims(fakes, make_user):
    uid = make_user()
    payment_id = pay(fakes, uid, "monthly_card")
    for _ in range(3):
        subscriptions(fakes).claim_daily(uid)
        fakes.clock.advance(days=1)
    refund = refunds(fakes).refund(payment_id, "不想要了")
    assert (refund.credits_taken, refund.cost_taken, refund.card_voided) == (Credits(90), Cny.of("2.88"),
                                                                            Cny.of("26.12"))
    assert subscriptions(fakes).active(uid) is None
    with pytest.raises(NotAllowed):
        subscriptions(fakes).claim_daily(uid)
    clean(fakes)


def test_a_coins_pack_refund_takes_back_the_pending_coins(fakes, make_user):
    uid = make_user()
    payment_id = buy_pack(fakes, uid, "50.00", coins="50.00")
    refund = refunds(fakes).refund(payment_id, "误购")
    assert refund.coins_taken == Coins.of("50.00") and wallets(fakes).overview(uid).coins_pending == Coins(0)
    clean(fakes)


def test_the_promoters_commission_is_reversed_and_an_activation_undone(fakes, make_user):
    promoter, invitee = make_user(), make_user()
    activation = pay(fakes, promoter, "promoter_activation")
    with fakes.uow() as uow:
        code = uow.users.get(promoter).referral_code
    Referrals(fakes.uow, fakes.clock, fakes.policy).bind(invitee, code)
    payment_id = pay(fakes, invitee, "credits_30")
    assert refunds(fakes).refund(payment_id, "退款").commission_reversed == Coins.of("3.00")
    assert wallets(fakes).overview(promoter).coins_pending == Coins(0)
    refunds(fakes).refund(activation, "退款")
    with fakes.uow() as uow:
        assert uow.users.get(promoter).is_promoter is False
    clean(fakes)


def test_a_channel_refusal_gives_everything_back_once(fakes, make_user):
    uid = make_user()
    payment_id = pay(fakes, uid, "credits_30")
    fakes.refund_gateways["sandbox"].answers.append(RefundResult(RefundState.FAILED, reason="交易已关闭"))
    refund = refunds(fakes).refund(payment_id, "退款")
    assert (refund.status, refund.failure_reason) == (RefundStatus.FAILED, "交易已关闭")
    assert (wallet(fakes, uid).credits, wallet(fakes, uid).credits_cost) == (Credits(600), Cny.of("30.00"))
    assert payments(fakes).get(uid, payment_id).status is PaymentStatus.PAID
    assert refunds(fakes).sync().processing == 0
    clean(fakes)


def test_an_unknown_outcome_is_queried_then_settled(fakes, make_user):
    uid = make_user()
    payment_id = pay(fakes, uid, "credits_6")
    fakes.refund_gateways["sandbox"].answers.append(OutcomeUnknown("timeout"))
    assert refunds(fakes).refund(payment_id, "退款").status is RefundStatus.PROCESSING
    assert wallet(fakes, uid).credits == Credits(0)  # taken back at once: nothing to spend meanwhile
    fakes.refund_gateways["sandbox"].queries.append(RefundResult(RefundState.PROCESSING))
    assert refunds(fakes).sync().processing == 1
    assert refunds(fakes).sync().succeeded == 1
    assert len(fakes.refund_gateways["sandbox"].asked) == 1
    clean(fakes)


def test_a_payment_is_refunded_once_and_a_late_notice_fulfils_nothing(fakes, make_user):
    uid = make_user()
    payment_id = pay(fakes, uid, "credits_6")
    refunds(fakes).refund(payment_id, "退款")
    with pytest.raises(NotAllowed):
        refunds(fakes).refund(payment_id, "again")
    payments(fakes).handle_notification("sandbox", *sandbox_notice(payment_id, "6.00"))
    assert wallet(fakes, uid).credits == Credits(0)
    pending = payments(fakes).create(uid, 1, "sandbox").payment
    with pytest.raises(NotAllowed):
        refunds(fakes).refund(pending.id, "not paid")
    clean(fakes)


def test_tipped_credits_stay_tipped_and_the_refund_needs_force(fakes, make_user):
    """What creators earned from those credits stays theirs: the platform writes off the cost."""
    from skyriff_domain.services.works import Listing
    from tests.support.usecases import finished_video, works

    creator, fan = make_user(), make_user()
    buy_pack(fakes, creator, "0.50", credits=10)
    work = works(fakes).publish(creator, Listing(finished_video(fakes, creator), "作品"))
    payment_id = pay(fakes, fan, "credits_6")
    tipping(fakes).tip(fan, work.id, 100)
    refund = refunds(fakes).refund(payment_id, "退款", force=True)
    assert (refund.credits_taken, refund.cost_taken, refund.written_off) == (Credits(20), Cny.of("1.00"),
                                                                            Cny.of("5.00"))
    assert wallets(fakes).overview(creator).coins_pending == Coins.of("4.50")
    clean(fakes)
