"""The check behind `skyriff ledger verify`: every balance and every credits cost recomputed from the ledger, and
PRODUCT.md's three conservation equations, all read from one consistent snapshot."""
from __future__ import annotations

import attrs

from ..economy import share_ceiling
from ..model.catalog import COMMISSIONABLE, CREDIT_PRODUCTS
from ..model.ledger import COIN_ACCOUNTS, Account, LedgerType
from ..money import Cny
from ..policy import Policy
from ..model.audit import SUMMARY_MAX, LedgerCheck
from ..ports import Clock, UnitOfWork, UnitOfWorkFactory

T = LedgerType
PAID_CREDITS = (T.RECHARGE, T.PROMOTER_GRANT, T.SUBSCRIPTION_CLAIM)  # credits whose cost someone paid
CREATOR_SPENDS = (T.TIP_SPEND, T.PROMPT_UNLOCK_SPEND, T.REMIX_SPEND)
CREATOR_INCOME = (T.TIP_INCOME, T.PROMPT_INCOME, T.REMIX_INCOME)
COIN_MOVES = (T.RELEASE, T.WITHDRAW_HOLD, T.WITHDRAW_RELEASE)  # between a user's own coin accounts
Sums = dict[tuple[Account, LedgerType], tuple[int, int]]


@attrs.frozen
class Discrepancy:
    """One balance (or credits cost) that its ledger does not explain."""

    user_id: int
    account: str
    balance: int
    ledger_sum: int
    last_balance_after: int | None

    def __str__(self) -> str:
        return (f"user {self.user_id} {self.account}: balance {self.balance}, ledger sum {self.ledger_sum}, "
                f"last balance_after {self.last_balance_after}")


@attrs.frozen
class Breach:
    """A conservation equation that does not hold (amounts in fen)."""

    equation: str
    left: int
    right: int

    def __str__(self) -> str:
        return f"conservation: {self.equation}: {Cny(self.left)} vs {Cny(self.right)}"


@attrs.define
class LedgerAudit:
    uow: UnitOfWorkFactory
    policy: Policy = attrs.field(factory=Policy)
    clock: Clock | None = None  # when runs are recorded (`check`)

    def check(self, source: str) -> list[Discrepancy | Breach]:
        """`verify`, and record the run (when, whether it held, the first differences) for the console."""
        assert self.clock is not None, "recording ledger checks needs a clock"
        problems = self.verify()
        summary = "\n".join(str(p) for p in problems[:20])[:SUMMARY_MAX]
        with self.uow() as uow:
            uow.ledger_checks.add(LedgerCheck(self.clock.now(), not problems, len(problems), summary, source))
            uow.commit()
        return problems

    def last_checks(self, limit: int = 10) -> list[LedgerCheck]:
        with self.uow(read_only=True) as uow:
            return uow.ledger_checks.latest(limit)

    def verify(self) -> list[Discrepancy | Breach]:
        """Balances = Σ entries = the newest entry's balance_after; credits cost = Σ entry costs; then the
        conservation equations. One snapshot: a grant committed meanwhile cannot make a false difference."""
        with self.uow(read_only=True, snapshot=True) as uow:
            return self._balances(uow) + self._conservation(uow)

    @staticmethod
    def _balances(uow: UnitOfWork) -> list[Discrepancy | Breach]:
        totals = uow.ledger.totals()
        problems: list[Discrepancy | Breach] = []
        seen, pending = set(), {}
        for wallet in uow.wallets.all():
            if wallet.coins_pending:
                pending[wallet.user_id] = wallet.coins_pending.minor
            for account in Account:
                key = (wallet.user_id, account)
                seen.add(key)
                balance = wallet.balance(account).minor
                total, last, _ = totals.get(key, (0, None, 0))
                if total != balance or (last is not None and last != balance) or (last is None and balance):
                    problems.append(Discrepancy(wallet.user_id, account, balance, total, last))
            cost_sum = totals.get((wallet.user_id, Account.CREDITS), (0, None, 0))[2]
            if cost_sum != wallet.credits_cost.minor:
                problems.append(Discrepancy(wallet.user_id, "credits_cost", wallet.credits_cost.minor, cost_sum, None))
        for (user_id, account), (total, last, _) in totals.items():
            if (user_id, account) not in seen:
                problems.append(Discrepancy(user_id, account, 0, total, last))
        return problems + LedgerAudit._lots(uow, pending)

    @staticmethod
    def _lots(uow: UnitOfWork, pending: dict[int, int]) -> list[Discrepancy | Breach]:
        """Pending coins are exactly the lots still waiting to unlock: a lot released or reversed twice, or
        coins moved without their lot, shows here."""
        lots = uow.coin_lots.pending_totals()
        return [Discrepancy(user_id, "pending_lots", pending.get(user_id, 0), lots.get(user_id, 0), None)
                for user_id in sorted(set(pending) | set(lots)) if pending.get(user_id, 0) != lots.get(user_id, 0)]

    def _conservation(self, uow: UnitOfWork) -> list[Discrepancy | Breach]:
        sums = uow.ledger.sums_by_type()
        breaches = [self._cost_is_paid_for(uow, sums), self._refunds_add_up(uow, sums),
                    self._coins_are_earned_or_bought(sums), self._shares_are_bounded(uow)]
        return [b for b in breaches if b is not None]

    @staticmethod
    def _cost_is_paid_for(uow: UnitOfWork, sums: Sums) -> Breach | None:
        """Σ cost held in wallets + Σ cost consumed + Σ cost left on cards = Σ CNY paid for credits. The wallets'
        and the consumed cost together are the cost paid-for credits brought in, so: what came in with credits
        plus what cards still hold equals what payments collected for them."""
        brought_in = sum(sums.get((Account.CREDITS, t), (0, 0))[1] for t in PAID_CREDITS)
        paid = sum(cny.minor for kind, cny in uow.payments.paid_by_type().items() if kind in CREDIT_PRODUCTS)
        left = brought_in + uow.subscriptions.unclaimed_cost().minor
        free = [t for (account, t), (_, cost) in sums.items() if account is Account.CREDITS and cost > 0
                and t not in PAID_CREDITS and t not in (T.GEN_REFUND, T.PAYMENT_REFUND)]
        if free:
            return Breach(f"free credits carry a cost ({', '.join(sorted(free))})", left, paid)
        if left != paid:
            return Breach("cost held + consumed + on cards = CNY paid for credits", left, paid)
        return None

    @staticmethod
    def _refunds_add_up(uow: UnitOfWork, sums: Sums) -> Breach | None:
        """Every refund the channel did not refuse gave back its amount as: the cost of the credits it took + the
        card claims it voided + the coins it took + what an operator wrote off."""
        totals = uow.refunds.totals()
        taken = -sums.get((Account.CREDITS, T.PAYMENT_REFUND), (0, 0))[1]
        if taken != totals.cost_taken.minor:
            return Breach("refunds' cost taken = the cost their ledger entries took", totals.cost_taken.minor, taken)
        explained = taken + totals.card_voided.minor + totals.coins_taken.minor + totals.written_off.minor
        if explained != totals.amount.minor:
            return Breach("refunded = cost taken back + card claims voided + coins taken back + written off",
                          explained, totals.amount.minor)
        return None

    @staticmethod
    def _coins_are_earned_or_bought(sums: Sums) -> Breach | None:
        """Coins paid out + held + available + pending = coins earned + coins bought (+ operators' adjustments);
        moves between a user's own coin accounts create nothing."""
        coin = {t: sum(sums.get((a, t), (0, 0))[0] for a in COIN_ACCOUNTS) for t in LedgerType}
        moved = {t: coin[t] for t in COIN_MOVES if coin[t]}
        if moved:
            return Breach(f"coin moves do not net to zero ({', '.join(sorted(moved))})", sum(moved.values()), 0)
        held = sum(coin.values()) - coin[T.WITHDRAW_PAID]  # the wallets' coins plus what was paid out
        earned = (sum(coin[t] for t in (*CREATOR_INCOME, T.COMMISSION, T.INCOME_REVERSAL))
                  + coin[T.COINS_PACK] + coin[T.PAYMENT_REFUND] + coin[T.ADMIN_ADJUST])
        if held != earned:
            return Breach("coins paid out + held + available + pending = coins earned + bought", held, earned)
        return None

    def _shares_are_bounded(self, uow: UnitOfWork) -> Breach | None:
        """Σ creator and promoter income ≤ 90% of the cost fans spent on creators (net of refunded remix fees) +
        10% of commissionable payments — counted from the audit epoch on, and checked for each side apart (a
        stricter form: the commission budget never hides creators paid more than their share, nor the other
        way round)."""
        epoch = uow.ledger.audit_epoch()
        after_id, after_at = epoch if epoch else (0, None)
        sums = uow.ledger.sums_by_type(after_id)

        def coins(*types: LedgerType) -> int:
            return sum(sums.get((a, t), (0, 0))[0] for a in COIN_ACCOUNTS for t in types)

        spent = -sum(sums.get((Account.CREDITS, t), (0, 0))[1] for t in CREATOR_SPENDS)
        spent -= uow.tasks.refunded_remix_fee_cost(after_at).minor
        commissionable = sum(cny.minor for kind, cny in uow.payments.paid_by_type(after_at).items()
                             if kind in COMMISSIONABLE)
        rates = self.policy.revenue
        creators, bound = coins(*CREATOR_INCOME, T.INCOME_REVERSAL), share_ceiling(spent, rates.creator_share)
        if creators > bound:
            return Breach("creator income ≤ 90% of the cost fans spent on creators", creators, bound)
        promoters, bound = coins(T.COMMISSION), share_ceiling(commissionable, rates.promoter_commission)
        if promoters > bound:
            return Breach("promoter commission ≤ 10% of commissionable payments", promoters, bound)
        return None
