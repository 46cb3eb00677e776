"""Logging operators in and keeping them in: a password and, where required or enrolled, a one-time code; five
failures in a row lock the account for 15 minutes (counted under the account's row lock, so parallel guesses
cannot outrun the count); a code is accepted once; a session ends after 30 idle minutes or 12 hours.

Every failure answers the same error after the same work (an unknown name still pays for a password check), so
neither the answer nor its timing tells which part was wrong or whether the account exists."""
from __future__ import annotations

import hashlib
from datetime import datetime

import attrs

from ..errors import OperatorLoginFailed
from ..model.operator import Operator, OperatorAccount, OperatorSession
from ..policy import ConsolePolicy
from ..ports import Clock, OneTimeCodes, PasswordHasher, PersonalDataCipher, SecretGenerator, UnitOfWork, UnitOfWorkFactory
from .audit import record

TOUCH_EVERY_SECONDS = 30  # a session's last activity is written at most this often
NAME_MAX = 32


def token_hash(token: str) -> str:
    """Sessions are stored by the hash of their cookie's token: a leaked table logs no one in."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@attrs.frozen
class LoggedIn:
    token: str  # for the cookie; never stored
    session: OperatorSession
    account: OperatorAccount


@attrs.frozen
class Resumed:
    session: OperatorSession
    account: OperatorAccount

    @property
    def actor(self) -> Operator:
        return attrs.evolve(self.account.actor, ip=self.session.ip)


@attrs.define
class ConsoleAuth:
    uow: UnitOfWorkFactory
    clock: Clock
    policy: ConsolePolicy
    hasher: PasswordHasher
    codes: OneTimeCodes
    cipher: PersonalDataCipher
    secrets: SecretGenerator

    def login(self, name: str, password: str, code: str = "", ip: str = "") -> LoggedIn:
        """A new session (a new token: whatever the browser held before is not reused). Raises
        OperatorLoginFailed, having counted the failure, however the login failed."""
        name, now = (name or "").strip().lower()[:NAME_MAX], self.clock.now()
        with self.uow() as uow:
            account = uow.operators.by_name_for_update(name) if name else None
            why = self._refusal(account, password or "", (code or "").strip(), now)
            if why is not None:
                self._failed(uow, account, name, why, ip, now)
                uow.commit()
                raise OperatorLoginFailed()
            assert account is not None and account.id is not None
            account.logged_in(now)
            uow.operators.save(account)
            token = self.secrets.token()
            session = OperatorSession(token_hash(token), account.id, now, now, self.secrets.token(), ip[:64])
            uow.operator_sessions.add(session)
            record(uow, attrs.evolve(account.actor, ip=ip), "console.login", "operator", account.name, now)
            uow.commit()
        return LoggedIn(token, session, account)

    def resume(self, token: str | None) -> Resumed | None:
        """The session a cookie names, if it is still alive and its operator still enabled; its activity is
        recorded (the idle timeout restarts)."""
        if not token:
            return None
        now, key = self.clock.now(), token_hash(token)
        with self.uow() as uow:
            session = uow.operator_sessions.get(key)
            if session is None:
                return None
            account = uow.operators.get(session.operator_id)
            if (account is None or account.disabled
                    or session.expired(now, self.policy.idle_timeout, self.policy.longest_session)):
                uow.operator_sessions.remove(key)
                uow.commit()
                return None
            if (now - session.last_seen_at).total_seconds() >= TOUCH_EVERY_SECONDS:
                uow.operator_sessions.touch(key, now)
                session = attrs.evolve(session, last_seen_at=now)
                uow.commit()
        return Resumed(session, account)

    def logout(self, token: str, actor: Operator | None = None) -> None:
        now = self.clock.now()
        with self.uow() as uow:
            uow.operator_sessions.remove(token_hash(token))
            if actor is not None:
                record(uow, actor, "console.logout", "operator", actor.name, now)
            uow.commit()

    def purge(self) -> int:
        """Drop sessions that can no longer be resumed."""
        now = self.clock.now()
        with self.uow() as uow:
            dropped = uow.operator_sessions.purge(now - self.policy.idle_timeout, now - self.policy.longest_session)
            uow.commit()
        return dropped

    def _refusal(self, account: OperatorAccount | None, password: str, code: str, now: datetime) -> str | None:
        """Why this login is refused, or None. The password is checked (or a dummy check made) whatever else is
        wrong, so every refusal costs the same."""
        if account is None:
            self.hasher.dummy_verify(password)
            return "unknown_name"
        password_ok = self.hasher.verify(account.password_hash, password)
        if account.disabled:
            return "disabled"
        if account.is_locked(now):
            return "locked"
        if not password_ok:
            return "wrong_password"
        if account.totp_token is None:
            return "totp_not_enrolled" if self.policy.needs_totp(account.role) else None
        step = self.codes.matching_step(self.cipher.decrypt(account.totp_token), code, now) if code else None
        if step is None:
            return "wrong_code"
        if step <= account.totp_last_step:
            return "code_reused"
        account.totp_last_step = step
        return None

    def _failed(self, uow: UnitOfWork, account: OperatorAccount | None, name: str, why: str, ip: str,
                now: datetime) -> None:
        """Count the failure (a locked or disabled account is not counted further) and log it."""
        locked = False
        if account is not None and why not in ("locked", "disabled"):
            locked = account.login_failed(now, self.policy.max_failures, self.policy.lockout)
            uow.operators.save(account)
        who = account.actor if account is not None else Operator(name or "-", None, "")
        record(uow, attrs.evolve(who, ip=ip), "console.login_failed", "operator", name or "-", now,
               reason=why + ("; locked" if locked else ""))
