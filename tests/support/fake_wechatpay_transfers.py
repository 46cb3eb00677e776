"""商家转账 (transfer bills, user-confirmation mode) for the WeChat Pay fake, plugged in as one of its desks.

Written from WeChat's pages, apart from the adapter (sources in adapters/payments/wechatpay_transfers.py):
- `POST /v3/fund-app/mch-transfer/transfer-bills`: checks appid, out_bill_no ([0-9A-Za-z]{5,32}), the scene and
  the report infos it demands (PARAM_ERROR "需传入转账场景报备信息,请检查" otherwise), transfer_remark ≤32,
  user_name required from 200000 fen and decrypted with the platform PRIVATE key (RSA-OAEP SHA-1: only a
  correctly encrypted name passes). A repeated out_bill_no with the same content answers the same bill
  (with its package_info while it waits); different content is 400 INVALID_REQUEST "单号已存在但信息不一致".
  `balance` short → 403 NOT_ENOUGH, no bill. New bills wait for the payee (WAIT_USER_CONFIRM + package_info)
  unless the openid is frozen (FAIL ACCOUNT_FROZEN) or the name does not match the payee's (FAIL NAME_NOT_CORRECT).
- `GET …/transfer-bills/out-bill-no/{no}`: the bill (no package_info) or 404 NOT_FOUND.

    desk = TransferDesk(fake)          # registers itself on the FakeWeChatPay
    desk.confirm("WD20261124000001")   # the payee taps 确认收款 in WeChat
"""
from __future__ import annotations

import base64
import itertools
import json
import re
import secrets
from typing import Any
from urllib.parse import unquote

import attrs
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding

from tests.support.fake_wechatpay import APPID, BEIJING, MCHID, FakeWeChatPay, _json, error
from tests.support.http_server import Request, Response

PATH = "/v3/fund-app/mch-transfer/transfer-bills"
SCENES = {"1000": ("活动名称", "奖励说明"), "1005": ("岗位类型", "报酬说明")}
NAME_REQUIRED_FROM = 200_000  # fen


@attrs.define
class FakeBill:
    out_bill_no: str
    transfer_bill_no: str
    openid: str
    amount: int
    remark: str
    state: str
    content: dict[str, Any]  # the request, name decrypted: what a repeat must match
    package_info: str | None = None
    fail_reason: str | None = None
    create_time: str = ""


class TransferDesk:
    """The fake merchant's transfer bills. Knobs: `balance` (fen, None: unlimited), `payees` (openid → real
    name, checked when a name is sent), `frozen` (openids whose accounts are frozen)."""

    def __init__(self, fake: FakeWeChatPay) -> None:
        self.fake = fake
        self.bills: dict[str, FakeBill] = {}
        self.balance: int | None = None
        self.payees: dict[str, str] = {}
        self.frozen: set[str] = set()
        self.name_errors: list[str] = []
        self._numbers = itertools.count(1)
        fake.desks.append(self)

    def __call__(self, request: Request) -> Response | None:
        if (request.method, request.path) == ("POST", PATH):
            return self._create(json.loads(request.body))
        prefix = f"{PATH}/out-bill-no/"
        if request.method == "GET" and request.path.startswith(prefix):
            bill = self.bills.get(unquote(request.path[len(prefix):]))
            return _json(self.document(bill)) if bill else error(404, "NOT_FOUND", "记录不存在")
        return None

    # --- payee and WeChat actions -------------------------------------------------------------------------

    def confirm(self, out_bill_no: str) -> FakeBill:
        """The payee confirms receipt: the money arrives."""
        bill = self.bills[out_bill_no]
        assert bill.state == "WAIT_USER_CONFIRM", bill.state
        bill.state, bill.package_info = "SUCCESS", None
        return bill

    def finish(self, out_bill_no: str, state: str, fail_reason: str | None = None) -> FakeBill:
        """WeChat moves the bill on (e.g. FAIL/OVERDUE_CLOSE after 24 h unconfirmed, CANCELLED, TRANSFERING)."""
        bill = self.bills[out_bill_no]
        bill.state, bill.fail_reason = state, fail_reason
        if state != "WAIT_USER_CONFIRM":
            bill.package_info = None
        return bill

    def paid(self, openid: str) -> int:
        """Fen that reached this payee."""
        return sum(b.amount for b in self.bills.values() if b.openid == openid and b.state == "SUCCESS")

    def document(self, bill: FakeBill) -> dict[str, Any]:
        """The query answer (no package_info there, as documented)."""
        document = {"mch_id": MCHID, "out_bill_no": bill.out_bill_no, "transfer_bill_no": bill.transfer_bill_no,
                    "appid": APPID, "state": bill.state, "transfer_amount": bill.amount,
                    "transfer_remark": bill.remark, "openid": bill.openid, "create_time": bill.create_time,
                    "update_time": bill.create_time}
        if bill.fail_reason:
            document["fail_reason"] = bill.fail_reason
        return document

    # --- the API ------------------------------------------------------------------------------------------

    def _create(self, body: dict[str, Any]) -> Response:
        refusal = self._check(body)
        if refusal is not None:
            return refusal
        content = dict(body, user_name=self._name(body.get("user_name")))
        if content["user_name"] is False:
            return error(400, "PARAM_ERROR", "收款用户姓名解密失败")
        bill = self.bills.get(body["out_bill_no"])
        if bill is not None:
            if bill.content != content:
                return error(400, "INVALID_REQUEST", "单号已存在但信息不一致,请查单后比较确认")
            return self._answer(bill)
        amount = body["transfer_amount"]
        if self.balance is not None and amount > self.balance:
            return error(403, "NOT_ENOUGH", "商户账户资金不足,请充值后原单重试,请勿更换商户单号")
        if self.balance is not None:
            self.balance -= amount
        bill = FakeBill(body["out_bill_no"], f"1330000{next(self._numbers):025d}", body["openid"], amount,
                        body["transfer_remark"], "WAIT_USER_CONFIRM", content,
                        package_info=base64.b64encode(secrets.token_bytes(48)).decode(),
                        create_time=self.fake.now().astimezone(BEIJING).isoformat(timespec="seconds"))
        expected = self.payees.get(bill.openid)
        if bill.openid in self.frozen:
            bill.state, bill.fail_reason, bill.package_info = "FAIL", "ACCOUNT_FROZEN", None
        elif content["user_name"] is not None and expected is not None and content["user_name"] != expected:
            bill.state, bill.fail_reason, bill.package_info = "FAIL", "NAME_NOT_CORRECT", None
        self.bills[bill.out_bill_no] = bill
        return self._answer(bill)

    def _check(self, body: dict[str, Any]) -> Response | None:
        """PARAM_ERROR for anything WeChat's validation refuses."""
        scene = SCENES.get(body.get("transfer_scene_id"))
        infos = body.get("transfer_scene_report_infos") or []
        reported = [i.get("info_type") for i in infos if isinstance(i, dict) and i.get("info_content")]
        amount = body.get("transfer_amount")
        if body.get("appid") != APPID or not re.fullmatch(r"[0-9A-Za-z]{5,32}", str(body.get("out_bill_no"))) \
                or not isinstance(body.get("openid"), str) or type(amount) is not int or amount <= 0 \
                or not isinstance(body.get("transfer_remark"), str) or len(body["transfer_remark"]) > 32:
            return error(400, "PARAM_ERROR", "参数错误")
        if scene is None:
            return error(400, "PARAM_ERROR", "转账场景ID不存在或未开通")
        if sorted(reported) != sorted(scene):
            return error(400, "PARAM_ERROR", "需传入转账场景报备信息,请检查")
        if amount >= NAME_REQUIRED_FROM and not body.get("user_name"):
            return error(400, "PARAM_ERROR", "转账金额>=2000元时,收款用户姓名必填")
        return None

    def _name(self, encrypted: Any) -> str | None | bool:
        """The decrypted user_name, None when absent, False when it does not decrypt with the platform key."""
        if encrypted is None:
            return None
        try:
            plain = self.fake.keys.platform.decrypt(
                base64.b64decode(encrypted, validate=True),
                padding.OAEP(mgf=padding.MGF1(hashes.SHA1()), algorithm=hashes.SHA1(), label=None))
            return plain.decode("utf-8")
        except (ValueError, TypeError):
            self.name_errors.append("user_name does not decrypt")
            return False

    @staticmethod
    def _answer(bill: FakeBill) -> Response:
        document = {"out_bill_no": bill.out_bill_no, "transfer_bill_no": bill.transfer_bill_no,
                    "create_time": bill.create_time, "state": bill.state}
        if bill.package_info:
            document["package_info"] = bill.package_info
        if bill.fail_reason:
            document["fail_reason"] = bill.fail_reason
        return _json(document)
