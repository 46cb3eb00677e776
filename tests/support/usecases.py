"""Builders of use cases over a `Fakes` set, so tests read like the rule they check."""
from __future__ import annotations

from skyriff_domain.services.auth import Authenticator, SmsLogin, WeChatLoginFlow
from skyriff_domain.services.idempotency import Idempotency
from skyriff_domain.services.users import Following, Profiles
from skyriff_domain.services.wallets import Wallets

from .fakes import Fakes

CODE_SECRET = "code-secret"


def sms_login(f: Fakes, test_phones: dict[str, str] | None = None) -> SmsLogin:
    return SmsLogin(f.uow, f.clock, f.policy, f.codes, f.sms, f.limiter, f.secrets, f.tokens, CODE_SECRET,
                    test_phones or {})


def wechat_flow(f: Fakes) -> WeChatLoginFlow:
    return WeChatLoginFlow(f.uow, f.clock, f.policy, f.wechat, f.states, f.secrets, f.tokens)


def authenticator(f: Fakes) -> Authenticator:
    return Authenticator(f.uow, f.clock, f.tokens)


def wallets(f: Fakes) -> Wallets:
    return Wallets(f.uow, f.clock, f.policy)


def profiles(f: Fakes) -> Profiles:
    return Profiles(f.uow, f.clock)


def following(f: Fakes) -> Following:
    return Following(f.uow, f.clock)


def idempotency(f: Fakes) -> Idempotency:
    return Idempotency(f.idempotency, f.clock, f.policy)
