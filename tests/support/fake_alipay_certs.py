"""Test certificates for the Alipay fake in public-key-certificate mode, and the fake's own SN arithmetic.

A throwaway "Alipay root" CA issues our app's certificate (holding the app public key of AlipayKeys) and
Alipay's (holding Alipay's public key); the root bundle also carries an ECDSA root, which Alipay's SN rule
skips. SNs are computed here with `Name.rfc4514_string()`, apart from the adapter's code (alipay_certs.py).
"""
from __future__ import annotations

import functools
import hashlib
from datetime import datetime, timedelta, timezone

import attrs
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

from tests.support.fake_alipay import APP_ID, AlipayKeys


@attrs.frozen
class FakeAlipayCerts:
    app_cert_pem: str
    alipay_cert_pem: str
    root_bundle_pem: str
    app_cert_sn: str
    alipay_cert_sn: str
    root_cert_sn: str


def sn_of(pem: str) -> str:
    """MD5(issuer DN, most specific first + decimal serial): Alipay's certificate SN."""
    cert = x509.load_pem_x509_certificate(pem.encode())
    return hashlib.md5(f"{cert.issuer.rfc4514_string()}{cert.serial_number}".encode()).hexdigest()


@functools.cache
def make_alipay_certs(keys: AlipayKeys) -> FakeAlipayCerts:
    root_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    root_name = _name("Fake Ant Certification Authority R1", "Certification Authority")
    root = _cert(root_name, root_name, root_key.public_key(), root_key, ca=True)
    ec_key = ec.generate_private_key(ec.SECP384R1())
    ec_name = _name("Fake Ant Certification Authority E1", "Certification Authority")
    ec_root = _cert(ec_name, ec_name, ec_key.public_key(), ec_key, ca=True, digest=hashes.SHA384())
    app_public = serialization.load_pem_public_key(keys.app_public_pem.encode())
    alipay_public = serialization.load_pem_public_key(keys.alipay_public_pem.encode())
    app = _cert(_name(f"2088000000000001-{APP_ID}", "Alipay"), root_name, app_public, root_key)
    alipay = _cert(_name("支付宝(中国)网络技术有限公司-2088000000000001", "Alipay"), root_name, alipay_public, root_key)
    pems = [_pem(c) for c in (app, alipay, ec_root, root)]
    return FakeAlipayCerts(
        app_cert_pem=pems[0], alipay_cert_pem=pems[1], root_bundle_pem=pems[2] + "\n" + pems[3],
        app_cert_sn=sn_of(pems[0]), alipay_cert_sn=sn_of(pems[1]), root_cert_sn=sn_of(pems[3]))


def _name(common_name: str, unit: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Fake Ant Financial"),
                      x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, unit),
                      x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _cert(subject: x509.Name, issuer: x509.Name, public_key, signer, *, ca: bool = False,
          digest: hashes.HashAlgorithm = hashes.SHA256()) -> x509.Certificate:
    now = datetime.now(timezone.utc)
    return (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer).public_key(public_key)
            .serial_number(x509.random_serial_number()).not_valid_before(now - timedelta(days=1))
            .not_valid_after(now + timedelta(days=365))
            .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
            .sign(signer, digest))


def _pem(cert: x509.Certificate) -> str:
    return cert.public_bytes(serialization.Encoding.PEM).decode()
