"""Promoters and referral codes: binding a code (once, within 7 days, not your own) and the promoter's stats."""
from __future__ import annotations

import attrs

from ..errors import InvalidReferralCode
from ..model.catalog import ProductType
from ..model.ledger import LedgerRef, LedgerType
from ..model.referral import Referral, normalize_code
from ..money import Coins, Credits
from ..policy import Policy
from ..ports import Clock, DuplicateEntry, UnitOfWorkFactory
from . import wallet_ops


@attrs.frozen
class BindResult:
    bonus: Credits
    new_balance: Credits


@attrs.frozen
class PromoterView:
    is_promoter: bool
    referral_code: str | None
    promo_credits: Credits
    total_invites: int
    total_commission: Coins


@attrs.define
class Referrals:
    uow: UnitOfWorkFactory
    clock: Clock
    policy: Policy

    def bind(self, user_id: int, code: str) -> BindResult:
        """Invalid, own, repeated or late codes answer 2004. The bonus is paid once per phone number or
        WeChat identity ever, so signing up again does not farm it."""
        now = self.clock.now()
        with self.uow() as uow:
            user = uow.users.get(user_id)
            promoter = uow.users.find_by_referral_code(normalize_code(code))
            if user is None or promoter is None or not promoter.is_promoter:
                raise InvalidReferralCode()
            if promoter.id == user_id:
                raise InvalidReferralCode("不能绑定自己的邀请码")
            if now - user.created_at > self.policy.referral.bind_window:
                raise InvalidReferralCode("注册超过7天，不能再绑定邀请码")
            try:
                referral = uow.referrals.add(Referral(user_id, promoter.id, promoter.referral_code, now))
            except DuplicateEntry:
                raise InvalidReferralCode("已绑定过邀请码") from None
            keys = [f"{i.kind}:{i.key}" for i in uow.users.identities(user_id)]
            bonus = self.policy.referral.invitee_bonus if uow.referrals.claim_bonus(keys, user_id, now) else Credits(0)
            if bonus.is_positive:
                entry = wallet_ops.grant_credits(uow, user_id, bonus, LedgerType.REFERRAL_BONUS, "邀请码绑定奖励", now,
                                                 LedgerRef("referral", referral.id), f"referral:{user_id}:bonus")
                balance = entry.balance_after
            else:
                balance = uow.wallets.get(user_id).credits
            uow.commit()
        return BindResult(bonus, balance)

    def promoter(self, user_id: int) -> PromoterView:
        """`promo_credits`: what the activation product delivers (its catalogue row), 0 when none is on sale."""
        with self.uow(read_only=True) as uow:
            user = uow.users.get(user_id)
            assert user is not None
            activation = next(iter(uow.products.list(ProductType.PROMOTER_ACTIVATION)), None)
            return PromoterView(user.is_promoter, user.referral_code,
                                activation.credits_amount if activation else Credits(0),
                                uow.referrals.count_for_promoter(user_id),
                                uow.coin_lots.total(user_id, LedgerType.COMMISSION))
