"""Alipay certificate SNs against the answers Alipay's SDKs give for certificates Alipay published."""
from __future__ import annotations

import pytest

from adapters.payments import alipay_certs
from tests.support.alipay_published_certs import ROOT_BUNDLE_PEM, ROOT_CERT_SN, SANDBOX_APP_CERT_PEM, \
    SANDBOX_APP_CERT_SN


def test_the_app_cert_sn_of_a_published_sandbox_certificate() -> None:
    assert alipay_certs.app_cert_sn(SANDBOX_APP_CERT_PEM) == SANDBOX_APP_CERT_SN


def test_the_root_cert_sn_keeps_only_rsa_signed_roots_in_order() -> None:
    """The bundle holds an SM2 root, Ant R1 (sha256WithRSA), Ant E1 (ECDSA) and iTrusChina G3 (sha1WithRSA)."""
    assert alipay_certs.root_cert_sn(ROOT_BUNDLE_PEM) == ROOT_CERT_SN


def test_a_bundle_without_rsa_roots_is_refused() -> None:
    sm2_only = ROOT_BUNDLE_PEM.split("-----END CERTIFICATE-----")[0] + "-----END CERTIFICATE-----\n"
    with pytest.raises(ValueError, match="no RSA-signed root"):
        alipay_certs.root_cert_sn(sm2_only)


def test_garbage_is_not_a_certificate() -> None:
    with pytest.raises(ValueError, match="app_cert_pem is not a PEM X.509 certificate"):
        alipay_certs.app_cert_sn("-----BEGIN CERTIFICATE-----\nnope\n-----END CERTIFICATE-----\n")


def test_the_public_key_comes_out_of_a_certificate() -> None:
    key = alipay_certs.public_key_of(SANDBOX_APP_CERT_PEM, "alipay_cert_pem")
    assert key.key_size == 2048
