"""The dependency-injector container: settings → adapters → use cases. Real adapters when configured,
embedded or fake ones otherwise."""
from __future__ import annotations

import time

import attrs
from dependency_injector import containers, providers

from adapters.auth.jwt_tokens import JwtTokenIssuer
from adapters.auth.passwords import Argon2PasswordHasher
from adapters.auth.totp import PyotpCodes
from adapters.auth.sms_console import ConsoleSmsSender
from adapters.auth.sms_tencent import TencentSmsSender
from adapters.auth.wechat_disabled import DisabledWeChatLogin
from adapters.auth.wechat_fake import FakeWeChatLogin
from adapters.auth.wechat_oauth import WeChatApp, WeChatOAuthClient
from adapters.clock import SystemClock
from adapters.jobs.in_process import DatabaseQueue, InProcessJobQueue
from adapters.media.aigc import FfmpegAigcLabeler
from adapters.media.ffmpeg import make_test_mp4
from adapters.media.frames import FfmpegFrameSampler
from adapters.media.processor import FfmpegMediaProcessor
from adapters.memory.page_cache import MemoryPageCache
from adapters.moderation.local import LocalModerator
from adapters.moderation.tencent import TencentModerator
from adapters.moderation.test_cards import make_card_mp4
from adapters.providers.config import build_routes, load_document
from adapters.providers.fake import FakeVideoProvider
from adapters.redis_stores import RedisOAuthStates, RedisRateLimiter, RedisSmsCodes
from adapters.secret_generators import RandomSecrets
from adapters.shared_page_cache import RedisGenerations, SharedPageCache
from adapters.sqlalchemy.generations import SqlGenerations
from adapters.sqlalchemy.engine import make_engine
from adapters.sqlalchemy.reaction_flags import SqlReactionFlags
from adapters.sqlalchemy.view_counts import SqlViewCounts
from adapters.view_counts import BufferedViewCounter
from adapters.sqlalchemy.sandbox_book import SqlSandboxBook
from adapters.sqlalchemy.stores import SqlIdempotencyStore, SqlLeases, SqlOAuthStates, SqlRateLimiter, SqlSmsCodes
from adapters.sqlalchemy.unit_of_work import SqlUnitOfWorkFactory
from adapters.storage.local import LocalBlobStorage
from adapters.storage.s3 import S3BlobStorage, S3Config
from skyriff_domain.model.auth import WeChatPlatform
from skyriff_domain.model.moderation import Verdict
from skyriff_domain.policy import ConsolePolicy, GenerationPolicy, ModerationPolicy, Policy
from skyriff_domain.ports import (
    BlobStorage,
    ContentModerator,
    JobQueue,
    PageCache,
    SmsSender,
    VideoProvider,
    WeChatLogin,
)
from skyriff_domain.queries.dashboard import Dashboard
from skyriff_domain.queries.moderation_queue import ModerationViews
from skyriff_domain.queries.money import MoneyViews
from skyriff_domain.queries.people import People
from skyriff_domain.queries.tasks import TaskViews
from skyriff_domain.services.admin import UserAdmin
from skyriff_domain.services.audit import AuditTrail
from skyriff_domain.services.console_auth import ConsoleAuth
from skyriff_domain.services.operators import Operators
from skyriff_domain.services.task_admin import TaskAdmin
from skyriff_domain.services.aigc import AigcLabels
from skyriff_domain.services.appeals import Appeals
from skyriff_domain.services.assets import Assets
from skyriff_domain.services.auth import Authenticator, SmsLogin, WeChatLoginFlow
from skyriff_domain.services.catalog import Catalog
from skyriff_domain.services.creation import Creation
from skyriff_domain.services.download_records import DownloadRecords
from skyriff_domain.services.home import Home
from skyriff_domain.services.housekeeping import Housekeeping
from skyriff_domain.services.idempotency import Idempotency
from skyriff_domain.services.ledger_audit import LedgerAudit
from skyriff_domain.services.moderation import Moderation
from skyriff_domain.services.payments import Payments
from skyriff_domain.services.play_copies import PlayCopies
from skyriff_domain.services.projects import Projects
from skyriff_domain.services.provider_events import ProviderEvents
from skyriff_domain.services.providers import ProviderRouter
from skyriff_domain.services.quotes import Quotes
from skyriff_domain.services.redemption import Redemptions
from skyriff_domain.services.redemption_batches import RedemptionBatches
from skyriff_domain.services.referrals import Referrals
from skyriff_domain.services.remix import Remixes
from skyriff_domain.services.reports import Reports
from skyriff_domain.services.sanctions import Sanctions
from skyriff_domain.services.screening import Screen
from skyriff_domain.services.subscriptions import Subscriptions
from skyriff_domain.services.task_center import TaskCenter
from skyriff_domain.services.task_runner import TaskRunner
from skyriff_domain.services.throttle import Throttle
from skyriff_domain.services.tipping import Tipping
from skyriff_domain.services.users import Following, Profiles
from skyriff_domain.services.wallets import Wallets
from skyriff_domain.services.income import IncomeStatements
from skyriff_domain.services.payouts import Payouts
from skyriff_domain.services.refunds import Refunds
from skyriff_domain.services.verification import Verifications
from skyriff_domain.services.withdrawals import Withdrawals
from skyriff_domain.services.withheld_files import WithheldFiles
from skyriff_domain.services.works import Works

from .channels import (
    build_cipher,
    build_gateways,
    build_identity_verifier,
    build_payout_gateways,
    build_refund_gateways,
)
from .settings import Settings


def build_policy(settings: Settings) -> Policy:
    generation = attrs.evolve(GenerationPolicy(), max_video_bytes=settings.max_video_mb * 1024 * 1024)
    moderation = ModerationPolicy(on_error=Verdict(settings.moderation_on_error))
    console = ConsolePolicy(totp_required=settings.console_totp == "required")
    return Policy(business_timezone=settings.business_timezone, generation=generation, moderation=moderation,
                  console=console)


def build_moderator(settings: Settings) -> ContentModerator:
    """Tencent Cloud when configured, else the embedded word list with its test markers."""
    if settings.moderation_provider == "tencent":
        t = settings.tencent_moderation
        return TencentModerator(secret_id=t["secret_id"], secret_key=t["secret_key"],
                                region=t.get("region") or "ap-guangzhou",
                                tms_endpoint=t.get("tms_endpoint") or "https://tms.tencentcloudapi.com",
                                ims_endpoint=t.get("ims_endpoint") or "https://ims.tencentcloudapi.com",
                                text_biz_type=t.get("text_biz_type", ""), image_biz_type=t.get("image_biz_type", ""))
    if settings.moderation_provider != "local":
        raise ValueError(f"unknown SKYRIFF_MODERATION_PROVIDER {settings.moderation_provider!r} (local or tencent)")
    return LocalModerator.from_file(settings.moderation_words or None)


PURGE_REACHES_EVERY_PROCESS_WITHIN = 0.25  # seconds; a process's own purge counts at once


def build_page_cache(settings: Settings, engine) -> PageCache:
    """Each process keeps its pages; the generation that retires them all is shared (Redis or the database),
    so a takedown from the console or the command line reaches every API process within a quarter second."""
    return SharedPageCache(MemoryPageCache(), shared(settings, RedisGenerations, SqlGenerations, engine),
                           reuse_for=PURGE_REACHES_EVERY_PROCESS_WITHIN)


def build_sms_sender(settings: Settings) -> SmsSender:
    if settings.sms_provider == "tencent":
        t = settings.tencent_sms
        return TencentSmsSender(secret_id=t["secret_id"], secret_key=t["secret_key"], sdk_app_id=t["sdk_app_id"],
                                sign_name=t["sign_name"], template_id=t["template_id"],
                                region=t["region"] or "ap-guangzhou",
                                endpoint=t["endpoint"] or "https://sms.tencentcloudapi.com")
    if settings.sms_provider != "console":
        raise ValueError(f"unknown SKYRIFF_SMS_PROVIDER {settings.sms_provider!r} (console or tencent)")
    return ConsoleSmsSender()


def build_wechat(settings: Settings) -> WeChatLogin:
    if settings.wechat_provider == "disabled":
        return DisabledWeChatLogin()
    if settings.wechat_provider == "fake":
        if not settings.wechat_fake_enabled:
            return DisabledWeChatLogin()
        return FakeWeChatLogin()
    if settings.wechat_provider != "wechat":
        raise ValueError(f"unknown SKYRIFF_WECHAT_PROVIDER {settings.wechat_provider!r} (wechat or fake)")
    w = settings.wechat
    apps = {}
    if w["app_appid"]:
        apps[WeChatPlatform.APP] = WeChatApp(w["app_appid"], w["app_secret"])
    if w["web_appid"]:
        apps[WeChatPlatform.WEB] = WeChatApp(w["web_appid"], w["web_secret"], w["web_redirect_uri"])
    return WeChatOAuthClient(apps=apps, base_url=w["api_base"] or "https://api.weixin.qq.com",
                             open_base_url=w["open_base"] or "https://open.weixin.qq.com")


def build_video_routes(settings: Settings, clock, media) -> dict[str, list[VideoProvider]]:
    """Configured relays when SKYRIFF_VIDEO_PROVIDERS is set, else the embedded fake for both models."""
    if settings.video_providers:
        return build_routes(load_document(settings.video_providers), image_fitter=media.fit_image)
    fake = FakeVideoProvider(clock, make_test_mp4, settings.fake_video_seconds, make_card=make_card_mp4)
    return {"sora2": [fake], "sora2Pro": [fake]}


def build_redis(settings: Settings):
    import redis

    return redis.Redis.from_url(settings.redis_url, decode_responses=True)


def shared(settings: Settings, redis_store, sql_store, engine):
    """Where state that several API processes share lives: Redis when configured, else the database."""
    return redis_store(build_redis(settings)) if settings.redis_url else sql_store(engine)


def build_storage(settings: Settings) -> BlobStorage:
    """An S3-compatible bucket when one is named, else local files served by the app."""
    s3 = settings.s3
    if s3.get("bucket"):
        return S3BlobStorage(S3Config(bucket=s3["bucket"], endpoint_url=s3.get("endpoint_url") or None,
                                      region=s3.get("region") or "us-east-1", access_key=s3.get("access_key", ""),
                                      secret_key=s3.get("secret_key", ""),
                                      public_base_url=s3.get("public_base_url") or None))
    return LocalBlobStorage(settings.storage_dir, settings.public_base_url, settings.files_secret)


def build_job_queue(settings: Settings, runner: TaskRunner) -> JobQueue:
    if settings.job_queue == "in_process":
        return InProcessJobQueue(runner.submit, runner.poll_one)
    if settings.job_queue == "celery":
        from adapters.jobs.celery_queue import CeleryJobQueue

        from .celery_app import app_for  # lazily: celery_app imports this module, and Celery is optional

        return CeleryJobQueue(app_for(settings.celery_broker_url))
    if settings.job_queue != "database":
        raise ValueError(f"unknown SKYRIFF_JOB_QUEUE {settings.job_queue!r} (in_process, database or celery)")
    return DatabaseQueue()


class Container(containers.DeclarativeContainer):
    settings = providers.Dependency(instance_of=Settings)

    # Adapters
    clock = providers.Singleton(SystemClock)
    secrets = providers.Singleton(RandomSecrets)
    policy = providers.Singleton(build_policy, settings)
    engine = providers.Singleton(make_engine, settings.provided.database_url)
    uow = providers.Singleton(SqlUnitOfWorkFactory, engine)
    sms_codes = providers.Singleton(shared, settings, RedisSmsCodes, SqlSmsCodes, engine)
    oauth_states = providers.Singleton(shared, settings, RedisOAuthStates, SqlOAuthStates, engine)
    rate_limiter = providers.Singleton(shared, settings, RedisRateLimiter, SqlRateLimiter, engine)
    idempotency_store = providers.Singleton(SqlIdempotencyStore, engine)
    leases = providers.Singleton(SqlLeases, engine)  # the Celery worker's one poll chain per task
    tokens = providers.Singleton(JwtTokenIssuer, settings.provided.jwt_secret, policy.provided.auth.token_ttl,
                                 settings.provided.jwt_algorithm)
    sms_sender = providers.Singleton(build_sms_sender, settings)
    wechat = providers.Singleton(build_wechat, settings)
    payment_gateways = providers.Singleton(build_gateways, settings)
    storage = providers.Singleton(build_storage, settings)
    media = providers.Singleton(FfmpegMediaProcessor)
    aigc_labeler = providers.Singleton(FfmpegAigcLabeler)
    video_routes = providers.Singleton(build_video_routes, settings, clock, media)
    router = providers.Singleton(ProviderRouter, video_routes, policy, time.sleep)
    moderator = providers.Singleton(build_moderator, settings)
    frame_sampler = providers.Singleton(FfmpegFrameSampler)
    page_cache = providers.Singleton(build_page_cache, settings, engine)

    # Use cases
    authenticator = providers.Singleton(Authenticator, uow, clock, tokens)
    sms_login = providers.Singleton(SmsLogin, uow, clock, policy, sms_codes, sms_sender, rate_limiter, secrets,
                                    tokens, settings.provided.sms_code_secret, settings.provided.test_phones)
    wechat_login = providers.Singleton(WeChatLoginFlow, uow, clock, policy, wechat, oauth_states, secrets, tokens)
    screen = providers.Singleton(Screen, moderator, policy.provided.moderation, frame_sampler)
    profiles = providers.Singleton(Profiles, uow, clock, screen, storage)
    following = providers.Singleton(Following, uow, clock)
    wallets = providers.Singleton(Wallets, uow, clock, policy)
    idempotency = providers.Singleton(Idempotency, idempotency_store, clock, policy)
    catalog = providers.Singleton(Catalog, uow, clock)
    ledger_audit = providers.Singleton(LedgerAudit, uow, policy, clock)
    user_admin = providers.Singleton(UserAdmin, uow, clock)
    payments = providers.Singleton(Payments, uow, clock, policy, secrets, payment_gateways)
    subscriptions = providers.Singleton(Subscriptions, uow, clock, policy)
    referrals = providers.Singleton(Referrals, uow, clock, policy)
    cipher = providers.Singleton(build_cipher, settings)
    identity_verifier = providers.Singleton(build_identity_verifier, settings)
    sandbox_book = providers.Singleton(SqlSandboxBook, engine)  # the sandbox channels' memory, shared by processes
    payout_gateways = providers.Singleton(build_payout_gateways, settings, sandbox_book)
    refund_gateways = providers.Singleton(build_refund_gateways, settings, sandbox_book)
    verifications = providers.Singleton(Verifications, uow, clock, policy, identity_verifier, cipher, rate_limiter)
    withdrawals = providers.Singleton(Withdrawals, uow, clock, policy, cipher, payout_gateways)
    payouts = providers.Singleton(Payouts, uow, clock, policy, cipher, payout_gateways)
    refunds = providers.Singleton(Refunds, uow, clock, policy, refund_gateways)
    income_statements = providers.Singleton(IncomeStatements, uow, policy, cipher)
    aigc_labels = providers.Singleton(AigcLabels, aigc_labeler, settings.provided.aigc_secret,
                                      settings.provided.aigc_service_code)
    play_copies = providers.Singleton(PlayCopies, uow, storage, aigc_labels)
    task_runner = providers.Singleton(TaskRunner, uow, clock, policy, router, storage, media, labels=aigc_labels,
                                      screen=screen)
    job_queue = providers.Singleton(build_job_queue, settings, task_runner)
    creation = providers.Singleton(Creation, uow, clock, policy, router, job_queue, screen)
    quotes = providers.Singleton(Quotes, uow, policy, router)
    assets = providers.Singleton(Assets, uow, clock, policy, storage, media, labels=aigc_labels)
    download_records = providers.Singleton(DownloadRecords, uow)
    projects = providers.Singleton(Projects, uow, clock)
    reaction_flags = providers.Singleton(SqlReactionFlags, engine, uow)
    view_counter = providers.Singleton(BufferedViewCounter, providers.Singleton(SqlViewCounts, engine))
    works = providers.Singleton(Works, uow, clock, policy, page_cache, play_copies=play_copies, screen=screen,
                                reaction_flags=reaction_flags, views=view_counter)
    withheld_files = providers.Singleton(WithheldFiles, uow, storage)
    moderation = providers.Singleton(Moderation, uow, clock, policy, page_cache, withheld_files)
    reports = providers.Singleton(Reports, uow, clock, policy)
    appeals = providers.Singleton(Appeals, uow, clock, page_cache, withheld_files)
    sanctions = providers.Singleton(Sanctions, uow, clock)
    tipping = providers.Singleton(Tipping, uow, clock, policy)
    remixes = providers.Singleton(Remixes, uow, clock, policy, creation)
    task_center = providers.Singleton(TaskCenter, uow, clock, policy)
    home = providers.Singleton(Home, uow, clock, policy, wallets, subscriptions)
    throttle = providers.Singleton(Throttle, rate_limiter, clock, policy)
    redemption_batches = providers.Singleton(RedemptionBatches, uow, clock, policy, secrets,
                                             settings.provided.redeem_secret)
    redemptions = providers.Singleton(Redemptions, uow, clock, policy, throttle, secrets,
                                      settings.provided.redeem_secret)
    provider_events = providers.Singleton(ProviderEvents, task_runner, job_queue, rate_limiter, clock)

    # The operators' console: accounts, logins, the audit log, and its read models
    password_hasher = providers.Singleton(Argon2PasswordHasher)
    one_time_codes = providers.Singleton(PyotpCodes)
    operators = providers.Singleton(Operators, uow, clock, policy.provided.console, password_hasher, one_time_codes,
                                    cipher)
    console_auth = providers.Singleton(ConsoleAuth, uow, clock, policy.provided.console, password_hasher,
                                       one_time_codes, cipher, secrets)
    audit_trail = providers.Singleton(AuditTrail, uow, clock)
    task_admin = providers.Singleton(TaskAdmin, uow, clock)
    dashboard = providers.Singleton(Dashboard, uow, clock, policy)
    people = providers.Singleton(People, uow, wallets, verifications)
    money_views = providers.Singleton(MoneyViews, uow, clock, cipher)
    moderation_views = providers.Singleton(ModerationViews, uow, moderation)
    task_views = providers.Singleton(TaskViews, uow, clock, policy)
    housekeeping = providers.Singleton(Housekeeping, clock, sms_codes, rate_limiter, idempotency_store, leases,
                                       console_auth)


def build_container(settings: Settings | None = None) -> Container:
    return Container(settings=settings or Settings.from_env())
