"""Alipay public-key-certificate mode (公钥证书模式): the `app_cert_sn` and `alipay_root_cert_sn` of a request.

Alipay's own SDKs compute a certificate's SN as MD5(issuer DN + serial number in decimal), the DN written
most-specific first, `CN=…,OU=…,O=…,C=CN` (Java `X509Certificate.getIssuerX500Principal().getName()`; PHP
`array2string(array_reverse($ssl['issuer']))` in AopCertClient.getCertSN). `alipay_root_cert_sn` joins with `_`
the SNs of the root bundle's certificates signed with sha1WithRSA or sha256WithRSA only (AlipaySignature.
getRootCertSN); the bundle's SM2 and ECDSA roots are skipped. Known answers from yansongda/pay's tests
(tests/Util/CertificationTest.php): the bundled alipayRootCert.crt gives
687b59193f3f462dd5336e5abf83c5d8_02941eef3187dddf3d3b83462e1dfcf6.
"""
from __future__ import annotations

import hashlib
import logging
import re

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import rsa

log = logging.getLogger("skyriff.payments.alipay")

_RSA_SIGNATURES = frozenset({"1.2.840.113549.1.1.5", "1.2.840.113549.1.1.11"})  # sha1/sha256 WithRSAEncryption
_SHORT_NAMES = {"2.5.4.3": "CN", "2.5.4.11": "OU", "2.5.4.10": "O", "2.5.4.6": "C", "2.5.4.8": "ST", "2.5.4.7": "L",
                "2.5.4.9": "STREET", "0.9.2342.19200300.100.1.25": "DC", "0.9.2342.19200300.100.1.1": "UID"}
_PEM_BLOCK = re.compile(r"-----BEGIN CERTIFICATE-----.+?-----END CERTIFICATE-----", re.S)


def cert_sn(certificate: x509.Certificate) -> str:
    """MD5 hex of the issuer DN (most specific first) followed by the decimal serial number."""
    issuer = ",".join(f"{_SHORT_NAMES.get(a.oid.dotted_string, a.oid.dotted_string)}={a.value}"
                      for rdn in reversed(certificate.issuer.rdns) for a in rdn)
    return hashlib.md5((issuer + str(certificate.serial_number)).encode("utf-8")).hexdigest()


def load_certificate(pem: str, what: str) -> x509.Certificate:
    try:
        return x509.load_pem_x509_certificate(pem.encode("ascii"))
    except (ValueError, UnicodeEncodeError):
        raise ValueError(f"{what} is not a PEM X.509 certificate") from None


def app_cert_sn(pem: str) -> str:
    """The `app_cert_sn` of our app's public-key certificate (appCertPublicKey_<app_id>.crt)."""
    return cert_sn(load_certificate(pem, "app_cert_pem"))


def root_cert_sn(bundle_pem: str) -> str:
    """The `alipay_root_cert_sn` of Alipay's root bundle (alipayRootCert.crt)."""
    sns = []
    for block in _PEM_BLOCK.findall(bundle_pem):
        try:
            certificate = x509.load_pem_x509_certificate(block.encode("ascii"))
        except ValueError:
            log.info("alipay root bundle: skipped a certificate this library cannot parse (not RSA-signed)")
            continue
        if certificate.signature_algorithm_oid.dotted_string in _RSA_SIGNATURES:
            sns.append(cert_sn(certificate))
    if not sns:
        raise ValueError("alipay_root_cert_pem holds no RSA-signed root certificate")
    return "_".join(sns)


def public_key_of(pem: str, what: str) -> rsa.RSAPublicKey:
    """The RSA key inside a certificate (alipayCertPublicKey_RSA2.crt verifies Alipay's answers)."""
    key = load_certificate(pem, what).public_key()
    if not isinstance(key, rsa.RSAPublicKey):
        raise ValueError(f"{what} does not hold an RSA public key")
    return key
