"""`UseCases`: every use case of the domain (and the console's read models), built over one `Fakes` set by one
call (`build_use_cases`)."""
from __future__ import annotations

import attrs

from skyriff_domain.queries.dashboard import Dashboard
from skyriff_domain.queries.moderation_queue import ModerationViews
from skyriff_domain.queries.money import MoneyViews
from skyriff_domain.queries.people import People
from skyriff_domain.queries.tasks import TaskViews
from skyriff_domain.services.admin import UserAdmin
from skyriff_domain.services.aigc import AigcLabels
from skyriff_domain.services.appeals import Appeals
from skyriff_domain.services.assets import Assets
from skyriff_domain.services.audit import AuditTrail
from skyriff_domain.services.auth import Authenticator, SmsLogin, WeChatLoginFlow
from skyriff_domain.services.catalog import Catalog
from skyriff_domain.services.console_auth import ConsoleAuth
from skyriff_domain.services.creation import Creation
from skyriff_domain.services.download_records import DownloadRecords
from skyriff_domain.services.home import Home
from skyriff_domain.services.housekeeping import Housekeeping
from skyriff_domain.services.idempotency import Idempotency
from skyriff_domain.services.income import IncomeStatements
from skyriff_domain.services.ledger_audit import LedgerAudit
from skyriff_domain.services.moderation import Moderation
from skyriff_domain.services.operators import Operators
from skyriff_domain.services.payments import Payments
from skyriff_domain.services.payouts import Payouts
from skyriff_domain.services.projects import Projects
from skyriff_domain.services.provider_events import ProviderEvents
from skyriff_domain.services.quotes import Quotes
from skyriff_domain.services.redemption import Redemptions
from skyriff_domain.services.redemption_batches import RedemptionBatches
from skyriff_domain.services.referrals import Referrals
from skyriff_domain.services.refunds import Refunds
from skyriff_domain.services.remix import Remixes
from skyriff_domain.services.reports import Reports
from skyriff_domain.services.sanctions import Sanctions
from skyriff_domain.services.subscriptions import Subscriptions
from skyriff_domain.services.task_admin import TaskAdmin
from skyriff_domain.services.task_center import TaskCenter
from skyriff_domain.services.task_runner import TaskRunner
from skyriff_domain.services.throttle import Throttle
from skyriff_domain.services.tipping import Tipping
from skyriff_domain.services.users import Following, Profiles
from skyriff_domain.services.verification import Verifications
from skyriff_domain.services.wallets import Wallets
from skyriff_domain.services.withdrawals import Withdrawals
from skyriff_domain.services.works import Works

from . import builders as b
from .fakes import Fakes


@attrs.frozen
class UseCases:
    """One instance of every use case, sharing `fakes` (the clock, the in-memory database, the scripted
    provider…), named as the container names them. Build with `build_use_cases()`."""

    fakes: Fakes
    sms_login: SmsLogin
    wechat_login: WeChatLoginFlow
    authenticator: Authenticator
    profiles: Profiles
    following: Following
    wallets: Wallets
    quotes: Quotes
    idempotency: Idempotency
    catalog: Catalog
    ledger_audit: LedgerAudit
    user_admin: UserAdmin
    payments: Payments
    subscriptions: Subscriptions
    referrals: Referrals
    verifications: Verifications
    withdrawals: Withdrawals
    payouts: Payouts
    refunds: Refunds
    income_statements: IncomeStatements
    aigc_labels: AigcLabels
    task_runner: TaskRunner
    provider_events: ProviderEvents
    creation: Creation
    assets: Assets
    download_records: DownloadRecords
    projects: Projects
    works: Works
    moderation: Moderation
    reports: Reports
    appeals: Appeals
    sanctions: Sanctions
    tipping: Tipping
    remixes: Remixes
    task_center: TaskCenter
    home: Home
    throttle: Throttle
    redemption_batches: RedemptionBatches
    redemptions: Redemptions
    operators: Operators
    console_auth: ConsoleAuth
    audit_trail: AuditTrail
    task_admin: TaskAdmin
    dashboard: Dashboard
    people: People
    money_views: MoneyViews
    moderation_views: ModerationViews
    task_views: TaskViews
    housekeeping: Housekeeping


def build_use_cases(fakes: Fakes | None = None, test_phones: dict[str, str] | None = None,
                    seed_catalog: bool = True) -> UseCases:
    """Every use case over `fakes` (default: a fresh `Fakes()`, its clock fixed at 2026-01-15 02:00 UTC).
    `test_phones` ({phone: code}) log in with a fixed code and send no SMS; `seed_catalog` inserts the default
    product catalogue (the credits packs, the monthly card…) so purchases work at once."""
    f = fakes or Fakes()
    if seed_catalog:
        b.catalog(f).seed()
    return UseCases(
        fakes=f, sms_login=b.sms_login(f, test_phones), wechat_login=b.wechat_flow(f), authenticator=b.authenticator(f),
        profiles=b.profiles(f), following=b.following(f), wallets=b.wallets(f), quotes=b.quotes(f),
        idempotency=b.idempotency(f), catalog=b.catalog(f), ledger_audit=b.ledger_audit(f), user_admin=b.user_admin(f),
        payments=b.payments(f), subscriptions=b.subscriptions(f), referrals=b.referrals(f),
        verifications=b.verifications(f), withdrawals=b.withdrawals(f), payouts=b.payouts(f), refunds=b.refunds(f),
        income_statements=b.income_statements(f), aigc_labels=b.aigc_labels(f), task_runner=b.runner(f),
        provider_events=b.provider_events(f), creation=b.creation(f), assets=b.assets(f),
        download_records=b.download_records(f), projects=b.projects(f), works=b.works(f), moderation=b.moderation(f),
        reports=b.reports(f), appeals=b.appeals(f), sanctions=b.sanctions(f), tipping=b.tipping(f),
        remixes=b.remixes(f), task_center=b.task_center(f), home=b.home(f), throttle=b.throttle(f),
        redemption_batches=b.redemption_batches(f), redemptions=b.redemptions(f), operators=b.operators(f),
        console_auth=b.console_auth(f), audit_trail=b.audit_trail(f), task_admin=b.task_admin(f),
        dashboard=b.dashboard(f), people=b.people(f), money_views=b.money_views(f),
        moderation_views=b.moderation_views(f), task_views=b.task_views(f), housekeeping=b.housekeeping(f))
