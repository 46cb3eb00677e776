"""Operators — the staff who run SkyRiff from the console — are not users: their own accounts with a role, a
password hash, an optional second factor, a lockout after failed logins; their sessions; and the one table of
what each role may do."""
from __future__ import annotations

import enum
import re
from datetime import datetime, timedelta

import attrs

from ..errors import InvalidRequest

NAME_PATTERN = re.compile(r"[a-z][a-z0-9_.-]{1,31}")
PASSWORD_MIN, PASSWORD_MAX = 10, 128


class Role(enum.StrEnum):
    ADMIN = "admin"
    FINANCE = "finance"
    MODERATOR = "moderator"
    SUPPORT = "support"


class Permission(enum.StrEnum):
    """What a console view or action needs; a role either has it or answers 403 (and is not shown the link)."""

    DASHBOARD = "dashboard"
    USERS_READ = "users.read"  # profiles, wallets, ledgers, tasks, works, payments, withdrawals of one user
    USERS_SANCTION = "users.sanction"  # ban, unban, warn, suspend
    VERIFICATION_RESET = "verification.reset"
    WALLET_ADJUST = "wallet.adjust"
    PAYMENTS_READ = "payments.read"
    PAYMENTS_QUERY = "payments.query"  # ask the channel and settle what it says is paid (补单)
    PAYMENTS_REFUND = "payments.refund"
    WITHDRAWALS = "withdrawals"  # the review queue, approve, reject, mark paid, transfers in flight
    MODERATION = "moderation"  # the queue, pass, take down, appeals
    TASKS_READ = "tasks.read"
    TASKS_FAIL = "tasks.fail"  # fail a stuck task, which refunds it
    PRODUCTS = "products"
    REDEMPTION = "redemption"
    OPERATORS = "operators"
    AUDIT = "audit"
    SETTINGS = "settings"


P = Permission
_READ = {P.DASHBOARD, P.USERS_READ, P.TASKS_READ}
ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.SUPPORT: frozenset(_READ | {P.PAYMENTS_READ, P.PAYMENTS_QUERY}),
    Role.MODERATOR: frozenset(_READ | {P.MODERATION, P.USERS_SANCTION}),
    Role.FINANCE: frozenset(_READ | {P.PAYMENTS_READ, P.PAYMENTS_QUERY, P.PAYMENTS_REFUND, P.WITHDRAWALS,
                                     P.WALLET_ADJUST, P.VERIFICATION_RESET, P.TASKS_FAIL}),
    Role.ADMIN: frozenset(Permission),
}


def may(role: Role | str, permission: Permission) -> bool:
    """Whether a role has a permission; an unknown role has none."""
    try:
        return permission in ROLE_PERMISSIONS[Role(role)]
    except ValueError:
        return False


def check_name(name: object) -> str:
    """2-32 characters: a lower-case letter, then letters, digits, `_`, `.` or `-` (a login name, not a person's)."""
    if not isinstance(name, str) or not NAME_PATTERN.fullmatch(name):
        raise InvalidRequest("name", "需为2-32位小写字母开头的字母、数字、_ . -")
    return name


def check_password(password: object) -> str:
    """At least 10 characters, at most 128; no rule on classes of characters (length is what resists guessing)."""
    if not isinstance(password, str) or not PASSWORD_MIN <= len(password) <= PASSWORD_MAX:
        raise InvalidRequest("password", f"需为{PASSWORD_MIN}-{PASSWORD_MAX}个字符")
    if password.strip() != password or any(ord(c) < 32 for c in password):
        raise InvalidRequest("password", "不能以空白开头或结尾，不能包含控制字符")
    return password


@attrs.frozen
class Operator:
    """Who did something: an operator account (id, role) from the console, or a name alone from the command line
    (`--operator`); `ip` is where the console request came from. Every decision and audit entry carries it."""

    name: str
    id: int | None = None
    role: str = ""
    ip: str = ""


@attrs.define
class OperatorAccount:
    """One operator's login. `totp_token` is the second factor's secret as the personal-data cipher sealed it
    (None: not enrolled); `totp_last_step` is the newest 30-second step a code was accepted for, so a code is
    never accepted twice. Failed logins count up to the policy's limit, which locks the account for a while."""

    name: str
    role: Role
    password_hash: str
    created_at: datetime
    totp_token: str | None = None
    totp_last_step: int = 0
    disabled: bool = False
    failed_logins: int = 0
    locked_until: datetime | None = None
    last_login_at: datetime | None = None
    id: int | None = None

    def is_locked(self, now: datetime) -> bool:
        return self.locked_until is not None and now < self.locked_until

    def login_failed(self, now: datetime, max_failures: int, lockout: timedelta) -> bool:
        """Count one failure; the `max_failures`-th locks the account for `lockout`. Returns whether it locked."""
        if self.locked_until is not None and now >= self.locked_until:
            self.failed_logins, self.locked_until = 0, None  # the last lockout is over: count afresh
        self.failed_logins += 1
        if self.failed_logins >= max_failures:
            self.locked_until, self.failed_logins = now + lockout, 0
            return True
        return False

    def logged_in(self, now: datetime) -> None:
        self.failed_logins, self.locked_until, self.last_login_at = 0, None, now

    @property
    def actor(self) -> Operator:
        return Operator(self.name, self.id, self.role.value)


@attrs.define
class OperatorSession:
    """A console login. The cookie holds a random token; only its hash is stored, so a database dump logs no one
    in. `csrf_token` is what every form of this session must send back."""

    token_hash: str
    operator_id: int
    created_at: datetime
    last_seen_at: datetime
    csrf_token: str
    ip: str = ""

    def expired(self, now: datetime, idle: timedelta, longest: timedelta) -> bool:
        return now - self.last_seen_at >= idle or now - self.created_at >= longest
