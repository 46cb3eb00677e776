"""Operators' decisions on withdrawals, and the payouts they start: approving sends the money through the
withdrawal's channel (WeChat Pay 商家转账 / Alipay 单笔转账) under a bill number derived from its id; a bank card is
paid by hand and marked paid with the bank's reference.

Exactly once: the approval is committed (transfer `sending`) before the channel is asked; an answer moves the
withdrawal under its row lock — success pays the held coins, a final failure rejects it and returns them — and
only from `approved`, so a repeated answer changes nothing. A transfer whose fate is unknown is queried by the
sync batch; only a query that finds nothing (it was never created) sends it again."""
from __future__ import annotations

import logging
from datetime import timedelta
from typing import Mapping

import attrs

from ..economy import coins_for_cny
from ..errors import DomainError, NotAllowed, NotFound
from ..model.ledger import LedgerRef
from ..model.withdrawal import Transfer, Withdrawal, WithdrawalStatus
from ..policy import Policy
from ..ports import Clock, PersonalDataCipher, UnitOfWork, UnitOfWorkFactory
from ..ports.payouts import OutcomeUnknown, PayoutGateway, TransferOrder, TransferResult, TransferState
from ..model.operator import Operator
from ..text import clean_text
from . import wallet_ops
from .audit import record

log = logging.getLogger("skyriff.payouts")
REMARK = "SkyRiff创作收益提现"
_MOVES = {TransferState.PROCESSING: Transfer.PROCESSING, TransferState.WAIT_USER_CONFIRM: Transfer.WAIT_USER_CONFIRM}


@attrs.frozen
class PayoutSyncReport:
    paid: int = 0
    failed: int = 0
    in_flight: int = 0
    errors: int = 0


@attrs.define
class Payouts:
    uow: UnitOfWorkFactory
    clock: Clock
    policy: Policy
    cipher: PersonalDataCipher
    gateways: Mapping[str, PayoutGateway]  # by withdrawal method

    def approve(self, withdrawal_id: int, over_cap: bool = False, actor: Operator | None = None,
                reason: str = "") -> Withdrawal:
        """Approve and send. Above the policy's daily payout caps (per user, platform-wide) the withdrawal is
        approved but held until an operator approves it again with `over_cap`."""
        now = self.clock.now()
        with self.uow() as uow:
            withdrawal = self._locked(uow, withdrawal_id)
            before = _state(withdrawal)
            if withdrawal.status is WithdrawalStatus.APPLIED:
                withdrawal.approve(now)
            elif not (withdrawal.status is WithdrawalStatus.APPROVED and withdrawal.transfer is Transfer.HELD):
                raise NotAllowed(f"提现状态为 {withdrawal.status}，不能审核通过")
            if withdrawal.method in self.gateways:
                allowed = over_cap or self._within_caps(uow, withdrawal)
                withdrawal.transfer = Transfer.SENDING if allowed else Transfer.HELD
            uow.withdrawals.save(withdrawal)
            record(uow, actor, "withdrawal.approve", "withdrawal", withdrawal_id, now, reason=reason, before=before,
                   after={**_state(withdrawal), "over_cap": over_cap})
            uow.commit()
        if withdrawal.transfer is Transfer.SENDING:
            return self._send(withdrawal)
        return withdrawal

    def reject(self, withdrawal_id: int, note: str = "", actor: Operator | None = None) -> Withdrawal:
        """Held coins go back to available; a payout in flight cannot be rejected (its channel decides)."""
        now = self.clock.now()
        with self.uow() as uow:
            withdrawal = self._locked(uow, withdrawal_id)
            before = _state(withdrawal)
            withdrawal.reject(now, note)
            self._release(uow, withdrawal, "提现被拒，金币退回")
            uow.withdrawals.save(withdrawal)
            record(uow, actor, "withdrawal.reject", "withdrawal", withdrawal_id, now, reason=note, before=before,
                   after=_state(withdrawal))
            uow.commit()
        return withdrawal

    def mark_paid(self, withdrawal_id: int, reference: str, actor: Operator | None = None) -> Withdrawal:
        """A bank transfer made by hand: the bank's reference is required, and the held coins are gone."""
        reference = clean_text("reference", reference, 100, min_len=1)
        now = self.clock.now()
        with self.uow() as uow:
            withdrawal = self._locked(uow, withdrawal_id)
            if withdrawal.method in self.gateways:
                raise NotAllowed("该提现由支付渠道打款，不能手工标记")
            before = _state(withdrawal)
            withdrawal.mark_paid(now, reference)
            self._pay(uow, withdrawal)
            uow.withdrawals.save(withdrawal)
            record(uow, actor, "withdrawal.mark_paid", "withdrawal", withdrawal_id, now, reason=reference,
                   before=before, after={**_state(withdrawal), "reference": reference})
            uow.commit()
        return withdrawal

    def sync_one(self, withdrawal_id: int, actor: Operator | None = None) -> Withdrawal:
        """Ask the channel about one transfer in flight now (an operator's question); a transfer the channel never
        created is sent. Answers change the withdrawal as the batch's would."""
        with self.uow() as uow:
            withdrawal = self._locked(uow, withdrawal_id)
            if not withdrawal.in_flight:
                raise NotAllowed("该提现没有进行中的打款")
            record(uow, actor, "withdrawal.query", "withdrawal", withdrawal_id, self.clock.now(),
                   before=_state(withdrawal))
            uow.commit()
        result = self.gateways[withdrawal.method].query(withdrawal.bill_no)
        if result.state is TransferState.NOT_FOUND:
            return self._send(withdrawal)
        return self._record(withdrawal_id, result)

    def sync(self, min_age: timedelta = timedelta(minutes=1), limit: int = 200) -> PayoutSyncReport:
        """Batch: ask the channels about transfers in flight (older than `min_age`, so an approval still
        sending is left alone); a transfer the channel never created is sent now."""
        with self.uow(read_only=True) as uow:
            flying = uow.withdrawals.in_flight(self.clock.now() - min_age, limit)
        counts = {"paid": 0, "failed": 0, "in_flight": 0, "errors": 0}
        for withdrawal in flying:
            try:
                result = self.gateways[withdrawal.method].query(withdrawal.bill_no)
                if result.state is TransferState.NOT_FOUND:
                    withdrawal = self._send(withdrawal)
                else:
                    withdrawal = self._record(withdrawal.id, result)
            except (DomainError, KeyError) as error:
                log.warning("withdrawal %s: cannot ask its channel now (%s)", withdrawal.id, error)
                counts["errors"] += 1
                continue
            ended = {WithdrawalStatus.PAID: "paid", WithdrawalStatus.REJECTED: "failed"}
            counts[ended.get(withdrawal.status, "in_flight")] += 1
        return PayoutSyncReport(**counts)

    def _send(self, withdrawal: Withdrawal) -> Withdrawal:
        assert withdrawal.payee_ref is not None and withdrawal.id is not None
        with self.uow(read_only=True) as uow:
            verification = uow.verifications.for_user(withdrawal.user_id)
        if verification is None:  # reset by an operator since: not paid to a name nobody vouches for
            log.warning("withdrawal %s: the payee's verification was reset; not sent", withdrawal.id)
            return withdrawal
        order = TransferOrder(withdrawal.bill_no, withdrawal.amount, withdrawal.payee_ref,
                              self.cipher.decrypt(verification.name_token), REMARK)
        try:
            result = self.gateways[withdrawal.method].transfer(order)
        except OutcomeUnknown as unknown:
            log.warning("withdrawal %s: transfer outcome unknown (%s); it will be queried", withdrawal.id, unknown)
            return withdrawal
        return self._record(withdrawal.id, result)

    def _record(self, withdrawal_id: int, result: TransferResult) -> Withdrawal:
        now = self.clock.now()
        with self.uow() as uow:
            withdrawal = self._locked(uow, withdrawal_id)
            if not withdrawal.in_flight:
                return withdrawal  # settled already: a repeated answer changes nothing
            withdrawal.channel_ref = result.channel_ref or withdrawal.channel_ref
            if result.state is TransferState.SUCCESS:
                withdrawal.mark_paid(now)
                self._pay(uow, withdrawal)
            elif result.state is TransferState.FAILED:
                withdrawal.transfer = None  # no longer in flight: the channel closed it
                withdrawal.reject(now, f"打款失败：{result.reason or '渠道拒绝'}"[:200])
                self._release(uow, withdrawal, "打款失败，金币退回")
            elif result.state in _MOVES:
                withdrawal.transfer, withdrawal.package_info = _MOVES[result.state], result.package_info
            uow.withdrawals.save(withdrawal)
            uow.commit()
        return withdrawal

    def _within_caps(self, uow: UnitOfWork, withdrawal: Withdrawal) -> bool:
        now = self.clock.now()
        day_start = self.policy.next_business_day_start(now) - timedelta(days=1)
        caps = self.policy.payout
        mine = uow.withdrawals.sent_total(day_start, withdrawal.user_id)
        everyone = uow.withdrawals.sent_total(day_start, None)
        return (mine + withdrawal.amount <= caps.daily_per_user
                and everyone + withdrawal.amount <= caps.daily_platform)

    @staticmethod
    def _locked(uow: UnitOfWork, withdrawal_id: int) -> Withdrawal:
        withdrawal = uow.withdrawals.get_for_update(withdrawal_id)
        if withdrawal is None:
            raise NotFound("提现记录不存在")
        return withdrawal

    def _pay(self, uow: UnitOfWork, withdrawal: Withdrawal) -> None:
        wallet = wallet_ops.locked_wallet(uow, withdrawal.user_id)
        wallet_ops.record(uow, wallet, [wallet.pay_held(coins_for_cny(withdrawal.amount), "提现已打款",
                                                        self.clock.now(), LedgerRef("withdrawal", withdrawal.id))])

    def _release(self, uow: UnitOfWork, withdrawal: Withdrawal, description: str) -> None:
        wallet = wallet_ops.locked_wallet(uow, withdrawal.user_id)
        wallet_ops.record(uow, wallet, wallet.release_held(coins_for_cny(withdrawal.amount), description,
                                                           self.clock.now(), LedgerRef("withdrawal", withdrawal.id)))


def _state(withdrawal: Withdrawal) -> dict[str, object]:
    """What the audit log records of a withdrawal: its amount, status and where its transfer stands."""
    return {"status": withdrawal.status.value, "transfer": withdrawal.transfer.value if withdrawal.transfer else None,
            "amount": str(withdrawal.amount), "user_id": withdrawal.user_id}
