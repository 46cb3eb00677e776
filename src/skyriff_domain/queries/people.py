"""Users as operators look them up: a search by id, nickname or exact phone number, and one user's page — profile,
verification (masked), wallet and ledger, tasks, works, payments, withdrawals, reports and sanctions."""
from __future__ import annotations

import attrs

from ..errors import NotFound
from ..model.generation import GenerationTask
from ..model.ledger import COIN_ACCOUNTS, Account, LedgerEntry
from ..model.payment import Payment
from ..model.report import Report
from ..model.sanction import Sanction
from ..model.user import PHONE_PATTERN, Identity, IdentityKind, User, UserStats
from ..model.withdrawal import Withdrawal
from ..model.work import Work
from ..ports import PaymentQuery, TaskQuery, UnitOfWork, UnitOfWorkFactory
from ..ids import is_id
from ..money import Cny
from ..services.verification import Verifications, VerificationView
from ..services.wallets import Wallets, WalletView

SEARCH_MAX = 50
LIST_MAX = 20


@attrs.frozen
class UserPage:
    user: User
    stats: UserStats
    verification: VerificationView  # masks only
    wallet: WalletView | None
    credits_cost: Cny  # what was paid for the credits held
    credits_ledger: list[LedgerEntry]
    coins_ledger: list[LedgerEntry]
    tasks: list[GenerationTask]
    works: list[Work]
    payments: list[Payment]
    withdrawals: list[Withdrawal]
    reports_filed: list[Report]
    reports_received: list[Report]
    sanctions: list[Sanction]


def find_users(uow: UnitOfWork, text: str, limit: int = SEARCH_MAX) -> list[User]:
    """An id (digits), an exact mainland phone number (11 digits: never a fragment — a partial number finds
    nobody), or a part of a nickname."""
    text = text.strip()
    if not text:
        return []
    found: dict[int, User] = {}
    if PHONE_PATTERN.fullmatch(text):
        user = uow.users.find_by_identity(Identity(IdentityKind.PHONE, text))
        if user is not None:
            found[user.id] = user
    elif text.isascii() and text.isdigit() and is_id(int(text)):
        user = uow.users.get(int(text))
        if user is not None:
            found[user.id] = user
    for user in uow.console.users_by_nickname(text[:40], limit):
        found.setdefault(user.id, user)
    return list(found.values())[:limit]


@attrs.define
class People:
    uow: UnitOfWorkFactory
    wallets: Wallets
    verifications: Verifications

    def search(self, text: str) -> list[User]:
        with self.uow(read_only=True) as uow:
            return find_users(uow, text)

    def page(self, user_id: int) -> UserPage:
        wallet, verification = self._wallet(user_id), self.verifications.view(user_id)
        with self.uow(read_only=True) as uow:
            user = uow.users.get(user_id)
            if user is None:
                raise NotFound("用户不存在")
            return UserPage(
                user=user, stats=uow.users.stats(user_id), verification=verification, wallet=wallet,
                credits_cost=_cost(uow, user_id),
                credits_ledger=uow.ledger.page(user_id, (Account.CREDITS,), None, LIST_MAX),
                coins_ledger=uow.ledger.page(user_id, COIN_ACCOUNTS, None, LIST_MAX),
                tasks=uow.console.tasks(TaskQuery(user_id=user_id), None, LIST_MAX),
                works=[e.work for e in uow.works.by_creator(user_id, user_id, None, LIST_MAX)],
                payments=uow.console.payments(PaymentQuery(user_id=user_id), None, LIST_MAX),
                withdrawals=uow.withdrawals.page_for_user(user_id, None, LIST_MAX),
                reports_filed=uow.reports.page_for_user(user_id, None, LIST_MAX),
                reports_received=uow.console.reports_on_works_of(user_id, LIST_MAX),
                sanctions=uow.sanctions.for_user(user_id))

    def _wallet(self, user_id: int) -> WalletView | None:
        try:
            return self.wallets.overview(user_id)
        except NotFound:
            return None


def _cost(uow: UnitOfWork, user_id: int) -> Cny:
    wallet = uow.wallets.get(user_id)
    return wallet.credits_cost if wallet is not None else Cny(0)
