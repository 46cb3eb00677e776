"""What a settled payment delivers, per product kind, plus the promoter's commission — all inside the
caller's transaction, so a payment is fulfilled exactly when it is marked paid."""
from __future__ import annotations

import logging
from datetime import datetime

from ..model.catalog import Product, ProductType
from ..model.ledger import LedgerRef, LedgerType
from ..model.payment import Payment
from ..model.referral import CODE_ALPHABET, CODE_LENGTH, CODE_PREFIX
from ..model.subscription import Subscription
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
    if product.type is ProductType.CREDITS_PACK:
        wallet_ops.grant_credits(uow, user_id, product.credits_amount, LedgerType.RECHARGE,
                                 f"充值{payment.amount}元", now, ref, key)
    elif product.type is ProductType.COINS_PACK:
        wallet_ops.add_available_coins(uow, user_id, product.coins_amount, LedgerType.COINS_PACK,
                                       f"购买金币{product.coins_amount}", now, ref, key)
    elif product.type is ProductType.SUBSCRIPTION_MONTHLY:
        card = card_of(uow, user_id, lock=True)
        card.extend(product.duration_days, now)
        uow.subscriptions.save(card)
    elif product.type is ProductType.PROMOTER_ACTIVATION:
        _activate_promoter(uow, user_id, secrets)
        wallet_ops.grant_credits(uow, user_id, product.credits_amount, LedgerType.PROMOTER_GRANT,
                                 "推广员激活赠送", now, ref, key)
    pay_commission(uow, payment, now, policy)


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


def _activate_promoter(uow: UnitOfWork, user_id: int, secrets: SecretGenerator) -> None:
    user = uow.users.get(user_id)
    assert user is not None
    user.is_promoter = True
    while user.referral_code is None:
        code = CODE_PREFIX + secrets.code(CODE_ALPHABET, CODE_LENGTH)
        if uow.users.find_by_referral_code(code) is None:  # 31^7 codes: a clash is rare, never fatal
            user.referral_code = code
    uow.users.save(user)


def pay_commission(uow: UnitOfWork, payment: Payment, now: datetime, policy: Policy) -> None:
    """The promoter whose code the payer bound earns a share of every settled payment, as pending coins."""
    assert payment.id is not None
    referral = uow.referrals.for_invitee(payment.user_id)
    if referral is None:
        return
    promoter = uow.users.get(referral.promoter_id)
    if promoter is None or not promoter.is_promoter:
        return
    coins = policy.revenue.commission(payment.amount)
    if not coins.is_positive:
        return
    wallet_ops.add_pending_coins(uow, promoter.id, coins, LedgerType.COMMISSION, "推广佣金", now, policy.revenue,
                                 LedgerRef("payment", payment.id), f"payment:{payment.id}:commission")
