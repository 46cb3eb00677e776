"""One function per use case, building it over a `Fakes` set exactly as the container builds it over real
adapters. Tests (tests/support/usecases.py) call these; `UseCases` holds one of each."""
from __future__ import annotations

from skyriff_domain.ports import PageCache, VideoProvider
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
from skyriff_domain.services.play_copies import PlayCopies
from skyriff_domain.services.projects import Projects
from skyriff_domain.services.provider_events import ProviderEvents
from skyriff_domain.services.providers import ProviderRouter
from skyriff_domain.services.quotes import Quotes
from skyriff_domain.services.redemption import Redemptions
from skyriff_domain.services.redemption_batches import RedemptionBatches
from skyriff_domain.services.referrals import Referrals
from skyriff_domain.services.refunds import Refunds
from skyriff_domain.services.remix import Remixes
from skyriff_domain.services.reports import Reports
from skyriff_domain.services.sanctions import Sanctions
from skyriff_domain.services.screening import Screen
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
from skyriff_domain.services.withheld_files import WithheldFiles
from skyriff_domain.services.works import Works

from .fakes import AIGC_KEY, CODE_SECRET, REDEEM_SECRET, Fakes
from .operators import TotpCodes


def sms_login(f: Fakes, test_phones: dict[str, str] | None = None) -> SmsLogin:
    return SmsLogin(f.uow, f.clock, f.policy, f.codes, f.sms, f.limiter, f.secrets, f.tokens, CODE_SECRET,
                    test_phones or {})


def wechat_flow(f: Fakes) -> WeChatLoginFlow:
    return WeChatLoginFlow(f.uow, f.clock, f.policy, f.wechat, f.states, f.secrets, f.tokens)


def authenticator(f: Fakes) -> Authenticator:
    return Authenticator(f.uow, f.clock, f.tokens)


def wallets(f: Fakes) -> Wallets:
    return Wallets(f.uow, f.clock, f.policy)


def screen(f: Fakes) -> Screen:
    """Moderation through the scripted moderator: only "[block]" and "[review]" change anything."""
    return Screen(f.moderator, f.policy.moderation, f.frames)


def profiles(f: Fakes) -> Profiles:
    return Profiles(f.uow, f.clock, screen(f), f.storage)


def following(f: Fakes) -> Following:
    return Following(f.uow, f.clock)


def idempotency(f: Fakes) -> Idempotency:
    return Idempotency(f.idempotency, f.clock, f.policy)


def catalog(f: Fakes) -> Catalog:
    return Catalog(f.uow, f.clock)


def ledger_audit(f: Fakes) -> LedgerAudit:
    return LedgerAudit(f.uow, f.policy, f.clock)


def user_admin(f: Fakes) -> UserAdmin:
    return UserAdmin(f.uow, f.clock)


def payments(f: Fakes) -> Payments:
    return Payments(f.uow, f.clock, f.policy, f.secrets, f.gateways)


def subscriptions(f: Fakes) -> Subscriptions:
    return Subscriptions(f.uow, f.clock, f.policy)


def referrals(f: Fakes) -> Referrals:
    return Referrals(f.uow, f.clock, f.policy)


def withdrawals(f: Fakes) -> Withdrawals:
    return Withdrawals(f.uow, f.clock, f.policy, f.cipher, f.payouts)


def payouts(f: Fakes) -> Payouts:
    return Payouts(f.uow, f.clock, f.policy, f.cipher, f.payouts)


def verifications(f: Fakes) -> Verifications:
    return Verifications(f.uow, f.clock, f.policy, f.verifier, f.cipher, f.limiter)


def refunds(f: Fakes) -> Refunds:
    return Refunds(f.uow, f.clock, f.policy, f.refund_gateways)


def income_statements(f: Fakes) -> IncomeStatements:
    return IncomeStatements(f.uow, f.policy, f.cipher)


def router(f: Fakes, *providers: VideoProvider) -> ProviderRouter:
    """Both models served by `providers` in that order (default: the scripted provider); no real sleeps."""
    chain = list(providers) or [f.provider]
    return ProviderRouter({"sora2": chain, "sora2Pro": chain}, f.policy, f.sleeps.append)


def creation(f: Fakes, *providers: VideoProvider) -> Creation:
    return Creation(f.uow, f.clock, f.policy, router(f, *providers), f.jobs, screen(f))


def quotes(f: Fakes, *providers: VideoProvider) -> Quotes:
    return Quotes(f.uow, f.policy, router(f, *providers))


def aigc_labels(f: Fakes) -> AigcLabels:
    return AigcLabels(f.labeler, AIGC_KEY, "skyriff")


def play_copies(f: Fakes) -> PlayCopies:
    return PlayCopies(f.uow, f.storage, aigc_labels(f))


def runner(f: Fakes, *providers: VideoProvider) -> TaskRunner:
    return TaskRunner(f.uow, f.clock, f.policy, router(f, *providers), f.storage, f.media, labels=aigc_labels(f),
                      screen=screen(f))


def provider_events(f: Fakes, *providers: VideoProvider) -> ProviderEvents:
    return ProviderEvents(runner(f, *providers), f.jobs, f.limiter, f.clock)


def assets(f: Fakes) -> Assets:
    return Assets(f.uow, f.clock, f.policy, f.storage, f.media, labels=aigc_labels(f))


def download_records(f: Fakes) -> DownloadRecords:
    return DownloadRecords(f.uow)


def projects(f: Fakes) -> Projects:
    return Projects(f.uow, f.clock)


def _cache(f: Fakes, cache: PageCache | None) -> PageCache | None:
    return cache if cache is not None else f.page_cache


def works(f: Fakes, cache: PageCache | None = None) -> Works:
    return Works(f.uow, f.clock, f.policy, _cache(f, cache), play_copies=play_copies(f), screen=screen(f))


def withheld_files(f: Fakes) -> WithheldFiles:
    return WithheldFiles(f.uow, f.storage)


def moderation(f: Fakes, cache: PageCache | None = None) -> Moderation:
    return Moderation(f.uow, f.clock, f.policy, _cache(f, cache), withheld_files(f))


def reports(f: Fakes) -> Reports:
    return Reports(f.uow, f.clock, f.policy)


def appeals(f: Fakes, cache: PageCache | None = None) -> Appeals:
    return Appeals(f.uow, f.clock, _cache(f, cache), withheld_files(f))


def sanctions(f: Fakes) -> Sanctions:
    return Sanctions(f.uow, f.clock)


def tipping(f: Fakes) -> Tipping:
    return Tipping(f.uow, f.clock, f.policy)


def remixes(f: Fakes) -> Remixes:
    return Remixes(f.uow, f.clock, f.policy, creation(f))


def task_center(f: Fakes) -> TaskCenter:
    return TaskCenter(f.uow, f.clock, f.policy)


def home(f: Fakes) -> Home:
    return Home(f.uow, f.clock, f.policy, wallets(f), subscriptions(f))


def throttle(f: Fakes) -> Throttle:
    return Throttle(f.limiter, f.clock, f.policy)


def redemption_batches(f: Fakes) -> RedemptionBatches:
    return RedemptionBatches(f.uow, f.clock, f.policy, f.secrets, REDEEM_SECRET)


def redemptions(f: Fakes) -> Redemptions:
    return Redemptions(f.uow, f.clock, f.policy, throttle(f), f.secrets, REDEEM_SECRET)


# The operators' console: accounts, logins, the audit log, and the read models its pages show.
def operators(f: Fakes) -> Operators:
    return Operators(f.uow, f.clock, f.policy.console, f.hasher, f.totp, f.cipher)


def console_auth(f: Fakes) -> ConsoleAuth:
    return ConsoleAuth(f.uow, f.clock, f.policy.console, f.hasher, f.totp, f.cipher, f.secrets)


def audit_trail(f: Fakes) -> AuditTrail:
    return AuditTrail(f.uow, f.clock)


def task_admin(f: Fakes) -> TaskAdmin:
    return TaskAdmin(f.uow, f.clock)


def dashboard(f: Fakes) -> Dashboard:
    return Dashboard(f.uow, f.clock, f.policy)


def people(f: Fakes) -> People:
    return People(f.uow, wallets(f), verifications(f))


def money_views(f: Fakes) -> MoneyViews:
    return MoneyViews(f.uow, f.clock, f.cipher)


def moderation_views(f: Fakes) -> ModerationViews:
    return ModerationViews(f.uow, moderation(f))


def task_views(f: Fakes) -> TaskViews:
    return TaskViews(f.uow, f.clock, f.policy)


def totp_now(f: Fakes, secret: str, seconds_later: float = 0) -> str:
    """The code an authenticator app shows at the fake clock's time (plus `seconds_later`)."""
    return TotpCodes().code_at(secret, f.clock.now().timestamp() + seconds_later)


def housekeeping(f: Fakes) -> Housekeeping:
    return Housekeeping(f.clock, f.codes, f.limiter, f.idempotency, f.leases, console_auth(f))
