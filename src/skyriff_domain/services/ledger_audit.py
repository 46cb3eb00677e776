"""Recompute every balance from the ledger: the check behind `skyriff ledger verify`."""
from __future__ import annotations

import attrs

from ..model.ledger import Account
from ..ports import UnitOfWorkFactory


@attrs.frozen
class Discrepancy:
    user_id: int
    account: Account
    balance: int
    ledger_sum: int
    last_balance_after: int | None

    def __str__(self) -> str:
        return (f"user {self.user_id} {self.account}: balance {self.balance}, ledger sum {self.ledger_sum}, "
                f"last balance_after {self.last_balance_after}")


@attrs.define
class LedgerAudit:
    uow: UnitOfWorkFactory

    def verify(self) -> list[Discrepancy]:
        """Every (user, account): balance = sum of entries = balance_after of the newest entry."""
        with self.uow(read_only=True) as uow:
            totals = uow.ledger.totals()
            problems = []
            seen = set()
            for wallet in uow.wallets.all():
                for account in Account:
                    key = (wallet.user_id, account)
                    seen.add(key)
                    balance = wallet.balance(account).minor
                    total, last = totals.get(key, (0, None))
                    if total != balance or (last is not None and last != balance) or (last is None and balance):
                        problems.append(Discrepancy(wallet.user_id, account, balance, total, last))
            for (user_id, account), (total, last) in totals.items():
                if (user_id, account) not in seen:
                    problems.append(Discrepancy(user_id, account, 0, total, last))
        return problems
