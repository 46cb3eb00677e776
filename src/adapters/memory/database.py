"""The state behind the in-memory unit of work: plain dicts guarded by one lock."""
from __future__ import annotations

import itertools
from datetime import date, datetime
import threading
from collections import defaultdict
import attrs

from skyriff_domain.model.catalog import ImageAsset, Product
from skyriff_domain.model.coin_lot import CoinLot
from skyriff_domain.model.generation import GenerationTask
from skyriff_domain.model.ledger import LedgerEntry
from skyriff_domain.model.media import CleanDownloadRecord, Project, VideoAsset
from skyriff_domain.model.moderation import ModerationCase
from skyriff_domain.model.audit import AuditEntry, LedgerCheck
from skyriff_domain.model.operator import OperatorAccount, OperatorSession
from skyriff_domain.model.payment import Payment, PaymentEvent
from skyriff_domain.model.redemption import RedemptionBatch, RedemptionCode
from skyriff_domain.model.referral import Referral
from skyriff_domain.model.identity import Verification
from skyriff_domain.model.refund import Refund
from skyriff_domain.model.report import Appeal, Report
from skyriff_domain.model.sanction import Sanction
from skyriff_domain.model.subscription import CardPeriod, Subscription
from skyriff_domain.model.user import Identity, User
from skyriff_domain.model.wallet import Wallet
from skyriff_domain.model.work import Work
from skyriff_domain.model.withdrawal import Withdrawal


@attrs.define
class MemoryState:
    users: dict[int, User] = attrs.field(factory=dict)
    identities: dict[Identity, int] = attrs.field(factory=dict)
    counters: dict[int, dict[str, int]] = attrs.field(factory=lambda: defaultdict(lambda: defaultdict(int)))
    follows: set[tuple[int, int]] = attrs.field(factory=set)
    wallets: dict[int, Wallet] = attrs.field(factory=dict)
    ledger: list[LedgerEntry] = attrs.field(factory=list)
    ledger_keys: set[str] = attrs.field(factory=set)
    lots: dict[int, CoinLot] = attrs.field(factory=dict)
    images: dict[int, ImageAsset] = attrs.field(factory=dict)
    products: dict[int, Product] = attrs.field(factory=dict)
    payments: dict[int, Payment] = attrs.field(factory=dict)
    subscriptions: dict[int, Subscription] = attrs.field(factory=dict)
    card_periods: dict[int, CardPeriod] = attrs.field(factory=dict)
    verifications: dict[int, tuple[Verification, int]] = attrs.field(factory=dict)  # user → (identity, slot)
    refunds: dict[int, Refund] = attrs.field(factory=dict)
    referrals: dict[int, Referral] = attrs.field(factory=dict)
    bonus_keys: dict[str, int] = attrs.field(factory=dict)
    withdrawals: dict[int, Withdrawal] = attrs.field(factory=dict)
    tasks: dict[int, GenerationTask] = attrs.field(factory=dict)
    submit_claims: dict[int, datetime] = attrs.field(factory=dict)
    videos: dict[int, VideoAsset] = attrs.field(factory=dict)
    projects: dict[int, Project] = attrs.field(factory=dict)
    clean_downloads: list[CleanDownloadRecord] = attrs.field(factory=list)
    works: dict[int, Work] = attrs.field(factory=dict)
    reactions: dict[tuple[str, int, int], tuple[int, datetime]] = attrs.field(factory=dict)
    tips: list[tuple] = attrs.field(factory=list)
    shares: dict[tuple[int, int, date], datetime] = attrs.field(factory=dict)
    daily_tasks: dict[tuple, list] = attrs.field(factory=dict)
    cases: dict[int, ModerationCase] = attrs.field(factory=dict)
    reports: dict[int, Report] = attrs.field(factory=dict)
    appeals: dict[int, Appeal] = attrs.field(factory=dict)
    sanctions: dict[int, Sanction] = attrs.field(factory=dict)
    payment_events: list[PaymentEvent] = attrs.field(factory=list)
    operators: dict[int, OperatorAccount] = attrs.field(factory=dict)
    operator_sessions: dict[str, OperatorSession] = attrs.field(factory=dict)
    audit: list[AuditEntry] = attrs.field(factory=list)
    ledger_checks: list[LedgerCheck] = attrs.field(factory=list)
    redemption_batches: dict[int, RedemptionBatch] = attrs.field(factory=dict)
    redemption_codes: dict[int, RedemptionCode] = attrs.field(factory=dict)


class MemoryDatabase:
    """One in-process database. A unit of work holds `lock` from begin to end, so transactions serialize."""

    def __init__(self) -> None:
        self.state = MemoryState()
        self.lock = threading.RLock()
        self._ids = defaultdict(lambda: itertools.count(1))

    def next_id(self, table: str) -> int:
        return next(self._ids[table])
