"""Ports for logging in: tokens, SMS delivery, WeChat OAuth, and the short-lived challenge stores."""
from __future__ import annotations

from abc import ABC, abstractmethod
from datetime import datetime

from ..model.auth import Attempt, SmsChallenge, WeChatPlatform, WeChatProfile


class TokenIssuer(ABC):
    @abstractmethod
    def issue(self, user_id: int, now: datetime) -> str: ...

    @abstractmethod
    def verify(self, token: str, now: datetime) -> int:
        """Returns the user id; raises NotLoggedIn (bad token) or TokenExpired."""


class SmsSender(ABC):
    @abstractmethod
    def send_code(self, phone: str, code: str, ttl_minutes: int) -> None:
        """Deliver a login code. Raises TooManyRequests when the provider throttles the number,
        InvalidRequest for a number it refuses, ProviderUnavailable for anything else."""


class WeChatLogin(ABC):
    def check_enabled(self) -> None:
        """Raise NotAllowed where this deployment offers no WeChat login; login flows ask first."""

    @abstractmethod
    def app_id(self, platform: WeChatPlatform) -> str: ...

    @abstractmethod
    def redirect_uri(self, platform: WeChatPlatform) -> str: ...

    @abstractmethod
    def exchange_code(self, platform: WeChatPlatform, code: str) -> WeChatProfile:
        """Code → access token → user info, with the AppID of `platform`; raises WeChatLoginFailed."""

    def authorize_url(self, platform: WeChatPlatform, state: str) -> str | None:
        """Where a browser goes to scan the QR code (web); None where a native SDK asks instead (app)."""
        return None


class SmsCodeStore(ABC):
    """At most one live code per phone."""

    @abstractmethod
    def put(self, challenge: SmsChallenge) -> None:
        """Store, replacing any earlier code for the phone."""

    @abstractmethod
    def get(self, phone: str) -> SmsChallenge | None: ...

    @abstractmethod
    def add(self, challenge: SmsChallenge, now: datetime) -> bool:
        """Store unless the phone has an unexpired code (even one with no tries left); True if stored."""

    @abstractmethod
    def attempt(self, phone: str, code_hash: str, now: datetime, max_attempts: int) -> Attempt:
        """One try, atomically: with an unexpired code that has fewer than `max_attempts` tries, count the
        try and delete the code if it matches; otherwise compare nothing (REFUSED). Concurrent tries can
        therefore never compare more than `max_attempts` guesses against one code."""

    @abstractmethod
    def delete(self, phone: str) -> None: ...

    @abstractmethod
    def purge(self, now: datetime) -> int:
        """Drop expired codes; returns how many."""


class OAuthStateStore(ABC):
    @abstractmethod
    def put(self, state: str, platform: WeChatPlatform, expires_at: datetime) -> None: ...

    @abstractmethod
    def take(self, state: str, now: datetime) -> WeChatPlatform | None:
        """Consume a state once: the platform it was issued for, or None if unknown, used or expired."""
