"""One contract per identity port: the local fakes and the real adapters (FaceID on its fake, AES-GCM)."""
from __future__ import annotations

from collections.abc import Iterator

import attrs
import pytest

from adapters.identity.cipher import AesGcmPersonalDataCipher
from adapters.identity.faceid import TencentFaceIdVerifier
from adapters.identity.fake import FakeIdentityVerifier, PlainPersonalDataCipher
from skyriff_domain.ports.payouts import IdentityVerifier, PersonalDataCipher
from tests.support.fake_faceid import NOW, SECRET_ID, SECRET_KEY, FakeFaceId
from tests.support.http_server import FakeHttpServer

ID = "11204416541220243X"


@attrs.define
class Verifiers:
    verifier: IdentityVerifier
    person: tuple[str, str]  # (name, number) that belong together
    stranger: tuple[str, str]  # a name that is not this number's


@pytest.fixture(params=["fake", "faceid-on-fake"])
def verifiers(request) -> Iterator[Verifiers]:
    if request.param == "fake":
        yield Verifiers(FakeIdentityVerifier(), ("韦小宝", ID), ("韦小宝[mismatch]", ID))
        return
    with FakeHttpServer(FakeFaceId({ID: "韦小宝"})) as server:
        verifier = TencentFaceIdVerifier(secret_id=SECRET_ID, secret_key=SECRET_KEY, endpoint=server.url,
                                         clock=lambda: NOW)
        yield Verifiers(verifier, ("韦小宝", ID), ("韦大宝[mismatch]", ID))


def test_a_name_that_belongs_to_the_number_matches(verifiers) -> None:
    assert verifiers.verifier.matches(*verifiers.person) is True


def test_a_name_that_does_not_belong_to_the_number_does_not_match(verifiers) -> None:
    assert verifiers.verifier.matches(*verifiers.stranger) is False


@pytest.fixture(params=["plain", "aes-gcm"])
def cipher(request) -> PersonalDataCipher:
    if request.param == "plain":
        return PlainPersonalDataCipher()
    return AesGcmPersonalDataCipher(AesGcmPersonalDataCipher.generate_key())


@pytest.mark.parametrize("plain", [ID, "韦小宝", "", "a" * 500])
def test_tokens_round_trip(cipher, plain) -> None:
    assert cipher.decrypt(cipher.encrypt(plain)) == plain


def test_fingerprints_are_keyed_hashes_that_never_show_the_text(cipher) -> None:
    print_ = cipher.fingerprint(ID)
    assert print_ == cipher.fingerprint(ID) and print_ != cipher.fingerprint(ID.replace("X", "0"))
    assert len(print_) == 64 and int(print_, 16) >= 0
    assert ID not in print_ and ID.lower() not in print_


def test_foreign_tokens_are_refused(cipher) -> None:
    with pytest.raises(ValueError):
        cipher.decrypt("not a token")
