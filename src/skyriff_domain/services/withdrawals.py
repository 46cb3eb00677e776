"""Withdrawals: apply (available → held), and the operators' approve / reject (coins back) / pay."""
from __future__ import annotations

from decimal import Decimal

import attrs

from ..economy import coins_for_cny
from ..errors import InvalidRequest, InvalidWithdrawalAmount, NotFound
from ..model.ledger import LedgerRef
from ..model.withdrawal import Withdrawal, WithdrawalStatus, validate_account
from ..money import Cny
from ..policy import Policy
from ..ports import Clock, UnitOfWorkFactory
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

    def apply(self, user_id: int, amount: Decimal | int | str, method: str, account_info: object) -> Withdrawal:
        if method not in self.policy.withdrawal.methods:
            raise InvalidRequest("method", f"取值需为 {', '.join(self.policy.withdrawal.methods)}")
        cny = parse_amount(amount, self.policy)
        account = validate_account(method, account_info)
        now = self.clock.now()
        with self.uow() as uow:
            wallet_ops.release_matured(uow, user_id, now)  # matured earnings count as available
            withdrawal = uow.withdrawals.add(Withdrawal(user_id, cny, method, account, now))
            wallet = wallet_ops.locked_wallet(uow, user_id)
            entries = wallet.hold_coins(coins_for_cny(cny), "提现申请", now, LedgerRef("withdrawal", withdrawal.id))
            wallet_ops.record(uow, wallet, entries)
            uow.commit()
        return withdrawal

    def page(self, user_id: int, before_id: int | None, limit: int) -> tuple[list[Withdrawal], bool]:
        with self.uow(read_only=True) as uow:
            rows = uow.withdrawals.page_for_user(user_id, before_id, limit + 1)
        return split_page(rows, limit)

    # Operators ----------------------------------------------------------------------------------
    def queue(self, status: WithdrawalStatus | None = WithdrawalStatus.APPLIED, limit: int = 100) -> list[Withdrawal]:
        with self.uow(read_only=True) as uow:
            return uow.withdrawals.by_status(status, limit)

    def approve(self, withdrawal_id: int) -> Withdrawal:
        return self._decide(withdrawal_id, "approve")

    def reject(self, withdrawal_id: int, note: str = "") -> Withdrawal:
        """Held coins go back to available."""
        return self._decide(withdrawal_id, "reject", note)

    def mark_paid(self, withdrawal_id: int) -> Withdrawal:
        """The money left the company: held coins are gone for good."""
        return self._decide(withdrawal_id, "pay")

    def _decide(self, withdrawal_id: int, action: str, note: str = "") -> Withdrawal:
        now = self.clock.now()
        with self.uow() as uow:
            withdrawal = uow.withdrawals.get_for_update(withdrawal_id)
            if withdrawal is None:
                raise NotFound("提现记录不存在")
            coins, ref = coins_for_cny(withdrawal.amount), LedgerRef("withdrawal", withdrawal_id)
            if action == "approve":
                withdrawal.approve(now)
            elif action == "reject":
                withdrawal.reject(now, note)
                wallet = wallet_ops.locked_wallet(uow, withdrawal.user_id)
                wallet_ops.record(uow, wallet, wallet.release_held(coins, "提现被拒，金币退回", now, ref))
            else:
                withdrawal.mark_paid(now)
                wallet = wallet_ops.locked_wallet(uow, withdrawal.user_id)
                wallet_ops.record(uow, wallet, [wallet.pay_held(coins, "提现已打款", now, ref)])
            uow.withdrawals.save(withdrawal)
            uow.commit()
        return withdrawal
