"""What a product delivers — to a settled payment, or free to a redeemed code — plus a payment's promoter
commission, all inside the caller's transaction, so an order is fulfilled exactly when it is marked paid and a
code exactly when it is marked redeemed.

The product row alone says what is delivered (credits, card days and daily credits, coins); the payment's
amount is what those credits cost, and a code's credits cost nothing. Both wallets of a payment (payer and
promoter) are locked in id order before either changes, like every transaction that touches two wallets."""
from __future__ import annotations

import logging
from datetime import datetime

import attrs

from ..economy import promoter_commission
from ..model.catalog import COMMISSIONABLE, Product, ProductType
from ..model.ledger import LedgerEntry, LedgerRef, LedgerType
from ..model.payment import Payment
from ..model.referral import CODE_ALPHABET, CODE_LENGTH, CODE_PREFIX
from ..model.subscription import CardPeriod, Subscription
from ..model.user import User
from ..money import Cny, Credits
from ..policy import Policy
from ..ports import DuplicateEntry, SecretGenerator, UnitOfWork
from . import wallet_ops

log = logging.getLogger("skyriff.payments")


@attrs.frozen
class Source:
    """What a delivery is for: a payment (its amount becomes the credits' cost) or a redemption code (free).
    `credits_type` and `description` label the credits a credits pack delivers."""

    ref: LedgerRef
    key: str  # the ledger's unique key of the delivery: a second delivery for the same source fails
    price: Cny
    credits_type: LedgerType
    description: str
    payment_id: int | None = None
    redemption_code_id: int | None = None


@attrs.frozen
class Delivery:
    """What the user got: the credits entry (credits packs, promoter activation), the card period (monthly card),
    the referral code (promoter activation)."""

    entry: LedgerEntry | None = None
    card: CardPeriod | None = None
    card_end_at: datetime | None = None
    referral_code: str | None = None

    @property
    def credits(self) -> Credits:
        return Credits(self.entry.amount.minor) if self.entry is not None else Credits(0)


def fulfil(uow: UnitOfWork, payment: Payment, product: Product, now: datetime, policy: Policy,
           secrets: SecretGenerator) -> None:
    assert payment.id is not None
    source = Source(LedgerRef("payment", payment.id), f"payment:{payment.id}:fulfil", payment.amount,
                    LedgerType.RECHARGE, f"充值{payment.amount}元", payment_id=payment.id)
    user_id = payment.user_id
    promoter = commission_earner(uow, payment)
    uow.wallets.lock_many([user_id] + ([promoter.id] if promoter else []))
    if product.type is ProductType.COINS_PACK:
        wallet_ops.add_pending_coins(uow, user_id, product.coins_amount, LedgerType.COINS_PACK,
                                     f"购买金币{product.coins_amount}", now, policy.revenue, source.ref, source.key)
    else:
        deliver(uow, user_id, product, source, now, secrets)
    if promoter is not None and product.type in COMMISSIONABLE:
        _pay_commission(uow, promoter, payment, now, policy)


def deliver(uow: UnitOfWork, user_id: int, product: Product, source: Source, now: datetime,
            secrets: SecretGenerator) -> Delivery:
    """Deliver a credits product (credits pack, monthly card, promoter activation) at the source's price; the
    caller holds the user's wallet lock. Coins packs are bought only, never delivered from here."""
    if product.type is ProductType.CREDITS_PACK:
        return Delivery(entry=wallet_ops.grant_credits(uow, user_id, product.credits_amount, source.credits_type,
                                                       source.description, now, source.ref, source.key,
                                                       source.price))
    if product.type is ProductType.SUBSCRIPTION_MONTHLY:
        return _add_card_period(uow, user_id, product, source, now)
    if product.type is ProductType.PROMOTER_ACTIVATION:
        return _activate_promoter(uow, user_id, product, source, now, secrets)
    raise ValueError(f"{product.type.value} is not delivered as credits")


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


def _add_card_period(uow: UnitOfWork, user_id: int, product: Product, source: Source, now: datetime) -> Delivery:
    """The card's days come after any still running; the period keeps the row's daily credits and the price
    (0 for a code: its claims then carry no cost)."""
    card = card_of(uow, user_id, lock=True)
    starts_at, ends_at = card.extend(product.duration_days, now)
    uow.subscriptions.save(card)
    period = uow.subscriptions.add_period(CardPeriod(
        user_id=user_id, payment_id=source.payment_id, redemption_code_id=source.redemption_code_id,
        starts_at=starts_at, ends_at=ends_at, days=product.duration_days, daily_credits=product.daily_credits,
        price=source.price))
    return Delivery(card=period, card_end_at=card.end_at)


def _activate_promoter(uow: UnitOfWork, user_id: int, product: Product, source: Source, now: datetime,
                       secrets: SecretGenerator) -> Delivery:
    """Once per user: a second activation paid before the first settled (two pending orders), or redeemed by a
    promoter, is never a second activation — it becomes the credits it carries, at its price."""
    user = uow.users.get(user_id)
    assert user is not None and user.id is not None
    if user.is_promoter:
        log.warning("%s: user %s is already a promoter; the activation becomes credits", source.key, user.id)
        entry = wallet_ops.grant_credits(uow, user.id, product.credits_amount, source.credits_type,
                                         "推广员已激活，本单转为积分", now, source.ref, source.key, source.price)
        return Delivery(entry=entry)
    user.is_promoter = True
    while user.referral_code is None:
        code = CODE_PREFIX + secrets.code(CODE_ALPHABET, CODE_LENGTH)
        if uow.users.find_by_referral_code(code) is None:  # 31^7 codes: a clash is rare, never fatal
            user.referral_code = code
    uow.users.save(user)
    entry = wallet_ops.grant_credits(uow, user.id, product.credits_amount, LedgerType.PROMOTER_GRANT, "推广员激活赠送",
                                     now, source.ref, source.key, source.price)
    return Delivery(entry=entry, referral_code=user.referral_code)


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
