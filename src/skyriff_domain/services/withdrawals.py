"""Applying for a withdrawal (available → held) and reading them back; operators' decisions and the payouts
through the channels are in payouts.py.

The checks run in the order the spec's examples need to stay reachable: the amount rules (2006), available
coins (2005 with `available`/`required`), a verified identity (2011), minors (2012), then the payee: the
verified name (2000) and, for WeChat, an account linked by WeChat login (2000)."""
from __future__ import annotations

from decimal import Decimal
from typing import Mapping

import attrs

from ..economy import coins_for_cny
from ..errors import InsufficientCoins, InvalidRequest, InvalidWithdrawalAmount, VerificationRequired
from ..model.ledger import LedgerRef
from ..model.minors import refuse_for_minors
from ..model.user import IdentityKind
from ..model.withdrawal import Withdrawal, WithdrawalStatus, validate_account
from ..money import Cny
from ..policy import Policy
from ..ports import Clock, PersonalDataCipher, UnitOfWork, UnitOfWorkFactory
from ..ports.payouts import PayoutGateway
from . import wallet_ops
from .lookups import split_page


def parse_amount(value: Decimal | int | str, policy: Policy) -> Cny:
    """At least the minimum, at most the maximum, two decimals at most (2006 otherwise)."""
    try:
        amount = Cny.of(value)
    except (ValueError, TypeError):
        raise InvalidWithdrawalAmount("提现金额最多两位小数") from None
    rules = policy.withdrawal
    if amount < rules.minimum:
        raise InvalidWithdrawalAmount(f"提现金额不能低于{rules.minimum}元",
                                      {"minimum": rules.minimum.to_decimal(), "requested": amount.to_decimal()})
    if amount > rules.maximum:
        raise InvalidWithdrawalAmount(f"单笔提现不能超过{rules.maximum}元",
                                      {"maximum": rules.maximum.to_decimal(), "requested": amount.to_decimal()})
    return amount


@attrs.define
class Withdrawals:
    uow: UnitOfWorkFactory
    clock: Clock
    policy: Policy
    cipher: PersonalDataCipher
    payouts: Mapping[str, PayoutGateway] = attrs.field(factory=dict)  # by method: who pays WeChat / Alipay

    def apply(self, user_id: int, amount: Decimal | int | str, method: str, account_info: object) -> Withdrawal:
        if method not in self.policy.withdrawal.methods:
            raise InvalidRequest.not_one_of("method", self.policy.withdrawal.methods)
        cny = parse_amount(amount, self.policy)
        account = validate_account(method, account_info)
        now = self.clock.now()
        with self.uow() as uow:
            wallet_ops.release_matured(uow, user_id, now)  # matured earnings count as available
            wallet = wallet_ops.locked_wallet(uow, user_id)
            coins = coins_for_cny(cny)
            if wallet.coins_available < coins:
                raise InsufficientCoins(data={"available": wallet.coins_available.to_decimal(),
                                              "required": coins.to_decimal()})
            payee = self._payee(uow, user_id, method, account, now)
            withdrawal = uow.withdrawals.add(Withdrawal(user_id, cny, method, account, now, payee_ref=payee))
            entries = wallet.hold_coins(coins, "提现申请", now, LedgerRef("withdrawal", withdrawal.id))
            wallet_ops.record(uow, wallet, entries)
            uow.commit()
        return withdrawal

    def _payee(self, uow: UnitOfWork, user_id: int, method: str, account: dict[str, str], now) -> str | None:
        """Who the money goes to: a verified adult whose verified name is the payee's."""
        verification = uow.verifications.for_user(user_id)
        if verification is None:
            raise VerificationRequired()
        refuse_for_minors(verification.age(self.policy.business_day(now)), "提现")
        if account["name"] != self.cipher.decrypt(verification.name_token):
            raise InvalidRequest("account_info.name", "收款人姓名需与实名认证姓名一致")
        if method == "alipay":
            return account["account"]
        if method == "wechat":
            return self._wechat_openid(uow, user_id)
        return None

    def _wechat_openid(self, uow: UnitOfWork, user_id: int) -> str:
        """WeChat pays an openid of the merchant's own AppID: the one the user logged in with."""
        gateway = self.payouts.get("wechat")
        app_id = gateway.payee_app_id if gateway else None
        for identity in uow.users.identities(user_id):
            if identity.kind is IdentityKind.WECHAT_OPENID:
                identity_app, _, openid = identity.key.partition(":")
                if app_id is None or identity_app == app_id:
                    return openid
        raise InvalidRequest("method", "微信提现需先使用微信登录绑定微信账号")

    def page(self, user_id: int, before_id: int | None, limit: int) -> tuple[list[Withdrawal], bool]:
        with self.uow(read_only=True) as uow:
            rows = uow.withdrawals.page_for_user(user_id, before_id, limit + 1)
        return split_page(rows, limit)

    def queue(self, status: WithdrawalStatus | None = WithdrawalStatus.APPLIED, limit: int = 100) -> list[Withdrawal]:
        """Oldest first: the operators' review queue."""
        with self.uow(read_only=True) as uow:
            return uow.withdrawals.by_status(status, limit)
