"""Known answers for the payment adapters' cryptography, from the vendors' published examples and algorithms.

The fakes in tests/support are written from the same contract as the adapters, so a shared misreading would
pass there. These tests pin the wire formats to fixed values instead:
- WeChat Pay API v3 request signature ("签名生成"): the message is `METHOD\\nURL\\ntimestamp\\nnonce\\nbody\\n`;
  the doc's example uses mchid 1900009191, serial 1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C, timestamp
  1554208460 and nonce 593BEC0C930BF1AFEB40B4A08C8FB242. Its signature was made with WeChat's own key, so the
  exact signatures here come from a fixed test key (tests/support/keys, PKCS#1 v1.5 is deterministic),
  computed with the openssl command line: `printf … | openssl dgst -sha256 -sign KEY | base64 -w0`.
- WeChat Pay notifications (AEAD_AES_256_GCM over `resource.ciphertext`, with `associated_data`, `nonce` and
  the APIv3 key as the AES key): a fixed ciphertext of a fixed transaction, and AES-GCM itself pinned to the
  GCM specification's test case 16 (AES-256, 96-bit IV, with AAD).
- Alipay RSA2 (SHA256withRSA): the content string of Alipay's app-pay example (sorted raw `k=v` joined by
  `&`, `sign_type` included, `sign` and empty values left out), with its app_id, notify_url, timestamp and
  out_trade_no; exact signatures again from the fixed key and openssl.
"""
from __future__ import annotations

import base64
import json
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import parse_qsl

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from adapters.payments.alipay import AlipayConfig, AlipayGateway
from adapters.payments.wechatpay import WeChatPayConfig, WeChatPayGateway
from skyriff_domain.errors import NotificationRejected, PaymentFailed, ProviderUnavailable
from skyriff_domain.money import Cny
from skyriff_domain.ports.payments import ChannelState, PaymentNotice, PaymentOrder
from tests.support.http_server import PATIENT_TIMEOUT, FakeHttpServer, Request, Response

KEYS = Path(__file__).resolve().parents[1] / "support" / "keys"
PRIVATE_PEM = (KEYS / "known-answer-rsa2048.pem").read_text()  # a test-only key, used nowhere else
PUBLIC_PEM = (KEYS / "known-answer-rsa2048.pub.pem").read_text()
PUBLIC_KEY = serialization.load_pem_public_key(PUBLIC_PEM.encode())


def verifies(message: bytes, signature: str) -> bool:
    try:
        PUBLIC_KEY.verify(base64.b64decode(signature, validate=True), message, padding.PKCS1v15(), hashes.SHA256())
    except (InvalidSignature, ValueError):  # binascii.Error is a ValueError
        return False
    return True


# --- WeChat Pay API v3: request signature ------------------------------------------------------------------

MCHID, SERIAL = "1900009191", "1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C"
TIMESTAMP, NONCE = 1554208460, "593BEC0C930BF1AFEB40B4A08C8FB242"
APPID, APIV3_KEY = "wxd678efh567hg6787", "SkyRiffKnownAnswerAPIv3Key000001"
OUT_TRADE_NO = "SR20190402000001"
QUERY_MESSAGE = (b"GET\n/v3/pay/transactions/out-trade-no/SR20190402000001?mchid=1900009191\n1554208460\n"
                 b"593BEC0C930BF1AFEB40B4A08C8FB242\n\n")
QUERY_SIGNATURE = (
    "dfCcHHH5oW0iw7qtFOD1pVuVvFbSJ7UwPA+Y8PzNbVVG3Ja5IUJ5vFdBl2ILeqia2fSC4kKG8dRsyB0mLKcJ3heHc9PXArJEHSYOrKkp3Jw"
    "Mybm2P8hTmClDg/mCe8jPhHuYLGcJgpzfrHdzHweXJDZTrwWRVaBmQkvl+jtBFfFH2C9bJ3SOYxIL8CiTMkK2g62BW+3wqQzN3cUln+U8L0"
    "GYBVpE3qeZVVE9b5HBHSy18w7OcZ1WFJ9u+s9fstNNUNSbvgLS9pav7y9yuSffOsOA6IXDYGx/VaFsX6RzSnTEUEBvLBEdGVr2XSfxs4etv"
    "jGc31IOrGdVQ3/WCkUyZA==")
# The doc's own example message (GET /v3/certificates): pins the fixed key and the openssl recipe above.
DOC_MESSAGE = b"GET\n/v3/certificates\n1554208460\n593BEC0C930BF1AFEB40B4A08C8FB242\n\n"
DOC_SIGNATURE = (
    "Kafp7xELZiouAhrbEvWPBsCt1m3ZS0OUWUY5cpstu+MLshyZ8A8TPcpXOi3aMACZEV4D0tedTaTrA2I8i6Z80zXJ2MvGZ4h9uUNSsoIP8Qa"
    "x0D8lOZ21Owvd40Vp6/XWSJmr3b9btaBbTf8IgDE09WvW16ors6ppLl69dahEUFvmddK84E8fCste4zBFnOi3k51SmzD+0Pla1wR5iNt/Lq"
    "IAuluRe1VPG3eB3uCDlfr57aQ5bGN8F/C+TPuwmNbBtSFpGICgVd6Yf2lBRZBJsh52MBS/LdqFoUFizBARQdGyoia0Wz6IFBPKPFF36vhkQ"
    "ccgpItNyOaD5kkwgiFzlA==")


def wechat(base_url: str = "http://127.0.0.1:9") -> WeChatPayGateway:
    """The doc's merchant, signing with the fixed key; the same key stands in for the platform's."""
    config = WeChatPayConfig(mchid=MCHID, appid=APPID, merchant_serial_no=SERIAL, merchant_private_key_pem=PRIVATE_PEM,
                             apiv3_key=APIV3_KEY, platform_public_key_pem=PUBLIC_PEM,
                             platform_public_key_id="PUB_KEY_ID_0119000091912019040200000000000001",
                             notify_url="https://api.skyriff.test/notify", base_url=base_url, timeout=PATIENT_TIMEOUT)
    return WeChatPayGateway(config, clock=lambda: datetime.fromtimestamp(TIMESTAMP, timezone.utc), nonce=lambda: NONCE)


def wechat_refusal(request: Request) -> Response:
    """An unsigned refusal: the adapter's request is all these tests look at."""
    code = "ORDER_NOT_EXIST" if request.method == "GET" else "PARAM_ERROR"
    return Response(404 if request.method == "GET" else 400, json.dumps({"code": code, "message": "known answer"}))


def test_the_fixed_key_signs_the_docs_example_as_openssl_does():
    assert verifies(DOC_MESSAGE, DOC_SIGNATURE)


def test_wechat_get_is_signed_over_the_documented_message_with_the_documented_header_layout():
    with FakeHttpServer(wechat_refusal) as server:
        assert wechat(server.url).query(OUT_TRADE_NO) == PaymentNotice(ChannelState.NOT_FOUND, OUT_TRADE_NO)
    [request] = server.requests
    assert request.headers["authorization"] == (
        f'WECHATPAY2-SHA256-RSA2048 mchid="{MCHID}",nonce_str="{NONCE}",signature="{QUERY_SIGNATURE}",'
        f'timestamp="{TIMESTAMP}",serial_no="{SERIAL}"')
    assert verifies(QUERY_MESSAGE, QUERY_SIGNATURE)


def test_wechat_post_signs_the_exact_body_it_sends():
    order = PaymentOrder(OUT_TRADE_NO, Cny(1990), "SkyRiff 积分充值",
                         datetime.fromtimestamp(TIMESTAMP, timezone.utc) + timedelta(minutes=30))
    with FakeHttpServer(wechat_refusal) as server, pytest.raises(PaymentFailed):
        wechat(server.url).create_order(order)
    [request] = server.requests
    fields = dict(part.split("=", 1) for part in request.headers["authorization"].split(" ", 1)[1].split(","))
    assert list(fields) == ["mchid", "nonce_str", "signature", "timestamp", "serial_no"]
    message = b"POST\n/v3/pay/transactions/app\n1554208460\n593BEC0C930BF1AFEB40B4A08C8FB242\n" + request.body + b"\n"
    assert verifies(message, fields["signature"].strip('"'))
    assert json.loads(request.body)["out_trade_no"] == OUT_TRADE_NO and "积分充值".encode() in request.body


# --- WeChat Pay API v3: notification decryption ------------------------------------------------------------

def test_aes_256_gcm_matches_the_gcm_specifications_test_case_16():
    key = bytes.fromhex("feffe9928665731c6d6a8f9467308308" * 2)
    sealed = AESGCM(key).encrypt(
        bytes.fromhex("cafebabefacedbaddecaf888"),
        bytes.fromhex("d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6"
                      "b525b16aedf5aa0de657ba637b39"),
        bytes.fromhex("feedfacedeadbeeffeedfacedeadbeefabaddad2"))
    assert sealed.hex() == ("522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b10"
                            "56828838c5f61e6393ba7a0abcc9f662" + "76fc6ece0f4e1768cddf8853bb2d551b")


TRANSACTION = (
    '{"mchid":"1900009191","appid":"wxd678efh567hg6787","out_trade_no":"SR20190402000001",'
    '"transaction_id":"4200000001201904027046543789","trade_type":"APP","trade_state":"SUCCESS",'
    '"trade_state_desc":"支付成功","bank_type":"CMC","attach":"","success_time":"2019-04-02T20:34:20+08:00",'
    '"payer":{"openid":"oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"},'
    '"amount":{"total":1990,"payer_total":1990,"currency":"CNY","payer_currency":"CNY"}}').encode()
GCM_NONCE, GCM_AD = "fdasflkja484", "transaction"
# AES-256-GCM(key=APIV3_KEY, nonce=GCM_NONCE, associated_data=GCM_AD) of TRANSACTION, tag last, base64.
CIPHERTEXT = (
    "LHaPpLoOydHEv3qMrVtwdk094Kv+OCyHRucizrCzjdZe2ero04FH9oRtexy789nI1SlrWsse32DZBDqfjU6KWgeQtRjGg8HfkH8a/dco49X"
    "28PD31vLPl0Osucrc7QTs5Wu5vwz+8FgqgttyYyHhzXP475n/qB0IHfM8BAX1o384ZL4B73eb2v3xJY4vGQIutPBVUNOOtqZMbaB0MISSEm"
    "Zm1QsIXIsa0zNT3GLFU7IU8NODj7LZtUcseoTQ6QLTZmiak3DKOy0g/BPQfulwk5/KwFP6x/I4UluplK6Z8aTDojuqa/GMTMWbz96Uxy94U"
    "GNQDA7PW428l9zml/ZqXwK+oxvCI0HjwC0nKtP4tkbInz8yZd8viL9aSTjPLn65IRDcAqN2mm7/RPSPD9tBNevDWTIko/e00YbBSPSgHGyp"
    "7Gucv0L07ACEVT8EjqDSx+p1eOh7pp6T+VjZdjMw0nR/OxhX5woR14QD1LAdF0WO75AMNrq3PVpaGDmqzyheeQEBInDFHp+/sKQDWTc3n2k"
    "uLnoeKiD20z0abF4FGq2AbNtdEhdxHFXr+wkUAIqQ")


def test_the_fixed_ciphertext_is_the_transaction_sealed_with_the_apiv3_key():
    sealed = AESGCM(APIV3_KEY.encode()).encrypt(GCM_NONCE.encode(), TRANSACTION, GCM_AD.encode())
    assert base64.b64encode(sealed).decode() == CIPHERTEXT


def notification(ciphertext: str = CIPHERTEXT, associated_data: str = GCM_AD) -> tuple[dict[str, str], bytes]:
    """A TRANSACTION.SUCCESS notification carrying `ciphertext`, signed (over its exact bytes) by the platform."""
    body = json.dumps({
        "id": "EV-2019040220342000001", "create_time": "2019-04-02T20:34:21+08:00", "resource_type": "encrypt-resource",
        "event_type": "TRANSACTION.SUCCESS", "summary": "支付成功",
        "resource": {"original_type": "transaction", "algorithm": "AEAD_AES_256_GCM", "ciphertext": ciphertext,
                     "associated_data": associated_data, "nonce": GCM_NONCE},
    }, ensure_ascii=False).encode()
    private = serialization.load_pem_private_key(PRIVATE_PEM.encode(), password=None)
    signed = f"{TIMESTAMP}\n{NONCE}\n".encode() + body + b"\n"
    signature = base64.b64encode(private.sign(signed, padding.PKCS1v15(), hashes.SHA256())).decode()
    return {"Wechatpay-Timestamp": str(TIMESTAMP), "Wechatpay-Nonce": NONCE, "Wechatpay-Signature": signature,
            "Wechatpay-Serial": "PUB_KEY_ID_0119000091912019040200000000000001",
            "Wechatpay-Signature-Type": "WECHATPAY2-SHA256-RSA2048"}, body


def test_wechat_decrypts_the_fixed_ciphertext_to_the_exact_transaction():
    headers, body = notification()
    notice = wechat().parse_notification(headers, body, datetime.fromtimestamp(TIMESTAMP, timezone.utc))
    # GCM authenticates every byte: only the exact plaintext decrypts, and each field below comes from it.
    assert notice == PaymentNotice(
        state=ChannelState.PAID, out_trade_no=OUT_TRADE_NO, amount=Cny(1990),
        transaction_id="4200000001201904027046543789",
        paid_at=datetime(2019, 4, 2, 20, 34, 20, tzinfo=timezone(timedelta(hours=8))))


@pytest.mark.parametrize("tamper", ["tag", "ciphertext", "associated_data"])
def test_wechat_refuses_a_tampered_ciphertext_tag_or_associated_data(tamper):
    sealed = bytearray(base64.b64decode(CIPHERTEXT))
    if tamper != "associated_data":
        sealed[-1 if tamper == "tag" else 0] ^= 0x01  # the tag is the last 16 bytes
    headers, body = notification(base64.b64encode(bytes(sealed)).decode(),
                                 "certificate" if tamper == "associated_data" else GCM_AD)
    with pytest.raises(NotificationRejected, match="cannot decrypt"):
        wechat().parse_notification(headers, body, datetime.fromtimestamp(TIMESTAMP, timezone.utc))


# --- Alipay RSA2 -------------------------------------------------------------------------------------------

ALIPAY_APP_ID, ALIPAY_NOTIFY = "2015052600090779", "http://domain.merchant.com/payment_notify"
ALIPAY_NOW = datetime(2016, 8, 25, 12, 26, 31, tzinfo=timezone.utc)  # 2016-08-25 20:26:31 in Beijing
APP_PAY_CONTENT = (
    'app_id=2015052600090779&biz_content={"out_trade_no":"IQJZSRC1YMQB5HU","total_amount":"0.01","subject":"1",'
    '"product_code":"QUICK_MSECURITY_PAY","time_expire":"2016-08-25 20:56:31"}&charset=utf-8&format=JSON'
    '&method=alipay.trade.app.pay&notify_url=http://domain.merchant.com/payment_notify&sign_type=RSA2'
    '&timestamp=2016-08-25 20:26:31&version=1.0')
APP_PAY_SIGNATURE = (
    "Ah0VrYzu8EJTnOOwP1k60IN7DzdIqc7EZpEUz4QCZoPFz7Z3OR9lPbtvd4MXop64NK5dx9yKkiIohOD5XNfZeRSR9U+8cAqeqIKyBUEZ7Fu"
    "ilE2lJJzPoKb4OSdcUBggVtbCtSOQAAWin9+cIUVaOdSQXDeXsL6HFgDXA6u7a9s6sLBcet6AUNJxUNGRfOpp7k32gg3l/CA5YjKjinHb8o"
    "yMOHBAvTNJUO2vHL3Uwq6sKvDc/Su2eCJCBJkgefkyKfeBzEmvnmAmLxqnNQ/DDe3O/Xe+M0t7ZayOsQvJIgBYPARNDVxbsfo8+J7QKCHi1"
    "sLDTSs6SeiPbY1ApITKuQ==")
QUERY_CONTENT = ('app_id=2015052600090779&biz_content={"out_trade_no":"IQJZSRC1YMQB5HU"}&charset=utf-8&format=JSON'
                 '&method=alipay.trade.query&sign_type=RSA2&timestamp=2016-08-25 20:26:31&version=1.0')
ALIPAY_QUERY_SIGNATURE = (
    "Rv9K2uHI8w/VZuxgHNH8sW1Tmbt2LLnsxYJaOnGvacOeWENMa4pzbCN9zfWuhLQMeF58AfPFuEDfQyRXFneMDBfPCk8Iw+fojhL1jUiS+1x"
    "oCytQy7T+ZzOd69fC00htBtAS9x7P9CdQP23tcEDCGh180Y+CjR4SvrhqOuX+FbQhP1pVJtuEAtDlMJsQNi67s2soZTY5NDU4Pd1FS0UMqp"
    "3ttwsgIkO/O/x1dnmhg6IwryHNb/e/Net3HhkC08aKVRyONpU0gHcueA0BrmrbfPJzE32VR9Ipl7CtoS5fZ7mWlombQwGpwdGz1429UYuX2"
    "4pv1U+/UPcmeVxhOReAoQ==")


def alipay(gateway_url: str = "http://127.0.0.1:9/gateway.do") -> AlipayGateway:
    config = AlipayConfig(app_id=ALIPAY_APP_ID, app_private_key_pem=PRIVATE_PEM, alipay_public_key_pem=PUBLIC_PEM,
                          notify_url=ALIPAY_NOTIFY, gateway_url=gateway_url, timeout=PATIENT_TIMEOUT)
    return AlipayGateway(config, clock=lambda: ALIPAY_NOW)


def test_alipay_order_string_signs_the_documented_content_string():
    order = PaymentOrder("IQJZSRC1YMQB5HU", Cny.of("0.01"), "1", ALIPAY_NOW + timedelta(minutes=30))
    params = dict(parse_qsl(alipay().create_order(order)["order_string"], strict_parsing=True))
    assert params.pop("sign") == APP_PAY_SIGNATURE
    assert "&".join(f"{k}={v}" for k, v in sorted(params.items())) == APP_PAY_CONTENT  # every field, nothing else
    assert verifies(APP_PAY_CONTENT.encode(), APP_PAY_SIGNATURE)


def test_alipay_server_call_signs_the_documented_content_string():
    with FakeHttpServer(lambda request: Response(500, "known answer")) as server, \
            pytest.raises(ProviderUnavailable):  # the answer does not matter here: the request is the test
        alipay(f"{server.url}/gateway.do").query("IQJZSRC1YMQB5HU")
    [request] = server.requests
    form = dict(parse_qsl(request.body.decode(), strict_parsing=True))
    assert form.pop("sign") == ALIPAY_QUERY_SIGNATURE
    assert "&".join(f"{k}={v}" for k, v in sorted(form.items())) == QUERY_CONTENT
    assert verifies(QUERY_CONTENT.encode(), ALIPAY_QUERY_SIGNATURE)
