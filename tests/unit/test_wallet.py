from datetime import datetime, timezone

import pytest

from skyriff_domain.errors import InsufficientCoins, InsufficientCredits
from skyriff_domain.model.ledger import Account, LedgerType
from skyriff_domain.model.wallet import Wallet
from skyriff_domain.money import Coins, Credits

NOW = datetime(2026, 1, 1, tzinfo=timezone.utc)


def test_spending_writes_an_entry_with_the_balance_after():
    wallet = Wallet(1, credits=Credits(100))
    entry = wallet.spend_credits(Credits(10), LedgerType.GEN_SPEND, "生成10秒视频", NOW)
    assert wallet.credits == Credits(90)
    assert (entry.account, entry.type, entry.amount, entry.balance_after) == (
        Account.CREDITS, LedgerType.GEN_SPEND, Credits(-10), Credits(90))


def test_a_wallet_cannot_go_negative_and_says_how_short_it_is():
    wallet = Wallet(1, credits=Credits(5))
    with pytest.raises(InsufficientCredits) as err:
        wallet.spend_credits(Credits(10), LedgerType.GEN_SPEND, "x", NOW)
    assert err.value.data == {"current_balance": 5, "required": 10}
    assert wallet.credits == Credits(5)


def test_holding_more_coins_than_available_is_refused():
    wallet = Wallet(1, coins_available=Coins(8550))
    with pytest.raises(InsufficientCoins) as err:
        wallet.hold_coins(Coins(15000), "提现", NOW)
    assert err.value.code == 2005
    assert str(err.value.data["available"]) == "85.50"


@pytest.mark.parametrize("amount", [Credits(0), Credits(-5)])
def test_moves_take_positive_amounts(amount):
    with pytest.raises(ValueError):
        Wallet(1, credits=Credits(10)).spend_credits(amount, LedgerType.GEN_SPEND, "x", NOW)


def test_credits_and_coins_do_not_mix():
    with pytest.raises(TypeError):
        Wallet(1).post(Account.CREDITS, Coins(5), LedgerType.ADMIN_ADJUST, "x", NOW)


def test_release_moves_pending_to_available_with_two_entries():
    wallet = Wallet(1, coins_pending=Coins(1800))
    out, into = wallet.release_pending(Coins(1800), "打赏收入解冻", NOW)
    assert (out.account, out.amount, out.balance_after) == (Account.COINS_PENDING, Coins(-1800), Coins(0))
    assert (into.account, into.amount, into.balance_after) == (Account.COINS_AVAILABLE, Coins(1800), Coins(1800))


def test_withdrawal_hold_release_and_payment():
    wallet = Wallet(1, coins_available=Coins(20000))
    wallet.hold_coins(Coins(15000), "提现申请", NOW)
    assert (wallet.coins_available, wallet.coins_held) == (Coins(5000), Coins(15000))
    wallet.release_held(Coins(15000), "提现被拒", NOW)
    assert (wallet.coins_available, wallet.coins_held) == (Coins(20000), Coins(0))
    wallet.hold_coins(Coins(10000), "提现申请", NOW)
    entry = wallet.pay_held(Coins(10000), "提现打款", NOW)
    assert entry.type is LedgerType.WITHDRAW_PAID and wallet.coins_held == Coins(0)
