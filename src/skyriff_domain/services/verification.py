"""Real-name verification: a user proves once that a name and a resident ID number are theirs (a two-factor
check by the identity provider); the number is kept encrypted with a keyed fingerprint, shown only masked,
and one identity verifies at most three accounts. Operators can reset a verification; users cannot change it."""
from __future__ import annotations

from datetime import date

import attrs

from ..errors import IdentityMismatch, NotAllowed, NotFound, TooManyRequests
from ..model.identity import (
    ADULT_AGE,
    Verification,
    check_id_number,
    clean_real_name,
    mask_id_number,
    mask_name,
    normalize_id_number,
)
from ..model.operator import Operator
from ..policy import Policy
from ..ports import Clock, DuplicateEntry, IdentityVerifier, PersonalDataCipher, RateLimiter, UnitOfWork, UnitOfWorkFactory
from .audit import record


@attrs.frozen
class VerificationView:
    """What the user (and operators) may see of a verification: masks, age, minor or not."""

    verified: bool
    real_name_masked: str | None = None
    id_number_masked: str | None = None
    age: int | None = None
    is_minor: bool | None = None


def age_of(uow: UnitOfWork, user_id: int, day: date) -> int | None:
    """The user's age from their verified ID, or None when unverified (minors' rules go by it)."""
    verification = uow.verifications.for_user(user_id)
    return verification.age(day) if verification else None


@attrs.define
class Verifications:
    uow: UnitOfWorkFactory
    clock: Clock
    policy: Policy
    verifier: IdentityVerifier
    cipher: PersonalDataCipher
    limiter: RateLimiter

    def verify(self, user_id: int, real_name: object, id_number: object) -> VerificationView:
        """Format (2000), not yet verified (2008), a few provider checks a day (1006), the provider's match
        (2010), then at most `accounts_per_identity` accounts per identity (2010)."""
        now = self.clock.now()
        today = self.policy.business_day(now)
        name = clean_real_name(real_name)
        born = check_id_number(id_number, today)
        number = normalize_id_number(str(id_number))
        with self.uow(read_only=True) as uow:
            if uow.verifications.for_user(user_id) is not None:
                raise NotAllowed("已完成实名认证，如需修改请联系客服")
        self._count_attempt(user_id, now)
        if not self.verifier.matches(name, number):
            raise IdentityMismatch()
        fingerprint = self.cipher.fingerprint(number)
        verification = Verification(user_id, self.cipher.encrypt(name), self.cipher.encrypt(number), fingerprint,
                                    born, now)
        for _ in range(self.policy.payout.accounts_per_identity + 1):  # a lost race for a slot tries the next
            with self.uow() as uow:
                taken = uow.verifications.slots_taken(fingerprint)
                free = [s for s in range(1, self.policy.payout.accounts_per_identity + 1) if s not in taken]
                if not free:
                    raise IdentityMismatch("该身份已认证的账号数已达上限")
                try:
                    uow.verifications.add(verification, free[0])
                except DuplicateEntry as clash:  # the user verified meanwhile, or another account took the slot
                    if str(clash) == "user":
                        raise NotAllowed("已完成实名认证，如需修改请联系客服") from None
                    continue
                uow.commit()
            return self._view(verification, name, number)
        raise IdentityMismatch("该身份已认证的账号数已达上限")

    def view(self, user_id: int) -> VerificationView:
        with self.uow(read_only=True) as uow:
            verification = uow.verifications.for_user(user_id)
        if verification is None:
            return VerificationView(False)
        return self._view(verification, self.cipher.decrypt(verification.name_token),
                          self.cipher.decrypt(verification.number_token))

    def real_name(self, user_id: int) -> str | None:
        """The verified name (payee checks, payouts); never rendered to anyone but through a mask."""
        with self.uow(read_only=True) as uow:
            verification = uow.verifications.for_user(user_id)
        return self.cipher.decrypt(verification.name_token) if verification else None

    def reset(self, user_id: int, actor: Operator | None = None, reason: str = "") -> None:
        """Operators only: the user may verify again (e.g. a typo the provider let through)."""
        with self.uow() as uow:
            if not uow.verifications.remove(user_id):
                raise NotFound("该用户未实名认证")
            record(uow, actor, "verification.reset", "user", user_id, self.clock.now(), reason=reason,
                   before={"verified": True}, after={"verified": False})
            uow.commit()

    def _count_attempt(self, user_id: int, now) -> None:
        tomorrow = self.policy.next_business_day_start(now)
        key = f"verify:{self.policy.business_day(now)}:{user_id}"
        if self.limiter.hit(key, tomorrow, now) > self.policy.payout.verification_attempts_per_day:
            raise TooManyRequests(int((tomorrow - now).total_seconds()), "今日实名认证次数已达上限")

    def _view(self, verification: Verification, name: str, number: str) -> VerificationView:
        age = verification.age(self.policy.business_day(self.clock.now()))
        return VerificationView(True, mask_name(name), mask_id_number(number), age, age < ADULT_AGE)
