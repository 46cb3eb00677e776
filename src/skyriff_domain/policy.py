"""Every tunable number of the product, with PRODUCT.md's defaults; code reads them from here, never literals.

Changing a policy never rewrites past ledger entries: amounts are computed once, when money moves.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo

import attrs

from .model.moderation import Verdict
from .model.operator import Role
from .money import Cny, Credits


@attrs.frozen
class PricingPolicy:
    """What generation and the paid extras cost in credits."""

    credits_per_second: dict[str, int] = attrs.field(factory=lambda: {"sora2": 1, "sora2Pro": 3})
    durations: tuple[int, ...] = (10, 15, 25)
    ratios: tuple[str, ...] = ("9:16", "16:9", "1:1")
    download_no_watermark: Credits = Credits(6)
    download_link_ttl: timedelta = timedelta(hours=1)
    tip_amounts: tuple[int, ...] = (10, 20, 50, 100)

    def generation_cost(self, model: str, duration_sec: int) -> Credits:
        return Credits(self.credits_per_second[model] * duration_sec)


@attrs.frozen
class RevenueSharePolicy:
    """The rates by which fans' spending becomes creators' and promoters' coins (economy.py applies them)."""

    creator_share: Decimal = Decimal("0.90")  # of the cost of the credits fans spend on a creator
    promoter_commission: Decimal = Decimal("0.10")  # of each settled commissionable payment
    pending_days: int = 7  # earnings and bought coins wait this long before they can be withdrawn

    def unlock_at(self, earned_at: datetime) -> datetime:
        return earned_at + timedelta(days=self.pending_days)


@attrs.frozen
class WithdrawalPolicy:
    minimum: Cny = Cny.of("100.00")
    maximum: Cny = Cny.of("50000.00")
    methods: tuple[str, ...] = ("bank_card", "alipay", "wechat")


@attrs.frozen
class MinorPolicy:
    """Minors' spending limits by age, from the verified ID (the national rules for online games, the closest
    published numbers). Below `no_payments_under` nothing may be paid; each bracket applies below its age."""

    no_payments_under: int = 8
    brackets: tuple[tuple[int, Cny, Cny], ...] = (  # (below this age, per payment, per calendar month)
        (16, Cny.of("50.00"), Cny.of("200.00")),
        (18, Cny.of("100.00"), Cny.of("400.00")),
    )


@attrs.frozen
class PayoutPolicy:
    """How much may leave through the channels in a business day before an operator must say so."""

    daily_per_user: Cny = Cny.of("5000.00")
    daily_platform: Cny = Cny.of("200000.00")
    verification_attempts_per_day: int = 5  # each real-name check is a paid call to the provider
    accounts_per_identity: int = 3


@attrs.frozen
class AuthPolicy:
    """SMS codes, WeChat state and token lifetimes."""

    sms_code_length: int = 6
    sms_code_ttl: timedelta = timedelta(seconds=300)
    sms_resend_cooldown: timedelta = timedelta(seconds=60)
    sms_daily_cap_per_phone: int = 10
    sms_hourly_cap_per_ip: int = 30
    sms_max_attempts: int = 5
    sms_verify_hourly_cap_per_phone: int = 20  # login attempts (right or wrong) per phone per hour
    sms_verify_hourly_cap_per_ip: int = 60
    wechat_state_ttl: timedelta = timedelta(minutes=10)
    token_ttl: timedelta = timedelta(days=7)


@attrs.frozen
class GenerationPolicy:
    max_unfinished_tasks: int = 3
    timeout: timedelta = timedelta(minutes=30)
    poll_interval: timedelta = timedelta(seconds=5)
    poll_retry: timedelta = timedelta(seconds=15)  # after a poll that got no answer
    submit_attempts: int = 3  # per provider, for creates that surely did not start
    submit_backoff_seconds: tuple[float, ...] = (1.0, 3.0)
    estimated_seconds: dict[str, int] = attrs.field(factory=lambda: {"sora2": 90, "sora2Pro": 180})
    prompt_max: int = 2000
    remix_prompt_max: int = 4000  # the longest prompt a remix chain may send upstream
    # A finished video bigger than this fails its task (refunded) instead of filling a worker's disk or memory.
    max_video_bytes: int = 200 * 1024 * 1024


@attrs.frozen
class ReferralPolicy:
    invitee_bonus: Credits = Credits(50)
    bind_window: timedelta = timedelta(days=7)


@attrs.frozen
class TaskCenterPolicy:
    rewards: dict[str, Credits] = attrs.field(
        factory=lambda: {"login_daily": Credits(2), "gen_success": Credits(2), "like_work": Credits(2)}
    )


@attrs.frozen
class ThrottlePolicy:
    """Request budgets per minute, per user (and for some buckets per client address): generous for people,
    tight for scripts (answered with 1006)."""

    per_minute: dict[str, int] = attrs.field(
        factory=lambda: {"tasks": 10, "money": 30, "reports": 10, "redeem": 5})
    # Per client address: several users behind one NAT share it, so it is larger; it stops one machine guessing
    # redemption codes through many accounts.
    per_minute_per_ip: dict[str, int] = attrs.field(factory=lambda: {"redeem": 20})


@attrs.frozen
class RedemptionPolicy:
    """How large a batch of redemption codes may be and what one code may grant."""

    max_codes_per_batch: int = 10_000
    max_credits_per_code: Credits = Credits(100_000)


@attrs.frozen
class FeedPolicy:
    cache_ttl: timedelta = timedelta(seconds=2)  # how stale a shared feed page may be (the viewer's flags never are)


@attrs.frozen
class ModerationPolicy:
    """How content is checked, and what happens when the moderator cannot answer."""

    # "review" (default): held for an operator, never silently blocked nor let through unseen; "block" refuses
    # (2009), "pass" lets it through (fail-open, logged).
    on_error: Verdict = Verdict.REVIEW
    frame_interval_seconds: float = 2.0  # a generated video is checked one frame per this many seconds…
    max_frames: int = 8  # …at most this many frames
    overdue_after: timedelta = timedelta(hours=24)  # the rules ask for timely handling: the queue flags older
    report_limit_per_day: int = 50  # reports one user may file per business day (besides the per-minute limit)


@attrs.frozen
class PaymentPolicy:
    expiry: timedelta = timedelta(minutes=15)


@attrs.frozen
class ConsolePolicy:
    """Operators' logins: the lockout after failed tries, how long a session lives, who needs a second factor."""

    max_failures: int = 5  # failed logins in a row that lock the account…
    lockout: timedelta = timedelta(minutes=15)  # …for this long
    idle_timeout: timedelta = timedelta(minutes=30)
    longest_session: timedelta = timedelta(hours=12)  # logged out after this, however active
    # False only where the embedded defaults say so (SKYRIFF_CONSOLE_TOTP=optional): then only operators who
    # enrolled a second factor give a code. Enrolled operators always must.
    totp_required: bool = True
    totp_roles: tuple[Role, ...] = (Role.ADMIN, Role.FINANCE)

    def needs_totp(self, role: Role) -> bool:
        return self.totp_required and role in self.totp_roles


@attrs.frozen
class Policy:
    """The whole policy object handed to use cases."""

    pricing: PricingPolicy = attrs.field(factory=PricingPolicy)
    revenue: RevenueSharePolicy = attrs.field(factory=RevenueSharePolicy)
    withdrawal: WithdrawalPolicy = attrs.field(factory=WithdrawalPolicy)
    payout: PayoutPolicy = attrs.field(factory=PayoutPolicy)
    minors: MinorPolicy = attrs.field(factory=MinorPolicy)
    auth: AuthPolicy = attrs.field(factory=AuthPolicy)
    generation: GenerationPolicy = attrs.field(factory=GenerationPolicy)
    referral: ReferralPolicy = attrs.field(factory=ReferralPolicy)
    task_center: TaskCenterPolicy = attrs.field(factory=TaskCenterPolicy)
    payment: PaymentPolicy = attrs.field(factory=PaymentPolicy)
    throttle: ThrottlePolicy = attrs.field(factory=ThrottlePolicy)
    feed: FeedPolicy = attrs.field(factory=FeedPolicy)
    moderation: ModerationPolicy = attrs.field(factory=ModerationPolicy)
    console: ConsolePolicy = attrs.field(factory=ConsolePolicy)
    redemption: RedemptionPolicy = attrs.field(factory=RedemptionPolicy)
    idempotency_ttl: timedelta = timedelta(hours=24)  # how long a finished answer is replayed
    # How long a claimed key waits for its request's answer: past it, the request is taken for dead and a
    # retry may run it again (longer than any request may run: gunicorn's timeout is 30 s).
    idempotency_lease: timedelta = timedelta(seconds=60)
    business_timezone: str = "Asia/Shanghai"

    def business_day(self, now: datetime) -> date:
        """The calendar day in the business time zone (daily claims and tasks reset at its midnight)."""
        return now.astimezone(ZoneInfo(self.business_timezone)).date()

    def month_start(self, now: datetime) -> datetime:
        """The first midnight of the business month `now` falls in, in UTC (minors' monthly limits)."""
        day = self.business_day(now).replace(day=1)
        return datetime.combine(day, time(0), tzinfo=ZoneInfo(self.business_timezone)).astimezone(timezone.utc)

    def next_business_day_start(self, now: datetime) -> datetime:
        """The next business-zone midnight, in UTC."""
        return self.end_of_business_day(self.business_day(now))

    def end_of_business_day(self, day: date) -> datetime:
        """The business-zone midnight that ends `day`, in UTC ("valid until 2026-12-31" means before this)."""
        tz = ZoneInfo(self.business_timezone)
        return datetime.combine(day + timedelta(days=1), time(0), tzinfo=tz).astimezone(timezone.utc)
