"""Monthly income statements of earners (国务院令第810号: platforms report their users' income): per earner,
what they earned by kind in a business month, what they applied to withdraw and what was paid out, with the
verified name and ID number — the one place an operator sees a number unmasked."""
from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import attrs

from ..economy import cny_for_coins
from ..errors import InvalidRequest
from ..model.ledger import Account, LedgerType
from ..money import Cny, Coins
from ..policy import Policy
from ..ports import PersonalDataCipher, UnitOfWorkFactory

T = LedgerType
Key = tuple[int, Account, LedgerType, str | None]  # (user, account, type, the kind of thing that caused it)
# What each column sums: (ledger type, account or None for any, cause kind or None for any).
COLUMNS = {
    "tips": ((T.TIP_INCOME, None, None),),
    "prompts": ((T.PROMPT_INCOME, None, None),),
    "remix": ((T.REMIX_INCOME, None, None), (T.INCOME_REVERSAL, None, "task")),  # a failed remix's share back
    "commission": ((T.COMMISSION, None, None), (T.INCOME_REVERSAL, None, "payment")),  # a refund's commission back
    "withdrawn": ((T.WITHDRAW_HOLD, Account.COINS_HELD, None),),
    "paid": ((T.WITHDRAW_PAID, Account.COINS_HELD, None),),
}


def _column(sums: dict[Key, int], user_id: int, parts) -> Cny:
    fen = sum(amount for (user, account, kind, cause), amount in sums.items() if user == user_id and any(
        kind is t and (a is None or account is a) and (c is None or cause == c) for t, a, c in parts))
    return cny_for_coins(Coins(fen))


@attrs.frozen
class IncomeRow:
    user_id: int
    real_name: str | None
    id_number: str | None
    tips: Cny
    prompts: Cny
    remix: Cny
    commission: Cny
    withdrawn: Cny  # applied for this month (coins moved to held)
    paid: Cny  # paid out this month

    @property
    def income(self) -> Cny:
        return self.tips + self.prompts + self.remix + self.commission


@attrs.define
class IncomeStatements:
    uow: UnitOfWorkFactory
    policy: Policy
    cipher: PersonalDataCipher

    def month(self, month: str) -> list[IncomeRow]:
        """`month` like 2026-11 (the business time zone's calendar month); earners by user id."""
        start, end = self._bounds(month)
        with self.uow(read_only=True, snapshot=True) as uow:
            sums = uow.ledger.sums_by_user_between(start, end)
            people = {user for user, _, _, _ in sums}
            verified = uow.verifications.for_users(people)
        rows = []
        for user_id in sorted(people):
            amounts = {name: _column(sums, user_id, parts) for name, parts in COLUMNS.items()}
            amounts["paid"] = -amounts["paid"]
            if not any(amounts.values()):
                continue
            v = verified.get(user_id)
            rows.append(IncomeRow(user_id, self.cipher.decrypt(v.name_token) if v else None,
                                  self.cipher.decrypt(v.number_token) if v else None, **amounts))
        return rows

    def _bounds(self, month: str) -> tuple[datetime, datetime]:
        try:
            year, number = (int(part) for part in month.split("-"))
            first = date(year, number, 1)
        except (ValueError, TypeError):
            raise InvalidRequest("month", "格式为 YYYY-MM") from None
        following = date(year + number // 12, number % 12 + 1, 1)
        zone = ZoneInfo(self.policy.business_timezone)
        return (datetime.combine(first, time(0), tzinfo=zone), datetime.combine(following, time(0), tzinfo=zone))

