"""Production's JWT issuer (pyjwt) and the kit's standard-library one keep the same contract, and each accepts
the other's tokens under the same key: the kit's fakes log users in exactly as the API does."""
from __future__ import annotations

import warnings
from datetime import datetime, timedelta, timezone

import jwt
import pytest

from adapters.auth.jwt_tokens import JwtTokenIssuer
from adapters.memory.kit import HmacTokenIssuer
from skyriff_domain.errors import NotLoggedIn, TokenExpired

SECRET = "a-test-secret-that-is-at-least-32-bytes"
NOW = datetime(2026, 1, 15, 2, 0, tzinfo=timezone.utc)
ISSUERS = {"jwt": lambda: JwtTokenIssuer(SECRET, timedelta(days=7)), "kit": lambda: HmacTokenIssuer(SECRET, timedelta(days=7))}


def hs512(claims: dict) -> str:
    """Signed with our key under another algorithm (pyjwt warns that the key is short for HS512)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return jwt.encode(claims, SECRET, algorithm="HS512")


@pytest.fixture(params=sorted(ISSUERS))
def issuer(request):
    return ISSUERS[request.param]()


def test_a_token_names_its_user_until_it_expires(issuer):
    token = issuer.issue(42, NOW)
    assert issuer.verify(token, NOW + timedelta(days=7, seconds=-1)) == 42
    with pytest.raises(TokenExpired):
        issuer.verify(token, NOW + timedelta(days=7))


@pytest.mark.parametrize("forged", [
    jwt.encode({"sub": "42", "iss": "skyriff", "iat": 1, "exp": 4_000_000_000}, None, algorithm="none"),
    jwt.encode({"sub": "42", "iss": "skyriff", "iat": 1, "exp": 4_000_000_000}, "another-key-that-is-also-32-bytes-long"),
    jwt.encode({"sub": "42", "iss": "someone", "iat": 1, "exp": 4_000_000_000}, SECRET),
    jwt.encode({"sub": "42", "iss": "skyriff", "exp": 4_000_000_000}, SECRET),
    jwt.encode({"sub": "４２", "iss": "skyriff", "iat": 1, "exp": 4_000_000_000}, SECRET),
    hs512({"sub": "42", "iss": "skyriff", "iat": 1, "exp": 4_000_000_000}),
    "abc", "a.b.c", "", "Bearer",
], ids=["alg-none", "other-key", "other-issuer", "no-iat", "fullwidth-digits", "HS512", "abc", "dots", "empty",
        "bearer"])
def test_what_we_did_not_sign_is_refused(issuer, forged):
    with pytest.raises(NotLoggedIn):
        issuer.verify(forged, NOW)


def test_each_accepts_the_others_tokens():
    jwt_issuer, kit_issuer = ISSUERS["jwt"](), ISSUERS["kit"]()
    assert kit_issuer.verify(jwt_issuer.issue(7, NOW), NOW) == 7
    assert jwt_issuer.verify(kit_issuer.issue(8, NOW), NOW) == 8


def test_a_short_secret_is_refused():
    with pytest.raises(ValueError):
        HmacTokenIssuer("short", timedelta(days=7))
