"""A local fake of the Alipay open gateway (`alipay.trade.query` / `alipay.trade.close`) and its notifications.

It holds the "Alipay" key pair (signs responses and notifications) and knows our app's PUBLIC key (verifies
our request signatures, refusing bad ones as Alipay does). Signing code is its own, written from the
contract (external-contracts.md §4) apart from the adapter's, so a bug in one cannot cancel out the other.
Trades exist only once the payer "opened the cashier" (`open_cashier`) or paid (`pay`). Certificate mode
(fake_alipay_certs.py) and desks for more methods (fake_alipay_funds.py: transfers, refunds) plug in.
"""
from __future__ import annotations

import base64
import functools
import itertools
import json
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any, Callable, Literal
from urllib.parse import parse_qsl, urlencode

import attrs
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from adapters.payments.alipay import AlipayConfig
from skyriff_domain.money import Cny
from tests.support.http_server import PATIENT_TIMEOUT, FakeHttpServer, Request, Response

if TYPE_CHECKING:
    from tests.support.fake_alipay_certs import FakeAlipayCerts

APP_ID = "2021000000000001"
SELLER_ID = "2088000000000001"
BEIJING = timezone(timedelta(hours=8))  # China has no DST: a fixed offset is exact here
Tamper = Literal["forged", "wrong_key", "wrong_app_id", "wrong_seller_id", "amount", "unsigned", "sign_type"]


@attrs.frozen
class AlipayKeys:
    """PEM strings: our app's pair, Alipay's pair, and a stranger's private key (for wrong-key forgeries)."""

    app_private_pem: str = attrs.field(repr=False)
    app_public_pem: str
    alipay_private_pem: str = attrs.field(repr=False)
    alipay_public_pem: str
    stranger_private_pem: str = attrs.field(repr=False)


def _pair() -> tuple[str, str]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption()).decode()
    public = key.public_key().public_bytes(serialization.Encoding.PEM,
                                           serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    return private, public


def make_alipay_keys() -> AlipayKeys:
    """Three fresh 2048-bit RSA keys (~0.1-0.5 s): make them once per test module and share them."""
    app, alipay, stranger = _pair(), _pair(), _pair()
    return AlipayKeys(app[0], app[1], alipay[0], alipay[1], stranger[0])


@functools.cache
def _private(pem: str) -> rsa.RSAPrivateKey:
    return serialization.load_pem_private_key(pem.encode(), password=None)  # type: ignore[return-value]


def rsa2_sign(private_pem: str, text: str) -> str:
    """base64(SHA256withRSA, PKCS#1 v1.5) of the UTF-8 `text`."""
    raw = _private(private_pem).sign(text.encode(), padding.PKCS1v15(), hashes.SHA256())
    return base64.b64encode(raw).decode()


def rsa2_verify(public_pem: str, text: str, signature: str) -> bool:
    key = serialization.load_pem_public_key(public_pem.encode())
    assert isinstance(key, rsa.RSAPublicKey)
    try:
        key.verify(base64.b64decode(signature), text.encode(), padding.PKCS1v15(), hashes.SHA256())
    except (InvalidSignature, ValueError):
        return False
    return True


def request_signing_text(params: dict[str, str]) -> str:
    """§4.2: every param but `sign` and empty ones, sorted, raw `k=v` joined by `&` (sign_type included)."""
    return "&".join(f"{k}={v}" for k, v in sorted(params.items()) if k != "sign" and v != "")


def notify_signing_text(params: dict[str, str]) -> str:
    """§4.3: every param but `sign` and `sign_type` (empty ones kept), sorted, raw `k=v` joined by `&`."""
    return "&".join(f"{k}={v}" for k, v in sorted(params.items()) if k not in ("sign", "sign_type"))


@attrs.define
class Trade:
    amount: str  # yuan, two decimals
    status: str  # WAIT_BUYER_PAY, TRADE_SUCCESS, TRADE_FINISHED, TRADE_CLOSED
    trade_no: str
    paid_at: str | None = None  # Beijing wall clock


class FakeAlipay:
    """The gateway at `url`; use as a context manager. Knobs for tests:

    - `outage`: a Response served instead of any answer (HTTP 500, a `delay` for timeouts);
    - `layout = "loose"`: responses with `sign` first, a decoy member, odd spacing, keys in another order;
    - `response_signer = "stranger"`: responses signed with the wrong key;
    - `delay_after`: seconds to stall an answer AFTER acting on the request (the effect happened, the answer is
      lost to a client timeout);
    - `certs` (fake_alipay_certs.make_alipay_certs): public-key-certificate mode, required for fund transfers
      (资金支出类接口): requests must carry the right app_cert_sn and alipay_root_cert_sn, answers carry
      alipay_cert_sn. `desks` add methods (fake_alipay_funds.py: transfers and refunds).
    """

    CERT_ONLY_METHODS = frozenset({"alipay.fund.trans.uni.transfer", "alipay.fund.trans.common.query"})

    def __init__(self, keys: AlipayKeys, *, app_id: str = APP_ID, seller_id: str = SELLER_ID,
                 certs: "FakeAlipayCerts | None" = None) -> None:
        self.keys = keys
        self.certs = certs
        self.desks: list[Callable[[str, dict[str, Any]], dict[str, Any] | None]] = []
        self.delay_after = 0.0
        self.app_id = app_id
        self.seller_id = seller_id
        self.trades: dict[str, Trade] = {}
        self.outage: Response | None = None
        self.layout: Literal["compact", "loose"] = "compact"
        self.response_signer: Literal["alipay", "stranger"] = "alipay"
        self.now = datetime(2026, 1, 15, 10, 5, tzinfo=BEIJING)
        self._trade_numbers = itertools.count(1)
        self.server = FakeHttpServer(self._handle)

    def __enter__(self) -> "FakeAlipay":
        self.server.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.__exit__(*exc)

    @property
    def url(self) -> str:
        return f"{self.server.url}/gateway.do"

    @property
    def requests(self) -> list[Request]:
        return self.server.requests

    def config(self, notify_url: str = "https://api.skyriff.test/v1/payments/callback/alipay",
               **overrides: Any) -> AlipayConfig:
        """An AlipayConfig for our app that talks to this fake and trusts its key."""
        values = dict(app_id=self.app_id, app_private_key_pem=self.keys.app_private_pem,
                      alipay_public_key_pem=self.keys.alipay_public_pem, notify_url=notify_url,
                      gateway_url=self.url, seller_id=self.seller_id, timeout=PATIENT_TIMEOUT)
        if self.certs is not None:  # certificate mode: Alipay's key comes from its certificate
            values.update(alipay_public_key_pem="", app_cert_pem=self.certs.app_cert_pem,
                          alipay_cert_pem=self.certs.alipay_cert_pem, alipay_root_cert_pem=self.certs.root_bundle_pem)
        return AlipayConfig(**{**values, **overrides})

    # --- payer actions -----------------------------------------------------------------------------

    def open_cashier(self, out_trade_no: str, amount: Cny | str) -> Trade:
        """The payer opened the Alipay cashier: the trade now exists, waiting for payment."""
        trade = Trade(_yuan(amount), "WAIT_BUYER_PAY", f"20260115220014{next(self._trade_numbers):014d}")
        self.trades[out_trade_no] = trade
        return trade

    def pay(self, out_trade_no: str, amount: Cny | str | None = None) -> Trade:
        """The payer paid (opening the cashier first if needed)."""
        trade = self.trades.get(out_trade_no) or self.open_cashier(out_trade_no, amount or "0.01")
        trade.status, trade.paid_at = "TRADE_SUCCESS", self.now.strftime("%Y-%m-%d %H:%M:%S")
        return trade

    def check_order_string(self, order_string: str) -> dict[str, str]:
        """What the Alipay app SDK does: decode the order string and verify our app's signature (AssertionError)."""
        params = dict(parse_qsl(order_string, keep_blank_values=True, strict_parsing=True))
        assert rsa2_verify(self.keys.app_public_pem, request_signing_text(params), params["sign"]), "bad sign"
        return params

    # --- notifications -----------------------------------------------------------------------------

    def notification(self, out_trade_no: str, *, trade_status: str = "TRADE_SUCCESS", amount: Cny | str | None = None,
                     tamper: Tamper | None = None) -> bytes:
        """The form body Alipay POSTs to notify_url for this trade, signed with Alipay's key unless tampered."""
        trade = self.trades.get(out_trade_no)
        total = _yuan(amount) if amount is not None else trade.amount if trade else "0.01"
        params = {
            "notify_time": self.now.strftime("%Y-%m-%d %H:%M:%S"), "notify_type": "trade_status_sync",
            "notify_id": f"ac05099524730693a8b330c5ecf72da{next(self._trade_numbers)}", "charset": "utf-8",
            "version": "1.0", "sign_type": "RSA2", "app_id": self.app_id, "seller_id": self.seller_id,
            "trade_no": trade.trade_no if trade else "2026011522001400000000009999",
            "out_trade_no": out_trade_no, "trade_status": trade_status, "total_amount": total,
            "receipt_amount": total, "buyer_id": "2088102122524333", "buyer_logon_id": "159****5620",
            "subject": "积分充值 & more=yes+1 100%", "gmt_create": "2026-01-15 10:00:30",
            "fund_bill_list": json.dumps([{"amount": total, "fundChannel": "ALIPAYACCOUNT"}]),
            "passback_params": "",  # empty values are signed too
        }
        if trade_status in ("TRADE_SUCCESS", "TRADE_FINISHED"):
            params["gmt_payment"] = trade.paid_at if trade and trade.paid_at else "2026-01-15 10:01:00"
        if trade_status == "TRADE_CLOSED":
            params["gmt_close"] = "2026-01-15 10:30:00"
        if tamper == "wrong_app_id":
            params["app_id"] = "2021000000009999"
        if tamper == "wrong_seller_id":
            params["seller_id"] = "2088000000009999"
        if tamper == "sign_type":
            params["sign_type"] = "RSA"
        signer = self.keys.stranger_private_pem if tamper == "wrong_key" else self.keys.alipay_private_pem
        params["sign"] = rsa2_sign(signer, notify_signing_text(params))
        if tamper == "forged":
            params["sign"] = rsa2_sign(signer, notify_signing_text(params) + "x")
        if tamper == "amount":  # changed in transit, after Alipay signed it
            params["total_amount"] = f"{Cny.of(total).minor // 100 + 1}.00"
        if tamper == "unsigned":
            del params["sign"]
        return urlencode(params).encode()

    # --- the gateway -------------------------------------------------------------------------------

    def _handle(self, request: Request) -> Response:
        if self.outage is not None:
            return self.outage
        params = {k: v[-1] for k, v in request.query.items()}
        if request.method == "POST" and request.body:
            params.update(parse_qsl(request.body.decode(), keep_blank_values=True))
        if not rsa2_verify(self.keys.app_public_pem, request_signing_text(params), params.get("sign", "")):
            return _error("40002", "Invalid Arguments", "isv.invalid-signature")
        if params.get("app_id") != self.app_id:
            return _error("40002", "Invalid Arguments", "isv.invalid-app-id")
        try:
            datetime.strptime(params.get("timestamp", ""), "%Y-%m-%d %H:%M:%S")
            biz = json.loads(params["biz_content"])
        except (KeyError, ValueError):
            return _error("40002", "Invalid Arguments", "isv.invalid-timestamp-or-biz-content")
        out_trade_no = biz.get("out_trade_no")
        method = params.get("method", "")
        refusal = self._check_certs(method, params)
        if refusal is not None:
            return refusal
        if method == "alipay.trade.query":
            return self._signed(method, self._query(out_trade_no))
        if method == "alipay.trade.close":
            return self._signed(method, self._close(out_trade_no))
        for desk in self.desks:
            inner = desk(method, biz)
            if inner is not None:
                return attrs.evolve(self._signed(method, inner), delay=self.delay_after)
        return _error("40002", "Invalid Arguments", "isv.invalid-method")

    def _check_certs(self, method: str, params: dict[str, str]) -> Response | None:
        """Certificate mode: both SNs must be right; without it, fund transfers are refused (sub_code unconfirmed)."""
        if self.certs is None:
            if method in self.CERT_ONLY_METHODS or "app_cert_sn" in params:
                return _error("40002", "Invalid Arguments", "isv.missing-app-cert-sn")
            return None
        if params.get("app_cert_sn") != self.certs.app_cert_sn:
            return _error("40002", "Invalid Arguments", "isv.invalid-app-cert-sn")
        if params.get("alipay_root_cert_sn") != self.certs.root_cert_sn:
            return _error("40002", "Invalid Arguments", "isv.invalid-alipay-root-cert-sn")
        return None

    def _query(self, out_trade_no: str) -> dict[str, Any]:
        trade = self.trades.get(out_trade_no)
        if trade is None:
            return {"code": "40004", "msg": "Business Failed", "sub_code": "ACQ.TRADE_NOT_EXIST",
                    "sub_msg": "交易不存在", "out_trade_no": out_trade_no, "buyer_pay_amount": "0.00"}
        inner = {"code": "10000", "msg": "Success", "trade_no": trade.trade_no, "out_trade_no": out_trade_no,
                 "buyer_logon_id": "159****5620", "trade_status": trade.status, "total_amount": trade.amount,
                 "buyer_pay_amount": trade.amount if trade.paid_at else "0.00", "receipt_amount": trade.amount}
        if trade.paid_at:
            inner["send_pay_date"] = trade.paid_at
        return inner

    def _close(self, out_trade_no: str) -> dict[str, Any]:
        trade = self.trades.get(out_trade_no)
        if trade is None:
            return {"code": "40004", "msg": "Business Failed", "sub_code": "ACQ.TRADE_NOT_EXIST",
                    "sub_msg": "交易不存在"}
        if trade.status != "WAIT_BUYER_PAY":  # paid, finished or already closed: Alipay says the same
            return {"code": "40004", "msg": "Business Failed", "sub_code": "ACQ.TRADE_STATUS_ERROR",
                    "sub_msg": "交易状态不合法"}
        trade.status = "TRADE_CLOSED"
        return {"code": "10000", "msg": "Success", "trade_no": trade.trade_no, "out_trade_no": out_trade_no}

    def _signed(self, method: str, inner: dict[str, Any]) -> Response:
        name = method.replace(".", "_") + "_response"
        signer = self.keys.stranger_private_pem if self.response_signer == "stranger" else self.keys.alipay_private_pem
        if self.layout == "compact":
            raw = json.dumps(inner, ensure_ascii=False, separators=(",", ":"))
            sign = rsa2_sign(signer, raw)
            cert_sn = f',"alipay_cert_sn":"{self.certs.alipay_cert_sn}"' if self.certs else ""
            body = f'{{"{name}":{raw}{cert_sn},"sign":"{sign}"}}'
        else:  # keys reversed, odd spacing, a string holding braces and the member name before the real one
            inner = {**dict(reversed(list(inner.items()))), "note": 'a "quoted" } { \\ 值'}
            raw = json.dumps(inner, ensure_ascii=False, indent=3, separators=(" ,", " :  "))
            sign = rsa2_sign(signer, raw)
            decoy = json.dumps(f'"{name}":{{"code":"10000"}}')
            body = f'{{\n  "sign" : "{sign}" ,\n  "decoy":{decoy},\t"{name}" :\n{raw}  \n}}\n'
        return Response(200, body.encode(), {"Content-Type": "text/html;charset=utf-8"})


def _error(code: str, msg: str, sub_code: str) -> Response:
    """A gateway refusal: `error_response`, unsigned (as Alipay may send it)."""
    body = {"error_response": {"code": code, "msg": msg, "sub_code": sub_code, "sub_msg": "参数无效"}}
    return Response(200, json.dumps(body, ensure_ascii=False).encode())


def _yuan(amount: Cny | str) -> str:
    return f"{amount.to_decimal():.2f}" if isinstance(amount, Cny) else amount
