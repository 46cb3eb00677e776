"""A local fake of WeChat Pay API v3 (APP prepay, query, close, notifications) for adapter tests; desks plug in
more endpoints (fake_wechatpay_transfers.py, fake_wechatpay_refunds.py).

It holds its own test keys: it verifies our `Authorization` with the merchant PUBLIC key, signs every answer
with the platform PRIVATE key, and builds notifications encrypted with its APIv3 key. The algorithms are
written here from the contract (external-contracts.md §3), apart from the adapter's code.

    keys = make_wechatpay_keys()
    with FakeWeChatPay(keys) as fake:
        gateway = WeChatPayGateway(fake.config())
        fake.add_order("SR20261124000001", 1990)
        headers, body = fake.notification("SR20261124000001")
"""
from __future__ import annotations

import base64
import functools
import json
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from typing import Any
from urllib.parse import unquote, urlencode

import attrs
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from adapters.payments.wechatpay import WeChatPayConfig
from tests.support.http_server import PATIENT_TIMEOUT, FakeHttpServer, Request, Response

MCHID = "1900000109"
APPID = "wxd678efh567hg6787"
MERCHANT_SERIAL = "5157F09EFDC096DE15EBE81A47057A7232F1B8E1"
PUB_KEY_ID = "PUB_KEY_ID_0119000001092026112400000000000001"
APIV3_KEY = "skyriffApiV3KeyForTests012345678"  # 32 ASCII bytes
OTHER_APIV3_KEY = "anotherApiV3KeyNotTheMerchants01"
BEIJING = timezone(timedelta(hours=8))
TAMPERS = ("body", "probe", "wrong_key", "stale", "wrong_apiv3", "wrong_mchid", "wrong_appid", "wrong_serial",
           "signature_type", "algorithm", "resource_type", "not_json")


@attrs.frozen(repr=False)
class WeChatPayKeys:
    """Merchant and platform key pairs, plus an unrelated key for forgeries."""

    merchant: rsa.RSAPrivateKey
    platform: rsa.RSAPrivateKey
    other: rsa.RSAPrivateKey

    @property
    def merchant_private_pem(self) -> str:
        return _pem(self.merchant)

    @property
    def other_private_pem(self) -> str:
        return _pem(self.other)

    @property
    def platform_public_pem(self) -> str:
        return self.platform.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()


@functools.cache
def make_wechatpay_keys() -> WeChatPayKeys:
    """Three 2048-bit RSA keys, generated once per test process (generation is slow)."""
    def new() -> rsa.RSAPrivateKey:
        return rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return WeChatPayKeys(new(), new(), new())


@attrs.define
class FakeOrder:
    out_trade_no: str
    total: int
    trade_state: str = "NOTPAY"
    transaction_id: str | None = None
    success_time: str | None = None
    body: dict[str, Any] | None = None  # the prepay request, to spot a reused out_trade_no


class FakeWeChatPay:
    """The fake merchant platform; a context manager that serves it on a loopback port.

    Knobs: `sign_with` ("platform", "other" or "none") and `answer_serial` for answers; `delay` seconds before
    answering;
    `override(request) -> Response | None` to answer a request in place of the normal routing (still signed).
    """

    def __init__(self, keys: WeChatPayKeys | None = None, now: Callable[[], datetime] | None = None) -> None:
        self.keys = keys or make_wechatpay_keys()
        self.now = now or (lambda: datetime.now(timezone.utc))
        self.orders: dict[str, FakeOrder] = {}
        self.auth_errors: list[str] = []
        self.sign_with = "platform"
        self.answer_serial = PUB_KEY_ID  # the Wechatpay-Serial its answers claim
        self.delay = 0.0
        self.override: Callable[[Request], Response | None] | None = None
        self.desks: list[Callable[[Request], Response | None]] = []  # more endpoints, tried before the payments'
        self._server: FakeHttpServer | None = None

    # --- server ------------------------------------------------------------------------------------------

    def __enter__(self) -> "FakeWeChatPay":
        self._server = FakeHttpServer(self.handle).__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._server is not None
        self._server.__exit__(*exc)

    @property
    def url(self) -> str:
        assert self._server is not None, "use the fake as a context manager"
        return self._server.url

    @property
    def requests(self) -> list[Request]:
        assert self._server is not None
        return self._server.requests

    def config(self, notify_url: str = "https://api.skyriff.test/api/v1/payments/wechat/notify",
               **overrides: Any) -> WeChatPayConfig:
        """A config that talks to this fake with its keys; override any field (e.g. a wrong key)."""
        fields: dict[str, Any] = dict(
            mchid=MCHID, appid=APPID, merchant_serial_no=MERCHANT_SERIAL,
            merchant_private_key_pem=self.keys.merchant_private_pem, apiv3_key=APIV3_KEY,
            platform_public_key_pem=self.keys.platform_public_pem, platform_public_key_id=PUB_KEY_ID,
            notify_url=notify_url, base_url=self.url if self._server else "http://127.0.0.1:9",
            timeout=PATIENT_TIMEOUT,
        )
        return WeChatPayConfig(**(fields | overrides))

    def handle(self, request: Request) -> Response:
        failure = self._authenticate(request)
        if failure:
            self.auth_errors.append(failure)
            answer = error(401, "SIGN_ERROR", failure)
        else:
            answer = (self.override and self.override(request)) or self._route(request)
        return self._signed(attrs.evolve(answer, delay=self.delay or answer.delay))

    # --- state -------------------------------------------------------------------------------------------

    def add_order(self, out_trade_no: str, total: int, trade_state: str = "NOTPAY") -> FakeOrder:
        order = self.orders[out_trade_no] = FakeOrder(out_trade_no, total)
        if trade_state == "SUCCESS":
            self.pay(out_trade_no)
        order.trade_state = trade_state
        return order

    def pay(self, out_trade_no: str) -> FakeOrder:
        """The payer pays: the order becomes SUCCESS with a transaction id and a success time."""
        order = self.orders[out_trade_no]
        order.trade_state = "SUCCESS"
        order.transaction_id = order.transaction_id or "4200" + secrets.choice("123456789") + secrets.token_hex(12)
        order.success_time = order.success_time or self.now().astimezone(BEIJING).isoformat(timespec="seconds")
        return order

    def transaction(self, order: FakeOrder, **changes: Any) -> dict[str, Any]:
        """The transaction document of query answers and (decrypted) notifications."""
        document: dict[str, Any] = {
            "appid": APPID, "mchid": MCHID, "out_trade_no": order.out_trade_no, "trade_type": "APP",
            "trade_state": order.trade_state, "trade_state_desc": _DESCRIPTIONS.get(order.trade_state, ""),
            "bank_type": "OTHERS", "attach": "", "payer": {"openid": "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"},
            "amount": {"total": order.total, "payer_total": order.total, "currency": "CNY", "payer_currency": "CNY"},
        }
        if order.transaction_id:
            document["transaction_id"] = order.transaction_id
        if order.success_time:
            document["success_time"] = order.success_time
        return document | changes

    # --- notifications -----------------------------------------------------------------------------------

    def notification(self, out_trade_no: str, *, amount: int | None = None, trade_state: str = "SUCCESS",
                     tamper: str | None = None, event_type: str | None = None) -> tuple[dict[str, str], bytes]:
        """(headers, raw body) of a notification about the order, as WeChat would POST it to notify_url.

        A SUCCESS notification pays the order here first. `tamper` is one of TAMPERS: the result must be
        rejected by a correct verifier.
        """
        assert tamper is None or tamper in TAMPERS, tamper
        order = self.orders.get(out_trade_no) or self.add_order(out_trade_no, amount or 100)
        if trade_state == "SUCCESS":
            self.pay(out_trade_no)
        else:
            order.trade_state = trade_state
        changes: dict[str, Any] = {}
        if amount is not None:
            changes["amount"] = {"total": amount, "payer_total": amount, "currency": "CNY", "payer_currency": "CNY"}
        if tamper == "wrong_mchid":
            changes["mchid"] = "1900000999"
        if tamper == "wrong_appid":
            changes["appid"] = "wx0000000000000000"
        return self.sealed(
            self.transaction(order, **changes), tamper=tamper, summary="支付成功", original_type="transaction",
            event_type=event_type or ("TRANSACTION.SUCCESS" if trade_state == "SUCCESS" else "TRANSACTION.CLOSED"))

    def sealed(self, document: dict[str, Any], *, event_type: str, summary: str, original_type: str,
               tamper: str | None = None) -> tuple[dict[str, str], bytes]:
        """(headers, raw body) of a notification carrying `document`: AES-GCM-encrypted with the APIv3 key and
        signed with the platform key, as WeChat does (§3.4); `tamper` (one of TAMPERS) spoils one part."""
        assert tamper is None or tamper in TAMPERS, tamper
        plain = json.dumps(document, ensure_ascii=False).encode()
        nonce, aad = secrets.token_hex(6), original_type  # 12 ASCII bytes, as WeChat's
        key = OTHER_APIV3_KEY if tamper == "wrong_apiv3" else APIV3_KEY
        ciphertext = AESGCM(key.encode()).encrypt(nonce.encode(), plain, aad.encode())
        created = self.now()
        envelope = {
            "id": "EV-2018022511223320873", "create_time": created.astimezone(BEIJING).isoformat(timespec="seconds"),
            "resource_type": "plain" if tamper == "resource_type" else "encrypt-resource",
            "event_type": event_type, "summary": summary,
            "resource": {
                "original_type": original_type,
                "algorithm": "AEAD_AES_128_CBC" if tamper == "algorithm" else "AEAD_AES_256_GCM",
                "ciphertext": base64.b64encode(ciphertext).decode(), "associated_data": aad, "nonce": nonce,
            },
        }
        body = b"{not json" if tamper == "not_json" else json.dumps(envelope, ensure_ascii=False).encode()
        at = created - timedelta(minutes=6) if tamper == "stale" else created
        timestamp, sig_nonce = str(int(at.timestamp())), secrets.token_hex(16)
        signer = self.keys.other if tamper == "wrong_key" else self.keys.platform
        signature = _sign(signer, f"{timestamp}\n{sig_nonce}\n".encode() + body + b"\n")
        if tamper == "probe":  # WeChat's "签名探测流量": a signature that cannot verify
            signature = "WECHATPAY/SIGNTEST/" + base64.b64encode(secrets.token_bytes(64)).decode()
        if tamper == "body":  # changed after signing
            body = body.replace(summary.encode(), "已篡改".encode())
        headers = {
            "Wechatpay-Serial": "PUB_KEY_ID_0000000000000000000000" if tamper == "wrong_serial" else PUB_KEY_ID,
            "Wechatpay-Signature": signature, "Wechatpay-Timestamp": timestamp, "Wechatpay-Nonce": sig_nonce,
            "Wechatpay-Signature-Type": "WECHATPAY2-SHA256-RSA4096" if tamper == "signature_type"
            else "WECHATPAY2-SHA256-RSA2048",
            "Content-Type": "application/json",
        }
        return headers, body

    # --- routing -----------------------------------------------------------------------------------------

    def _route(self, request: Request) -> Response:
        for desk in self.desks:  # transfers, refunds… (tests/support/fake_wechatpay_*.py)
            answer = desk(request)
            if answer is not None:
                return answer
        path = request.path
        prefix = "/v3/pay/transactions/out-trade-no/"
        if (request.method, path) == ("POST", "/v3/pay/transactions/app"):
            return self._prepay(json.loads(request.body))
        if request.method == "GET" and path.startswith(prefix):
            if request.query.get("mchid") != [MCHID]:
                return error(400, "PARAM_ERROR", "mchid is required")
            order = self.orders.get(unquote(path[len(prefix):]))
            return _json(self.transaction(order)) if order else error(404, "ORDER_NOT_EXIST", "订单不存在")
        if request.method == "POST" and path.startswith(prefix) and path.endswith("/close"):
            if json.loads(request.body) != {"mchid": MCHID}:
                return error(400, "PARAM_ERROR", "mchid is required")
            order = self.orders.get(unquote(path[len(prefix):-len("/close")]))
            if order is None:
                return error(404, "ORDER_NOT_EXIST", "订单不存在")  # WeChat's answer here is unconfirmed
            if order.trade_state in ("SUCCESS", "REFUND"):
                return error(400, "ORDERPAID", "订单已支付")
            if order.trade_state == "CLOSED":
                return error(400, "ORDER_CLOSED", "订单已关闭")  # unconfirmed too; WeChat may answer 204
            order.trade_state = "CLOSED"
            return Response(204, b"", {})
        return error(404, "RESOURCE_NOT_EXISTS", "无此接口")

    def _prepay(self, body: dict[str, Any]) -> Response:
        amount = body.get("amount") or {}
        required = ("appid", "mchid", "description", "out_trade_no", "notify_url")
        if any(not isinstance(body.get(name), str) or not body[name] for name in required) \
                or (body["appid"], body["mchid"]) != (APPID, MCHID) or len(body["description"]) > 127 \
                or type(amount.get("total")) is not int or amount["total"] <= 0 or amount.get("currency") != "CNY":
            return error(400, "PARAM_ERROR", "参数错误")
        if "time_expire" in body and not str(body["time_expire"]).endswith("+08:00"):
            return error(400, "PARAM_ERROR", "time_expire 格式错误")
        order = self.orders.get(body["out_trade_no"])
        if order is not None and order.trade_state in ("SUCCESS", "REFUND"):
            return error(400, "ORDERPAID", "该订单已支付")
        if order is not None and order.trade_state == "CLOSED":
            return error(400, "ORDER_CLOSED", "订单已关闭")
        if order is not None and order.body != body:
            return error(400, "OUT_TRADE_NO_USED", "商户订单号重复")
        if order is None:
            order = self.add_order(body["out_trade_no"], amount["total"])
            order.body = body
        return _json({"prepay_id": "wx" + secrets.token_hex(16)})

    # --- signatures --------------------------------------------------------------------------------------

    def _authenticate(self, request: Request) -> str | None:
        """Why our Authorization is wrong, or None: schema, mchid, serial, then the RSA signature."""
        schema, _, rest = request.headers.get("authorization", "").partition(" ")
        fields = dict(p.split("=", 1) for p in rest.split(",") if "=" in p)
        fields = {k.strip(): v.strip().strip('"') for k, v in fields.items()}
        if schema != "WECHATPAY2-SHA256-RSA2048" or not {"mchid", "nonce_str", "signature", "timestamp",
                                                         "serial_no"} <= fields.keys():
            return "authorization header malformed"
        if fields["mchid"] != MCHID or fields["serial_no"] != MERCHANT_SERIAL:
            return "unknown merchant or certificate serial"
        if request.headers.get("wechatpay-serial") != PUB_KEY_ID:
            return "Wechatpay-Serial is not the platform public key id"
        query = urlencode(request.query, doseq=True)
        target = request.path + (f"?{query}" if query else "")
        message = f"{request.method}\n{target}\n{fields['timestamp']}\n{fields['nonce_str']}\n".encode() \
            + request.body + b"\n"
        try:
            self.keys.merchant.public_key().verify(
                base64.b64decode(fields["signature"]), message, padding.PKCS1v15(), hashes.SHA256())
        except (InvalidSignature, ValueError):
            return "signature does not verify"
        return None

    def _signed(self, response: Response) -> Response:
        if self.sign_with == "none":
            return response
        payload = response.body.encode() if isinstance(response.body, str) else response.body
        timestamp, nonce = str(int(self.now().timestamp())), secrets.token_hex(16)
        key = self.keys.other if self.sign_with == "other" else self.keys.platform
        headers = dict(response.headers) | {
            "Request-ID": secrets.token_hex(8), "Wechatpay-Serial": self.answer_serial,
            "Wechatpay-Timestamp": timestamp,
            "Wechatpay-Nonce": nonce, "Wechatpay-Signature-Type": "WECHATPAY2-SHA256-RSA2048",
            "Wechatpay-Signature": _sign(key, f"{timestamp}\n{nonce}\n".encode() + payload + b"\n"),
        }
        return attrs.evolve(response, headers=headers)


_DESCRIPTIONS = {"SUCCESS": "支付成功", "NOTPAY": "未支付", "CLOSED": "已关闭", "REFUND": "转入退款",
                 "USERPAYING": "用户支付中", "REVOKED": "已撤销", "PAYERROR": "支付失败"}


def error(status: int, code: str, message: str) -> Response:
    """WeChat's error shape (§3.6)."""
    return _json({"code": code, "message": message}, status)


def _json(document: dict[str, Any], status: int = 200) -> Response:
    return Response(status, json.dumps(document, ensure_ascii=False).encode())


def _sign(key: rsa.RSAPrivateKey, message: bytes) -> str:
    return base64.b64encode(key.sign(message, padding.PKCS1v15(), hashes.SHA256())).decode()


def _pem(key: rsa.RSAPrivateKey) -> str:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption()).decode()
