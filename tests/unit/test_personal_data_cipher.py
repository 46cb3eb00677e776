"""AesGcmPersonalDataCipher: what its tokens look like, and what it refuses."""
from __future__ import annotations

import base64
import hashlib
import hmac

import pytest

from adapters.identity.cipher import AesGcmPersonalDataCipher

KEY = base64.urlsafe_b64encode(bytes(range(32))).decode()
ID = "11204416541220243X"


def test_tokens_are_versioned_and_never_repeat_or_show_the_text() -> None:
    cipher = AesGcmPersonalDataCipher(KEY)
    first, second = cipher.encrypt(ID), cipher.encrypt(ID)
    assert first.startswith("v1.") and first != second  # a fresh nonce each time
    assert ID not in first and "1120441654" not in first


def test_a_token_only_opens_under_its_own_key() -> None:
    token = AesGcmPersonalDataCipher(KEY).encrypt(ID)
    other = AesGcmPersonalDataCipher(AesGcmPersonalDataCipher.generate_key())
    with pytest.raises(ValueError, match="does not decrypt"):
        other.decrypt(token)


@pytest.mark.parametrize("spoil", [
    lambda t: t[:-2] + ("A" if t[-2] != "A" else "B") + t[-1],  # a flipped ciphertext or tag character
    lambda t: "v2" + t[2:], lambda t: t.split(".")[0] + ".", lambda t: t[:10],
])
def test_tampered_tokens_are_refused(spoil) -> None:
    cipher = AesGcmPersonalDataCipher(KEY)
    with pytest.raises(ValueError):
        cipher.decrypt(spoil(cipher.encrypt(ID)))


def test_the_fingerprint_key_is_not_the_secret_itself() -> None:
    """A separate key derived by HKDF: an HMAC under the raw secret must not match."""
    fingerprint = AesGcmPersonalDataCipher(KEY).fingerprint(ID)
    raw = hmac.new(base64.urlsafe_b64decode(KEY), ID.encode(), hashlib.sha256).hexdigest()
    assert fingerprint != raw and fingerprint == AesGcmPersonalDataCipher(KEY).fingerprint(ID)


@pytest.mark.parametrize("key", ["", "short", base64.urlsafe_b64encode(b"x" * 31).decode(), "!" * 44])
def test_bad_keys_are_refused_without_being_echoed(key) -> None:
    with pytest.raises(ValueError) as raised:
        AesGcmPersonalDataCipher(key)
    assert key not in str(raised.value) or not key


def test_generated_keys_are_accepted_and_the_repr_hides_them() -> None:
    key = AesGcmPersonalDataCipher.generate_key()
    cipher = AesGcmPersonalDataCipher(key)
    assert key not in repr(cipher) and cipher.decrypt(cipher.encrypt("张三")) == "张三"
