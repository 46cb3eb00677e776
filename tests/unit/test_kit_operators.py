"""The kit's operator credentials (PBKDF2 passwords, RFC 6238 codes with the standard library) keep the contract
of production's (Argon2id, pyotp); the one-time codes are the very codes pyotp and authenticator apps show."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pyotp
import pytest

from adapters.auth.totp import PyotpCodes
from adapters.memory.kit import Pbkdf2PasswordHasher, TotpCodes
from tests.support.fakes import cheap_hasher

NOW = datetime(2026, 1, 15, 2, 0, 7, tzinfo=timezone.utc)
HASHERS = {"kit": Pbkdf2PasswordHasher, "argon2": cheap_hasher}
CODES = {"kit": TotpCodes, "pyotp": PyotpCodes}


@pytest.fixture(params=sorted(HASHERS))
def hasher(request):
    return HASHERS[request.param]()


@pytest.fixture(params=sorted(CODES))
def codes(request):
    return CODES[request.param]()


def test_a_password_verifies_and_nothing_else_does(hasher):
    hashed = hasher.hash("正确的密码 1")
    assert hashed != hasher.hash("正确的密码 1")  # salted
    assert hasher.verify(hashed, "正确的密码 1")
    assert not hasher.verify(hashed, "正确的密码 2")
    assert not hasher.verify("garbage", "正确的密码 1") and not hasher.verify("", "")
    hasher.dummy_verify("anything")  # costs a check, answers nothing


def test_a_code_matches_its_step_and_the_steps_beside_it(codes):
    secret = codes.new_secret()
    assert len(secret) >= 32 and pyotp.TOTP(secret).now()  # a base32 secret pyotp reads
    step = int(NOW.timestamp()) // 30
    for drift in (-1, 0, 1):
        code = pyotp.TOTP(secret).at((step + drift) * 30)
        assert codes.matching_step(secret, code, NOW) == step + drift
        assert codes.matching_step(secret, f" {code[:3]} {code[3:]} ", NOW) == step + drift
    assert codes.matching_step(secret, pyotp.TOTP(secret).at((step + 2) * 30), NOW) is None
    for bad in ("", "12345", "1234567", "１２３４５６", "abcdef"):
        assert codes.matching_step(secret, bad, NOW) is None


def test_the_kit_shows_what_an_authenticator_app_shows():
    kit, secret = TotpCodes(), pyotp.random_base32(32)
    for seconds in (0, 29, 30, 59.9, 10**9):
        moment = NOW + timedelta(seconds=seconds)
        assert kit.code_at(secret, moment.timestamp()) == pyotp.TOTP(secret).at(moment)
    assert kit.provisioning_uri(secret, "alice", "SkyRiff") == PyotpCodes().provisioning_uri(secret, "alice", "SkyRiff")
