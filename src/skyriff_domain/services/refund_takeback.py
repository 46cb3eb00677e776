"""What a refund takes back from what its payment delivered, inside the caller's transaction — and what it gives
back, exactly once, if the channel then refuses the refund for good.

Credits go back with the cost the payment brought (its price per credit); credits already spent cannot, and
only an operator's `--force` writes their cost off. A monthly card's remaining claims are voided; the claims
made are taken back like credits. Bought coins go back from pending or available. The promoter's commission
is reversed from pending coins, else from available ones, else recorded as unrecovered. Both wallets are
locked in id order first."""
from __future__ import annotations

from datetime import datetime

from ..economy import cny_for_coins
from ..errors import NotAllowed
from ..model.catalog import ProductType
from ..model.coin_lot import CoinLot, LotStatus
from ..model.ledger import Account, LedgerEntry, LedgerRef, LedgerType
from ..model.payment import Payment
from ..model.refund import Refund
from ..model.wallet import Wallet
from ..money import Cny, Credits
from ..policy import Policy
from ..ports import UnitOfWork
from . import wallet_ops

T = LedgerType


def take_back(uow: UnitOfWork, refund: Refund, payment: Payment, force: bool, now: datetime) -> None:
    """Fill `refund`'s record of what was taken; raises NotAllowed (nothing taken) when credits the payment
    delivered were spent and `force` is off."""
    assert payment.id is not None
    commission = _commission_lot(uow, payment.id)
    wallets = uow.wallets.lock_many([payment.user_id] + ([commission.user_id] if commission else []))
    if commission is not None:  # read again under the promoter's wallet lock: a release may have moved it
        commission = _commission_lot(uow, payment.id)
    payer = wallets[payment.user_id]
    ref, key = LedgerRef("payment", payment.id), f"payment:{payment.id}:refund"
    entries: dict[int, list[LedgerEntry]] = {payment.user_id: []}
    if payment.product_type is ProductType.COINS_PACK:
        entries[payment.user_id] += _take_coins(uow, payer, refund, payment, force, now, ref, key)
        refund.written_off = refund.amount - cny_for_coins(refund.coins_taken)  # bonus coins make it negative
    elif payment.product_type is ProductType.SUBSCRIPTION_MONTHLY:
        period = uow.subscriptions.period_for_payment(payment.id)
        assert period is not None
        delivered, cost = Credits(period.daily_credits.minor * period.claims), period.cost_claimed
        entries[payment.user_id] += _take_credits(payer, refund, delivered, cost, force, now, ref, key)
        refund.card_voided = period.price - period.cost_claimed
        period.voided_at = now
        uow.subscriptions.save_period(period)
        _fit_card(uow, payment.user_id, now)
    else:
        fulfilment = uow.ledger.by_key(f"payment:{payment.id}:fulfil")
        assert fulfilment is not None
        entries[payment.user_id] += _take_credits(payer, refund, fulfilment.amount, fulfilment.cost, force, now,
                                                  ref, key)
        if fulfilment.type is T.PROMOTER_GRANT:
            _set_promoter(uow, payment.user_id, False)
    if commission is not None:
        entries.setdefault(commission.user_id, [])
        entries[commission.user_id] += _reverse_commission(uow, wallets[commission.user_id], refund, commission,
                                                           now, ref, key)
    for user_id, moved in entries.items():
        if moved:
            wallet_ops.record(uow, wallets[user_id], moved)


def give_back(uow: UnitOfWork, refund: Refund, payment: Payment, now: datetime, policy: Policy) -> None:
    """The channel refused the refund for good: everything `take_back` took returns (the caller moves the refund
    out of processing in the same transaction, so this happens once)."""
    assert payment.id is not None
    commission = _commission_lot(uow, payment.id, any_status=True)
    wallets = uow.wallets.lock_many([payment.user_id] + ([commission.user_id] if commission else []))
    payer = wallets[payment.user_id]
    ref, key = LedgerRef("payment", payment.id), f"payment:{payment.id}:refund_failed"
    moved = []
    if refund.credits_taken:
        moved.append(payer.grant_credits(refund.credits_taken, T.PAYMENT_REFUND, "退款未成功，积分退回", now, ref,
                                         f"{key}:credits", refund.cost_taken))
    if refund.coins_taken:
        moved.append(payer.post(Account.COINS_AVAILABLE, refund.coins_taken, T.PAYMENT_REFUND, "退款未成功，金币退回",
                                now, ref, f"{key}:coins"))
    if payment.product_type is ProductType.SUBSCRIPTION_MONTHLY:
        period = uow.subscriptions.period_for_payment(payment.id)
        assert period is not None
        period.voided_at = None
        uow.subscriptions.save_period(period)
        _fit_card(uow, payment.user_id, now)
    fulfilment = uow.ledger.by_key(f"payment:{payment.id}:fulfil")
    if fulfilment is not None and fulfilment.type is T.PROMOTER_GRANT:
        _set_promoter(uow, payment.user_id, True)
    if moved:
        wallet_ops.record(uow, payer, moved)
    if commission is not None and refund.commission_reversed:
        promoter = wallets[commission.user_id]
        wallet_ops.record(uow, promoter, [promoter.add_pending_coins(
            refund.commission_reversed, T.COMMISSION, "退款未成功，佣金恢复", now, ref, f"{key}:commission")])
        uow.coin_lots.add(wallet_ops.pending_lot(commission.user_id, refund.commission_reversed, T.COMMISSION, now,
                                                 policy.revenue, ref))


def _take_credits(wallet: Wallet, refund: Refund, delivered: Credits, cost: Cny, force: bool, now: datetime,
                  ref: LedgerRef, key: str) -> list[LedgerEntry]:
    """Take back `delivered` credits and the `cost` they brought; what was spent only with `force`."""
    taken = min(delivered, wallet.credits)
    if taken < delivered and not force:
        raise NotAllowed(f"该笔积分已被使用：需扣回{delivered.minor}，账户仅剩{wallet.credits.minor}；"
                         f"确认退款请加 --force（差额核销）",
                         {"available": wallet.credits.minor, "required": delivered.minor})
    if not taken:
        refund.written_off += cost
        return []
    # Credits are fungible: the payment's price per credit says how much cost leaves with them; taking the
    # wallet's last credits takes all of its cost (a wallet never keeps a cost without credits).
    cost_out = wallet.credits_cost if taken == wallet.credits else min(wallet.credits_cost,
                                                                      Cny(cost.minor * taken.minor // delivered.minor))
    refund.credits_taken, refund.cost_taken = taken, cost_out
    refund.written_off += cost - cost_out
    return [wallet.post(Account.CREDITS, -taken, T.PAYMENT_REFUND, "退款扣回积分", now, ref, f"{key}:credits", -cost_out)]


def _take_coins(uow: UnitOfWork, wallet: Wallet, refund: Refund, payment: Payment, force: bool, now: datetime,
                ref: LedgerRef, key: str) -> list[LedgerEntry]:
    assert payment.id is not None
    lot = next((x for x in uow.coin_lots.by_ref("payment", payment.id) if x.source is T.COINS_PACK), None)
    assert lot is not None
    if lot.status is LotStatus.PENDING:
        lot.status = LotStatus.REVERSED
        uow.coin_lots.save(lot)
        refund.coins_taken = lot.amount
        return [wallet.post(Account.COINS_PENDING, -lot.amount, T.PAYMENT_REFUND, "退款扣回金币", now, ref,
                            f"{key}:coins")]
    taken = min(lot.amount, wallet.coins_available)
    if taken < lot.amount and not force:
        raise NotAllowed(f"金币已被提现：需扣回{lot.amount}，可用仅{wallet.coins_available}；确认退款请加 --force",
                         {"available": wallet.coins_available.to_decimal(), "required": lot.amount.to_decimal()})
    refund.coins_taken = taken
    if not taken:
        return []
    return [wallet.post(Account.COINS_AVAILABLE, -taken, T.PAYMENT_REFUND, "退款扣回金币", now, ref, f"{key}:coins")]


def _reverse_commission(uow: UnitOfWork, wallet: Wallet, refund: Refund, lot: CoinLot, now: datetime,
                        ref: LedgerRef, key: str) -> list[LedgerEntry]:
    if lot.status is LotStatus.PENDING:
        entry = wallet.reverse_pending(lot.amount, "退款，佣金冲回", now, ref, f"{key}:commission")
    elif wallet.coins_available >= lot.amount:
        entry = wallet.post(Account.COINS_AVAILABLE, -lot.amount, T.INCOME_REVERSAL, "退款，佣金冲回", now, ref,
                            f"{key}:commission")
    else:
        refund.commission_unrecovered = lot.amount  # withdrawn already: the operator sees it on the refund
        return []
    lot.status = LotStatus.REVERSED
    uow.coin_lots.save(lot)
    refund.commission_reversed = lot.amount
    return [entry]


def _commission_lot(uow: UnitOfWork, payment_id: int, any_status: bool = False) -> CoinLot | None:
    for lot in uow.coin_lots.by_ref("payment", payment_id):
        if lot.source is T.COMMISSION and (any_status or lot.status is not LotStatus.REVERSED):
            return lot
    return None


def _fit_card(uow: UnitOfWork, user_id: int, now: datetime) -> None:
    card = uow.subscriptions.for_user(user_id, lock=True)
    if card is not None:
        card.fit_to(uow.subscriptions.periods_for(user_id), now)
        uow.subscriptions.save(card)


def _set_promoter(uow: UnitOfWork, user_id: int, on: bool) -> None:
    user = uow.users.get(user_id)
    assert user is not None
    user.is_promoter = on
    uow.users.save(user)

