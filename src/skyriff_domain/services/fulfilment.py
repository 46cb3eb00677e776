"""What a settled payment delivers, per product kind, plus the promoter's commission — all inside the
caller's transaction, so a payment is fulfilled exactly when it is marked paid.

The product row alone says what is delivered (credits, card days and daily credits, coins); the payment's
amount is what those credits cost. Both wallets (payer and promoter) are locked in id order before either
changes, like every transaction that touches two wallets."""
from __future__ import annotations

import logging
from datetime import datetime

from ..economy import promoter_commission
from ..model.catalog import COMMISSIONABLE, Product, ProductType
from ..model.ledger import LedgerRef, LedgerType
from ..model.payment import Payment
from ..model.referral import CODE_ALPHABET, CODE_LENGTH, CODE_PREFIX
from ..model.subscription import CardPeriod, Subscription
from ..model.user import User
from ..policy import Policy
from ..ports import DuplicateEntry, SecretGenerator, UnitOfWork
from . import wallet_ops

log = logging.getLogger("skyriff.payments")


def fulfil(uow: UnitOfWork, payment: Payment, product: Product, now: datetime, policy: Policy,
           secrets: SecretGenerator) -> None:
    assert payment.id is not None
    ref = LedgerRef("payment", payment.id)
    key = f"payment:{payment.id}:fulfil"
    user_id = payment.user_id
    promoter = commission_earner(uow, payment)
    uow.wallets.lock_many([user_id] + ([promoter.id] if promoter else []))
    if product.type is ProductType.CREDITS_PACK:
        wallet_ops.grant_credits(uow, user_id, product.credits_amount, LedgerType.RECHARGE,
                                 f"充值{payment.amount}元", now, ref, key, payment.amount)
    elif product.type is ProductType.COINS_PACK:
        wallet_ops.add_pending_coins(uow, user_id, product.coins_amount, LedgerType.COINS_PACK,
                                     f"购买金币{product.coins_amount}", now, policy.revenue, ref, key)
    elif product.type is ProductType.SUBSCRIPTION_MONTHLY:
        _add_card_period(uow, payment, product, now)
    elif product.type is ProductType.PROMOTER_ACTIVATION:
        _activate_promoter(uow, payment, product, now, secrets, ref, key)
    if promoter is not None and product.type in COMMISSIONABLE:
        _pay_commission(uow, promoter, payment, now, policy)


def card_of(uow: UnitOfWork, user_id: int, lock: bool = False) -> Subscription:
    """The user's monthly card row, created empty on first need (a concurrent creator may win: re-read)."""
    card = uow.subscriptions.for_user(user_id, lock)
    if card is None:
        try:
            card = uow.subscriptions.add(Subscription(user_id))
        except DuplicateEntry:
            card = uow.subscriptions.for_user(user_id, lock)
    assert card is not None
    return card


def _add_card_period(uow: UnitOfWork, payment: Payment, product: Product, now: datetime) -> None:
    """The card's days come after any still running; the period keeps the row's daily credits and the price."""
    assert payment.id is not None
    card = card_of(uow, payment.user_id, lock=True)
    starts_at, ends_at = card.extend(product.duration_days, now)
    uow.subscriptions.save(card)
    uow.subscriptions.add_period(CardPeriod(
        user_id=payment.user_id, payment_id=payment.id, starts_at=starts_at, ends_at=ends_at,
        days=product.duration_days, daily_credits=product.daily_credits, price=payment.amount))


def _activate_promoter(uow: UnitOfWork, payment: Payment, product: Product, now: datetime,
                       secrets: SecretGenerator, ref: LedgerRef, key: str) -> None:
    """Once per user: a second activation paid before the first settled (two pending orders) is never a second
    activation — it becomes the credits it paid for, at its price."""
    user = uow.users.get(payment.user_id)
    assert user is not None
    if user.is_promoter:
        log.warning("payment %s: user %s is already a promoter; the activation becomes credits", payment.id,
                    user.id)
        wallet_ops.grant_credits(uow, user.id, product.credits_amount, LedgerType.RECHARGE,
                                 "推广员已激活，本单转为积分", now, ref, key, payment.amount)
        return
    user.is_promoter = True
    while user.referral_code is None:
        code = CODE_PREFIX + secrets.code(CODE_ALPHABET, CODE_LENGTH)
        if uow.users.find_by_referral_code(code) is None:  # 31^7 codes: a clash is rare, never fatal
            user.referral_code = code
    uow.users.save(user)
    wallet_ops.grant_credits(uow, user.id, product.credits_amount, LedgerType.PROMOTER_GRANT, "推广员激活赠送", now,
                             ref, key, payment.amount)


def commission_earner(uow: UnitOfWork, payment: Payment) -> User | None:
    """The promoter whose code the payer bound, if they are (still) a promoter."""
    referral = uow.referrals.for_invitee(payment.user_id)
    if referral is None:
        return None
    promoter = uow.users.get(referral.promoter_id)
    return promoter if promoter is not None and promoter.is_promoter else None


def _pay_commission(uow: UnitOfWork, promoter: User, payment: Payment, now: datetime, policy: Policy) -> None:
    """The promoter earns a share of every settled commissionable payment, as pending coins."""
    assert payment.id is not None and promoter.id is not None
    coins = promoter_commission(payment.amount, policy.revenue.promoter_commission)
    if coins.is_positive:
        wallet_ops.add_pending_coins(uow, promoter.id, coins, LedgerType.COMMISSION, "推广佣金", now, policy.revenue,
                                     LedgerRef("payment", payment.id), f"payment:{payment.id}:commission")
