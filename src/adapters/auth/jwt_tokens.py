"""JWT bearer tokens (pyjwt): HS256 by default, with expiry; `alg: none` and foreign keys are refused.

A token that verified once is remembered (token → user id and expiry, at most VERIFIED_MAX of them): its
signature cannot become invalid, so only the expiry is checked again — against the clock given each time. What
may change about the user (a ban) is the caller's business and is never cached here.
"""
from __future__ import annotations

from datetime import datetime, timedelta

import jwt

from skyriff_domain.errors import NotLoggedIn, TokenExpired
from skyriff_domain.ids import parse_id
from skyriff_domain.ports import TokenIssuer

ISSUER = "skyriff"
VERIFIED_MAX = 50_000  # remembered tokens per process (~10 MB); the memory starts over when full


class JwtTokenIssuer(TokenIssuer):
    def __init__(self, secret: str, ttl: timedelta, algorithm: str = "HS256") -> None:
        if len(secret.encode()) < 32:
            raise ValueError("the JWT secret must be at least 32 bytes (RFC 7518 §3.2)")
        self.secret = secret
        self.ttl = ttl
        self.algorithm = algorithm
        self._verified: dict[str, tuple[int, int]] = {}  # token → (user id, exp)

    def issue(self, user_id: int, now: datetime) -> str:
        claims = {"sub": str(user_id), "iss": ISSUER, "iat": int(now.timestamp()),
                  "exp": int((now + self.ttl).timestamp())}
        return jwt.encode(claims, self.secret, algorithm=self.algorithm)

    def verify(self, token: str, now: datetime) -> int:
        known = self._verified.get(token)
        if known is None:
            known = self._check(token)
            if len(self._verified) >= VERIFIED_MAX:
                self._verified.clear()
            self._verified[token] = known
        user_id, expires = known
        if expires <= int(now.timestamp()):
            raise TokenExpired()
        return user_id

    def _check(self, token: str) -> tuple[int, int]:
        """(user id, exp) of a token whose signature, algorithm, issuer and claims are right; 1001 otherwise."""
        try:
            # Only our own algorithm is accepted, which rules out "none" and algorithm-confusion tricks;
            # expiry is checked against the injected clock, not the machine's.
            claims = jwt.decode(token, self.secret, algorithms=[self.algorithm], issuer=ISSUER,
                                options={"require": ["sub", "exp", "iat"], "verify_exp": False})
        except jwt.PyJWTError:
            raise NotLoggedIn("登录凭证无效") from None
        if not isinstance(claims.get("exp"), int):
            raise TokenExpired()
        sub = claims.get("sub")
        user_id = parse_id(sub) if isinstance(sub, str) else None
        if user_id is None:  # not an id (other scripts' digits, out of range): no query may see it
            raise NotLoggedIn("登录凭证无效")
        return user_id, claims["exp"]
