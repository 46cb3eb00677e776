"""Logging in by SMS code or WeChat, and resolving a bearer token to an active user."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Mapping

import attrs

from ..errors import DomainError, InvalidRequest, NotLoggedIn, SmsCodeInvalid, TooManyRequests, UnknownUser, UserBanned
from ..model.auth import Attempt, SmsChallenge, WeChatPlatform, hash_code
from ..model.user import Identity, IdentityKind, User, validate_phone
from ..policy import Policy
from ..ports import (
    Clock,
    OAuthStateStore,
    RateLimiter,
    SecretGenerator,
    SmsCodeStore,
    SmsSender,
    TokenIssuer,
    UnitOfWorkFactory,
    WeChatLogin,
)
from .registration import LoginResult, NewUser, find_or_register


def fixed_window(now: datetime, size: timedelta) -> tuple[int, datetime]:
    """The epoch-aligned window `now` falls in: its number and when it ends."""
    seconds = int(size.total_seconds())
    index = int(now.timestamp()) // seconds
    return index, datetime.fromtimestamp((index + 1) * seconds, tz=timezone.utc)


@attrs.define
class SmsLogin:
    """Send a 6-digit code (hashed at rest, 5 minutes, cooldown and caps), then trade it for a token.

    Configured test phones (app-store review, automated tests) have a fixed code and never get an SMS, but
    their code is a challenge like any other: issued by `send_code` under the same limits (or implicitly by
    `verify`, counted against the daily cap), killed by 5 wrong tries, and `verify` is throttled alike."""

    uow: UnitOfWorkFactory
    clock: Clock
    policy: Policy
    codes: SmsCodeStore
    sender: SmsSender
    limiter: RateLimiter
    secrets: SecretGenerator
    tokens: TokenIssuer
    code_secret: str
    test_phones: Mapping[str, str] = attrs.field(factory=dict)

    def send_code(self, phone: str, client_ip: str | None = None) -> int:
        """Returns the code's lifetime in seconds. Test phones never send anything."""
        validate_phone(phone)
        ttl = int(self.policy.auth.sms_code_ttl.total_seconds())
        now = self.clock.now()
        self._check_limits(phone, client_ip, now)
        fixed = self.test_phones.get(phone)
        code = fixed if fixed is not None else self.secrets.digits(self.policy.auth.sms_code_length)
        self.codes.put(SmsChallenge(phone, hash_code(self.code_secret, phone, code), now + timedelta(seconds=ttl)))
        if fixed is None:
            # Stored before sending: if the provider times out the message may still arrive, and the code must
            # then work. A failed send is reported, never retried here (providers bill each attempt).
            self.sender.send_code(phone, code, ttl // 60)
        return ttl

    def _check_limits(self, phone: str, client_ip: str | None, now: datetime) -> None:
        """Per IP first, so a refused caller starts no cooldown for the phone; then the resend cooldown,
        then the daily cap of the phone (counted per business day)."""
        auth = self.policy.auth
        if client_ip:
            self._hourly_cap(f"sms:ip:{client_ip}", auth.sms_hourly_cap_per_ip, now)
        wait = self.limiter.cooldown(f"sms:cooldown:{phone}", auth.sms_resend_cooldown, now)
        if wait:
            raise TooManyRequests(wait, f"请{wait}秒后再获取验证码")
        self._daily_cap(phone, now)

    def _hourly_cap(self, key: str, cap: int, now: datetime) -> None:
        hour, ends = fixed_window(now, timedelta(hours=1))
        if self.limiter.hit(f"{key}:{hour}", ends, now) > cap:
            raise TooManyRequests(int((ends - now).total_seconds()))

    def _daily_cap(self, phone: str, now: datetime) -> None:
        tomorrow = self.policy.next_business_day_start(now)
        day_key = f"sms:day:{self.policy.business_day(now)}:{phone}"
        if self.limiter.hit(day_key, tomorrow, now) > self.policy.auth.sms_daily_cap_per_phone:
            raise TooManyRequests(int((tomorrow - now).total_seconds()), "今日验证码发送次数已达上限")

    def verify(self, phone: str, code: str, client_ip: str | None = None) -> LoginResult:
        validate_phone(phone)
        if not isinstance(code, str) or not (code.isascii() and code.isdigit()):
            raise InvalidRequest("code", "验证码为数字")
        now = self.clock.now()
        auth = self.policy.auth
        if client_ip:  # per IP first, as for sending: a refused caller uses up nothing of the phone's budget
            self._hourly_cap(f"sms:verify:ip:{client_ip}", auth.sms_verify_hourly_cap_per_ip, now)
        self._hourly_cap(f"sms:verify:phone:{phone}", auth.sms_verify_hourly_cap_per_phone, now)
        fixed = self.test_phones.get(phone)
        if fixed is not None:
            self._issue_fixed(phone, fixed, now)
        tried = self.codes.attempt(phone, hash_code(self.code_secret, phone, code), now, auth.sms_max_attempts)
        if tried is not Attempt.MATCHED:
            raise SmsCodeInvalid()
        user, is_new = find_or_register(
            self.uow, [Identity(IdentityKind.PHONE, phone)],
            lambda: NewUser(nickname=f"用户{self.secrets.digits(6)}", phone=phone), now,
        )
        assert user.id is not None
        return LoginResult(self.tokens.issue(user.id, now), user, is_new)

    def _issue_fixed(self, phone: str, fixed: str, now: datetime) -> None:
        """A test phone may log in without asking for a code first: its fixed code is then issued here, once
        the last one is used up or expired, and each such issue counts against the phone's daily cap. A code
        out of tries stays dead until it expires or `send_code` replaces it."""
        current = self.codes.get(phone)
        if current is not None and not current.is_expired(now):
            return
        self._daily_cap(phone, now)
        ttl = self.policy.auth.sms_code_ttl
        self.codes.add(SmsChallenge(phone, hash_code(self.code_secret, phone, fixed), now + ttl), now)


@attrs.frozen
class WeChatInit:
    app_id: str
    redirect_uri: str
    state: str
    authorize_url: str | None


@attrs.define
class WeChatLoginFlow:
    """`init` issues a single-use state remembering the platform; `callback` exchanges with that AppID."""

    uow: UnitOfWorkFactory
    clock: Clock
    policy: Policy
    wechat: WeChatLogin
    states: OAuthStateStore
    secrets: SecretGenerator
    tokens: TokenIssuer

    def init(self, platform: str) -> WeChatInit:
        self.wechat.check_enabled()
        try:
            which = WeChatPlatform(platform)
        except ValueError:
            raise InvalidRequest("platform", "取值为 app 或 web") from None
        state = self.secrets.token()
        self.states.put(state, which, self.clock.now() + self.policy.auth.wechat_state_ttl)
        return WeChatInit(self.wechat.app_id(which), self.wechat.redirect_uri(which), state,
                          self.wechat.authorize_url(which, state))

    def callback(self, code: str, state: str) -> LoginResult:
        self.wechat.check_enabled()
        platform = self.states.take(state, self.clock.now())
        if platform is None:
            raise InvalidRequest("state", "无效或已过期，请重新发起微信登录")
        profile = self.wechat.exchange_code(platform, code)
        by_union = [Identity(IdentityKind.WECHAT_UNIONID, profile.unionid)] if profile.unionid else []
        by_openid = [Identity(IdentityKind.WECHAT_OPENID, f"{profile.app_id}:{profile.openid}")]
        now = self.clock.now()
        user, is_new = find_or_register(
            self.uow, by_union + by_openid,
            lambda: NewUser(nickname=(profile.nickname or "微信用户")[:20], avatar_url=profile.avatar_url),
            now, link=by_union + by_openid,
        )
        assert user.id is not None
        return LoginResult(self.tokens.issue(user.id, now), user, is_new)


@attrs.define
class Authenticator:
    """Bearer token → active user: 1001 bad token, 1002 expired, 1003 unknown user, 1004 banned."""

    uow: UnitOfWorkFactory
    clock: Clock
    tokens: TokenIssuer

    def viewer(self, token: str | None) -> int | None:
        """Who is looking at a public page: the id in a valid token, without a database lookup (it only
        personalises flags on content everyone may see); None for no token or a bad one."""
        if not token:
            return None
        try:
            return self.tokens.verify(token, self.clock.now())
        except DomainError:
            return None

    def authenticate(self, token: str | None) -> User:
        if not token:
            raise NotLoggedIn()
        user_id = self.tokens.verify(token, self.clock.now())
        with self.uow(read_only=True) as uow:
            user = uow.users.get(user_id)
        if user is None:
            raise UnknownUser()
        if user.is_banned:
            raise UserBanned()
        return user
