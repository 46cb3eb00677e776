"""HS256 JSON Web Tokens with the standard library only: the kit's `TokenIssuer`, interchangeable with
adapters.auth.jwt_tokens (same claims, same checks; tests/unit/test_token_issuers.py runs both)."""
from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from datetime import datetime, timedelta

from skyriff_domain.errors import NotLoggedIn, TokenExpired
from skyriff_domain.ids import parse_id
from skyriff_domain.ports import TokenIssuer

ISSUER = "skyriff"
_HEADER = {"alg": "HS256", "typ": "JWT"}
INVALID = "登录凭证无效"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    if not text.isascii():
        raise ValueError("not base64url")
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class HmacTokenIssuer(TokenIssuer):
    """Compact HS256 JWS tokens carrying `sub`, `iss`, `iat` and `exp`; only HS256 under this key is accepted
    (so `alg: none` and other algorithms are refused) and expiry is checked against the caller's clock."""

    def __init__(self, secret: str, ttl: timedelta) -> None:
        if len(secret.encode()) < 32:
            raise ValueError("the token secret must be at least 32 bytes (RFC 7518 §3.2)")
        self.key = secret.encode()
        self.ttl = ttl

    def issue(self, user_id: int, now: datetime) -> str:
        claims = {"sub": str(user_id), "iss": ISSUER, "iat": int(now.timestamp()),
                  "exp": int((now + self.ttl).timestamp())}
        signing_input = f"{_b64(json.dumps(_HEADER).encode())}.{_b64(json.dumps(claims).encode())}"
        return f"{signing_input}.{_b64(self._sign(signing_input))}"

    def verify(self, token: str, now: datetime) -> int:
        claims = self._claims(token)
        exp = claims.get("exp")
        if not isinstance(exp, int) or isinstance(exp, bool) or exp <= int(now.timestamp()):
            raise TokenExpired()
        sub = claims.get("sub")
        user_id = parse_id(sub) if isinstance(sub, str) else None
        if user_id is None:
            raise NotLoggedIn(INVALID)
        return user_id

    def _claims(self, token: str) -> dict:
        parts = token.split(".") if isinstance(token, str) else []
        if len(parts) != 3:
            raise NotLoggedIn(INVALID)
        try:
            header = json.loads(_unb64(parts[0]))
            signature = _unb64(parts[2])
            claims = json.loads(_unb64(parts[1]))
        except (ValueError, binascii.Error, UnicodeDecodeError):
            raise NotLoggedIn(INVALID) from None
        if not isinstance(header, dict) or header.get("alg") != "HS256" or not isinstance(claims, dict):
            raise NotLoggedIn(INVALID)
        if not hmac.compare_digest(signature, self._sign(f"{parts[0]}.{parts[1]}")):
            raise NotLoggedIn(INVALID)
        if claims.get("iss") != ISSUER or not {"sub", "exp", "iat"} <= claims.keys():
            raise NotLoggedIn(INVALID)
        return claims

    def _sign(self, signing_input: str) -> bytes:
        return hmac.new(self.key, signing_input.encode("ascii"), hashlib.sha256).digest()
