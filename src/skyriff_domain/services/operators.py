"""Operator accounts: adding one (with a second factor where the policy asks for it), disabling, resetting a
password or a second factor — each ends the operator's sessions and is recorded in the audit log."""
from __future__ import annotations

import attrs

from ..errors import InvalidRequest, NotAllowed, NotFound
from ..model.operator import Operator, OperatorAccount, Role, check_name, check_password
from ..policy import ConsolePolicy
from ..ports import Clock, DuplicateEntry, OneTimeCodes, PasswordHasher, PersonalDataCipher, UnitOfWork, UnitOfWorkFactory
from .audit import record
from .sanctions import clean_reason

ISSUER = "SkyRiff运营后台"


@attrs.frozen
class Enrolment:
    """A second factor just made: the secret and its otpauth URI are shown once, to the person who enrols."""

    secret: str
    uri: str


@attrs.frozen
class Added:
    account: OperatorAccount
    totp: Enrolment | None


def parse_role(role: object) -> Role:
    try:
        return Role(role)
    except ValueError:
        raise InvalidRequest("role", f"取值需为 {', '.join(r.value for r in Role)}") from None


@attrs.define
class Operators:
    uow: UnitOfWorkFactory
    clock: Clock
    policy: ConsolePolicy
    hasher: PasswordHasher
    codes: OneTimeCodes
    cipher: PersonalDataCipher  # seals second-factor secrets at rest

    def add(self, name: str, role: str, password: str, totp: bool | None = None,
            actor: Operator | None = None) -> Added:
        """A new operator. A second factor is enrolled when asked (`totp`) or, by default, when the policy
        requires one for the role."""
        name, role_, password = check_name(name), parse_role(role), check_password(password)
        enrol = self.policy.needs_totp(role_) if totp is None else totp
        enrolment = self._enrolment(name) if enrol else None
        now = self.clock.now()
        account = OperatorAccount(name, role_, self.hasher.hash(password), now,
                                  totp_token=self.cipher.encrypt(enrolment.secret) if enrolment else None)
        with self.uow() as uow:
            try:
                account = uow.operators.add(account)
            except DuplicateEntry:
                raise NotAllowed(f"运营账号 {name} 已存在") from None
            record(uow, actor, "operator.add", "operator", name, now,
                   after={"role": role_.value, "totp": enrolment is not None})
            uow.commit()
        return Added(account, enrolment)

    def list(self) -> list[OperatorAccount]:
        with self.uow(read_only=True) as uow:
            return uow.operators.all()

    def get(self, operator_id: int) -> OperatorAccount:
        with self.uow(read_only=True) as uow:
            account = uow.operators.get(operator_id)
        if account is None:
            raise NotFound("运营账号不存在")
        return account

    def set_disabled(self, name: str, disabled: bool, actor: Operator | None = None, reason: str = "") -> None:
        """A disabled operator's sessions end at once and they cannot log in; an operator cannot disable
        themselves (someone must be left who can undo it)."""
        if actor is not None and actor.name == name and disabled:
            raise NotAllowed("不能停用自己的账号")
        with self.uow() as uow:
            account = self._locked(uow, name)
            before = account.disabled
            account.disabled = disabled
            uow.operators.save(account)
            if disabled:
                uow.operator_sessions.remove_for(account.id)
            record(uow, actor, "operator.disable" if disabled else "operator.enable", "operator", name,
                   self.clock.now(), reason=clean_reason(reason, required=False),
                   before={"disabled": before}, after={"disabled": disabled})
            uow.commit()

    def reset_password(self, name: str, password: str, actor: Operator | None = None) -> None:
        """A new password; the operator's sessions end, and a lockout is lifted."""
        hashed = self.hasher.hash(check_password(password))
        with self.uow() as uow:
            account = self._locked(uow, name)
            account.password_hash, account.failed_logins, account.locked_until = hashed, 0, None
            uow.operators.save(account)
            uow.operator_sessions.remove_for(account.id)
            record(uow, actor, "operator.reset_password", "operator", name, self.clock.now())
            uow.commit()

    def reset_totp(self, name: str, enrol: bool = True, actor: Operator | None = None) -> Enrolment | None:
        """A new second factor (the old one stops working), or none (`enrol=False`); the sessions end."""
        enrolment = self._enrolment(name) if enrol else None
        with self.uow() as uow:
            account = self._locked(uow, name)
            account.totp_token = self.cipher.encrypt(enrolment.secret) if enrolment else None
            account.totp_last_step = 0
            uow.operators.save(account)
            uow.operator_sessions.remove_for(account.id)
            record(uow, actor, "operator.reset_totp", "operator", name, self.clock.now(),
                   after={"totp": enrolment is not None})
            uow.commit()
        return enrolment

    def _enrolment(self, name: str) -> Enrolment:
        secret = self.codes.new_secret()
        return Enrolment(secret, self.codes.provisioning_uri(secret, name, ISSUER))

    @staticmethod
    def _locked(uow: UnitOfWork, name: str) -> OperatorAccount:
        account = uow.operators.by_name_for_update(name)
        if account is None:
            raise NotFound("运营账号不存在")
        return account
