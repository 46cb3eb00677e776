"""`ledger verify` finds what does not add up: balances and costs against the ledger, and PRODUCT.md's
conservation equations (cost is paid for, coins are earned or bought, shares are bounded)."""
import attrs
import pytest

from skyriff_domain.model.ledger import Account, LedgerType
from skyriff_domain.model.moderation import Operator
from skyriff_domain.money import Cny, Coins, Credits
from skyriff_domain.services import wallet_ops
from skyriff_domain.services.ledger_audit import Breach, Discrepancy, LedgerAudit
from tests.support.usecases import buy_pack, pay, redemption_batches, redemptions

pytestmark = pytest.mark.usefixtures("catalog")


def audit(fakes):
    return LedgerAudit(fakes.uow, fakes.policy).verify()


def write(fakes, uid, move):
    with fakes.uow() as uow:
        wallet = wallet_ops.locked_wallet(uow, uid)
        wallet_ops.record(uow, wallet, [move(wallet)])
        uow.commit()


def test_a_clean_history_has_nothing_to_report(fakes, make_user):
    uid = make_user()
    pay(fakes, uid, "credits_30")
    pay(fakes, uid, "monthly_card")
    buy_pack(fakes, uid, "10.00", coins="10.00")
    assert audit(fakes) == []


def test_a_cost_changed_behind_the_ledger_is_reported(fakes, make_user):
    uid = make_user()
    pay(fakes, uid, "credits_30")
    with fakes.uow() as uow:
        wallet = uow.wallets.get(uid)
        wallet.credits_cost = Cny.of("29.00")
        uow.wallets.save(wallet)
        uow.commit()
    assert Discrepancy(uid, "credits_cost", 2900, 3000, None) in audit(fakes)


def test_income_nobody_paid_for_breaks_the_share_bound(fakes, make_user):
    uid = make_user()
    with fakes.uow() as uow:
        wallet_ops.add_pending_coins(uow, uid, Coins.of("18.00"), LedgerType.TIP_INCOME, "打赏收入",
                                     fakes.clock.now(), fakes.policy.revenue)
        uow.commit()
    [breach] = audit(fakes)
    assert isinstance(breach, Breach) and breach.equation.startswith("creator income")
    assert (breach.left, breach.right) == (1800, 0)


def test_cost_without_a_payment_breaks_the_cost_equation(fakes, make_user):
    uid = make_user()
    write(fakes, uid, lambda w: w.grant_credits(Credits(600), LedgerType.RECHARGE, "充值", fakes.clock.now(),
                                                cost=Cny.of("30.00")))
    [breach] = audit(fakes)
    assert "CNY paid for credits" in breach.equation and (breach.left, breach.right) == (3000, 0)


def test_free_credits_that_carry_a_cost_are_reported(fakes, make_user):
    uid = make_user()
    write(fakes, uid, lambda w: w.grant_credits(Credits(50), LedgerType.REFERRAL_BONUS, "奖励", fakes.clock.now(),
                                                cost=Cny.of("1.00")))
    assert any("free credits carry a cost" in str(p) for p in audit(fakes))


def test_coins_moved_to_one_account_only_are_reported(fakes, make_user):
    uid = make_user()
    write(fakes, uid, lambda w: w.post(Account.COINS_AVAILABLE, Coins(100), LedgerType.RELEASE, "解冻",
                                       fakes.clock.now()))
    assert any("coin moves do not net to zero" in str(p) for p in audit(fakes))


def test_commission_nobody_paid_for_is_reported_even_with_creator_slack(fakes, make_user):
    """The two sides are bounded apart: the promoters' 10% never hides creators paid too much, nor the reverse."""
    uid = make_user()
    pay(fakes, uid, "credits_30")  # 3.00 of commission budget, unused: nobody bound a code
    with fakes.uow() as uow:
        wallet_ops.add_pending_coins(uow, uid, Coins.of("0.01"), LedgerType.TIP_INCOME, "打赏收入",
                                     fakes.clock.now(), fakes.policy.revenue)
        uow.commit()
    assert any(str(p).startswith("conservation: creator income") for p in audit(fakes))


def test_redeemed_credits_that_carry_a_cost_are_reported(fakes, make_user):
    """Redemption codes add free credits: a `redeem` entry with a cost is cost nobody paid for."""
    uid = make_user()
    write(fakes, uid, lambda w: w.grant_credits(Credits(100), LedgerType.REDEEM, "兑换码", fakes.clock.now(),
                                                cost=Cny.of("5.00")))
    assert any("free credits carry a cost (redeem)" in str(p) for p in audit(fakes))


def test_a_redeemed_card_that_carries_a_price_breaks_the_cost_equation(fakes, make_user):
    """A card from a code must be free: a price on it would be claimed into wallets as cost no payment brought."""
    uid = make_user()
    made = redemption_batches(fakes).generate("月卡", 1, Operator("alice"), product_sku="monthly_card")
    redemptions(fakes).redeem(uid, made.codes[0])
    assert audit(fakes) == []
    with fakes.uow() as uow:
        [period] = uow.subscriptions.periods_for(uid)
        uow.subscriptions.save_period(attrs.evolve(period, price=Cny.of("29.00")))
        uow.commit()
    [breach] = audit(fakes)
    assert "CNY paid for credits" in breach.equation and (breach.left, breach.right) == (2900, 0)

