"""Settings → money-out channels: the sandboxes and the fake real-name check only on the embedded defaults,
the real transfer, refund and FaceID adapters when their settings exist, and a personal-data key that works."""
from __future__ import annotations

import base64

import pytest

from adapters.identity.cipher import AesGcmPersonalDataCipher
from adapters.identity.faceid import TencentFaceIdVerifier
from adapters.identity.fake import FakeIdentityVerifier
from adapters.payments.alipay_refunds import AlipayRefundGateway
from adapters.payments.alipay_transfers import AlipayTransferGateway
from adapters.payments.sandbox_payouts import SandboxPayoutGateway
from adapters.payments.sandbox_refunds import SandboxRefundGateway
from adapters.payments.wechatpay_refunds import WeChatPayRefundGateway
from adapters.payments.wechatpay_transfers import WeChatPayTransferGateway
from entrypoints.container import Container
from tests.integration.test_container import PG, settings_from
from tests.support.fake_alipay import make_alipay_keys
from tests.support.fake_alipay_certs import make_alipay_certs
from tests.support.fake_wechatpay import make_wechatpay_keys
from tests.support.http import make_client
from tests.support.money_out import ADULT_ID

PRODUCTION = {"DATABASE_URL": PG, "JWT_SECRET": "p" * 40,
              "IDENTITY_KEY": base64.urlsafe_b64encode(b"i" * 32).decode()}


def test_embedded_defaults_pay_out_through_the_sandboxes_and_check_names_with_the_fake(tmp_path):
    c = Container(settings=settings_from(tmp_path))
    payouts = c.payout_gateways()
    assert set(payouts) == {"wechat", "alipay"} and all(isinstance(g, SandboxPayoutGateway) for g in payouts.values())
    assert isinstance(c.refund_gateways()["sandbox"], SandboxRefundGateway)
    assert isinstance(c.identity_verifier(), FakeIdentityVerifier)
    cipher = c.cipher()
    assert isinstance(cipher, AesGcmPersonalDataCipher) and (tmp_path / ".identity-secret").exists()
    token = cipher.encrypt(ADULT_ID)
    assert ADULT_ID not in token and cipher.decrypt(token) == ADULT_ID
    again = Container(settings=settings_from(tmp_path)).cipher()  # the kept key: a restart still reads it
    assert again.decrypt(token) == ADULT_ID


def test_off_the_embedded_database_nothing_fake_moves_money_or_vouches_for_anyone(tmp_path):
    c = Container(settings=settings_from(tmp_path, **PRODUCTION))
    assert c.payout_gateways() == {} and c.refund_gateways() == {}
    assert c.settings().identity_provider == "disabled"


def test_a_disabled_real_name_check_answers_2008(sqlite_engine):
    client = make_client(sqlite_engine, identity_provider="disabled")
    client.app.extensions["skyriff"].identity_verifier.reset_override()
    client.login()
    status, answer = client.post("/me/verification", {"real_name": "张三", "id_number": ADULT_ID})
    assert (status, answer["code"], answer["message"]) == (409, 2008, "实名认证未启用")


def test_real_channels_when_configured(tmp_path):
    wechat, alipay = make_wechatpay_keys(), make_alipay_keys()
    certs = make_alipay_certs(alipay)
    c = Container(settings=settings_from(
        tmp_path, **PRODUCTION,
        WECHATPAY_MCHID="1900000001", WECHATPAY_APPID="wxapp", WECHATPAY_SERIAL_NO="SERIAL",
        WECHATPAY_PRIVATE_KEY=wechat.merchant_private_pem, WECHATPAY_APIV3_KEY="k" * 32,
        WECHATPAY_PLATFORM_PUBLIC_KEY=wechat.platform_public_pem, WECHATPAY_PLATFORM_PUBLIC_KEY_ID="PUB_KEY_ID_1",
        WECHATPAY_TRANSFER_SCENE_ID="1005",
        WECHATPAY_TRANSFER_SCENE_REPORT_INFOS='[["岗位类型", "视频创作者"], ["报酬说明", "创作收益提现"]]',
        ALIPAY_APP_ID="2021000000000001", ALIPAY_PRIVATE_KEY=alipay.app_private_pem,
        ALIPAY_APP_CERT=certs.app_cert_pem, ALIPAY_ALIPAY_CERT=certs.alipay_cert_pem,
        ALIPAY_ROOT_CERT=certs.root_bundle_pem,
        TENCENT_FACEID_SECRET_ID="AKID", TENCENT_FACEID_SECRET_KEY="secret"))
    payouts, refunds = c.payout_gateways(), c.refund_gateways()
    assert isinstance(payouts["wechat"], WeChatPayTransferGateway)
    assert isinstance(payouts["alipay"], AlipayTransferGateway)
    assert isinstance(refunds["wechat"], WeChatPayRefundGateway) and isinstance(refunds["alipay"], AlipayRefundGateway)
    assert "sandbox" not in refunds
    assert isinstance(c.identity_verifier(), TencentFaceIdVerifier)


def test_alipay_without_certificates_refunds_but_does_not_pay_out(tmp_path):
    alipay = make_alipay_keys()
    c = Container(settings=settings_from(tmp_path, **PRODUCTION, ALIPAY_APP_ID="2021000000000001",
                                         ALIPAY_PRIVATE_KEY=alipay.app_private_pem,
                                         ALIPAY_PUBLIC_KEY=alipay.alipay_public_pem))
    assert "alipay" not in c.payout_gateways() and isinstance(c.refund_gateways()["alipay"], AlipayRefundGateway)


@pytest.mark.parametrize("key", ["short", base64.urlsafe_b64encode(b"k" * 16).decode()])
def test_a_personal_data_key_that_is_not_32_bytes_is_refused_at_start(tmp_path, key):
    with pytest.raises(ValueError):
        Container(settings=settings_from(tmp_path, IDENTITY_KEY=key)).cipher()
