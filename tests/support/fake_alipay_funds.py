"""Transfers (单笔转账) and refunds for the Alipay fake, plugged in as one of its desks.

Written from Alipay's API pages and SDK models, apart from the adapters (sources in
adapters/payments/alipay_transfers.py and alipay_refunds.py):
- `alipay.fund.trans.uni.transfer`: product_code TRANS_ACCOUNT_NO_PWD, biz_scene DIRECT_TRANSFER, trans_amount
  (yuan, 2 decimals, ≥0.10), order_title, payee_info {identity, identity_type ALIPAY_LOGON_ID, name (required
  for logon ids)}. Business refusals (40004): PAYEE_NOT_EXIST, PAYEE_USER_INFO_ERROR (name mismatch),
  PAYER_BALANCE_NOT_ENOUGH, PAYMENT_INFO_INCONSISTENCY (same out_biz_no, other content), INVALID_PARAMETER,
  SYSTEM_ERROR; a refused transfer leaves no order. The same out_biz_no with the same content answers the
  same order. New transfers are SUCCESS (or DEALING with `dealing`).
- `alipay.fund.trans.common.query`: the order (status, order_id, pay_fund_order_id, fail_reason, error_code)
  or 40004 ORDER_NOT_EXIST.
- `alipay.trade.refund`: needs a paid trade (ACQ.TRADE_NOT_EXIST / ACQ.TRADE_STATUS_ERROR), at most what was
  paid (ACQ.REASON_TRADE_REFUND_FEE_ERR); a repeated out_request_no with the same amount answers 10000
  fund_change "N", another amount ACQ.DISCORDANT_REPEAT_REQUEST; `balance` short → ACQ.SELLER_BALANCE_NOT_ENOUGH.
  refund_fee is the trade's total refunded so far.
- `alipay.trade.fastpay.refund.query`: refund_status REFUND_SUCCESS with refund_amount; without that refund,
  10000 and no refund_status; an unknown trade ACQ.TRADE_NOT_EXIST.
"""
from __future__ import annotations

import itertools
import re
from decimal import Decimal
from typing import Any

import attrs

from tests.support.fake_alipay import FakeAlipay

_YUAN = re.compile(r"\d{1,10}\.\d{2}")
_SUCCESS = {"code": "10000", "msg": "Success"}


def _failed(sub_code: str, sub_msg: str, **extra: Any) -> dict[str, Any]:
    return {"code": "40004", "msg": "Business Failed", "sub_code": sub_code, "sub_msg": sub_msg, **extra}


@attrs.define
class FakeTransfer:
    out_biz_no: str
    order_id: str
    pay_fund_order_id: str
    amount: str
    identity: str
    content: dict[str, Any]
    status: str = "SUCCESS"
    fail_reason: str | None = None
    error_code: str | None = None


@attrs.define
class FakeAlipayRefund:
    out_trade_no: str
    out_request_no: str
    amount: str
    reason: str


class FundsDesk:
    """Knobs: `payees` (logon id → real name; others do not exist), `balance` (yuan Decimal, None: unlimited),
    `dealing` (new transfers answer DEALING), `next_answer` (answer the next call with this signed inner object,
    e.g. a SYSTEM_ERROR, without acting on it)."""

    def __init__(self, fake: FakeAlipay) -> None:
        self.fake = fake
        self.transfers: dict[str, FakeTransfer] = {}
        self.refunds: dict[tuple[str, str], FakeAlipayRefund] = {}
        self.payees: dict[str, str] = {}
        self.balance: Decimal | None = None
        self.dealing = False
        self.next_answer: dict[str, Any] | None = None
        self._numbers = itertools.count(1)
        fake.desks.append(self)

    def __call__(self, method: str, biz: dict[str, Any]) -> dict[str, Any] | None:
        handler = {"alipay.fund.trans.uni.transfer": self._transfer, "alipay.fund.trans.common.query": self._query,
                   "alipay.trade.refund": self._refund,
                   "alipay.trade.fastpay.refund.query": self._refund_query}.get(method)
        if handler is None:
            return None
        if self.next_answer is not None:
            answer, self.next_answer = self.next_answer, None
            return answer
        return handler(biz)

    def paid(self, identity: str) -> Decimal:
        return sum((Decimal(t.amount) for t in self.transfers.values()
                    if t.identity == identity and t.status == "SUCCESS"), Decimal(0))

    def refunded(self, out_trade_no: str) -> Decimal:
        return sum((Decimal(r.amount) for r in self.refunds.values() if r.out_trade_no == out_trade_no), Decimal(0))

    def finish(self, out_biz_no: str, status: str, error_code: str | None = None, fail_reason: str | None = None):
        transfer = self.transfers[out_biz_no]
        transfer.status, transfer.error_code, transfer.fail_reason = status, error_code, fail_reason
        return transfer

    # --- transfers ------------------------------------------------------------------------------------------

    def _transfer(self, biz: dict[str, Any]) -> dict[str, Any]:
        payee = biz.get("payee_info") or {}
        amount = str(biz.get("trans_amount", ""))
        if biz.get("product_code") != "TRANS_ACCOUNT_NO_PWD" or biz.get("biz_scene") != "DIRECT_TRANSFER" \
                or not biz.get("out_biz_no") or not _YUAN.fullmatch(amount) or Decimal(amount) < Decimal("0.10") \
                or not biz.get("order_title") or payee.get("identity_type") != "ALIPAY_LOGON_ID" \
                or not payee.get("identity") or not payee.get("name"):
            return _failed("INVALID_PARAMETER", "参数有误")
        existing = self.transfers.get(biz["out_biz_no"])
        if existing is not None:
            if existing.content != biz:
                return _failed("PAYMENT_INFO_INCONSISTENCY", "两次请求商户单号一样，但是参数不一致")
            return self._answer(existing)
        expected = self.payees.get(payee["identity"])
        if expected is None:
            return _failed("PAYEE_NOT_EXIST", "收款账号不存在")
        if expected != payee["name"]:
            return _failed("PAYEE_USER_INFO_ERROR", "支付宝账号和姓名不匹配，请确认姓名是否正确")
        if self.balance is not None and Decimal(amount) > self.balance:
            return _failed("PAYER_BALANCE_NOT_ENOUGH", "付款方余额不足")
        if self.balance is not None:
            self.balance -= Decimal(amount)
        number = next(self._numbers)
        transfer = FakeTransfer(biz["out_biz_no"], f"20261124110070000006{number:010d}",
                                f"20261124110070001506{number:010d}", amount, payee["identity"], biz,
                                status="DEALING" if self.dealing else "SUCCESS")
        self.transfers[transfer.out_biz_no] = transfer
        return self._answer(transfer)

    def _answer(self, transfer: FakeTransfer) -> dict[str, Any]:
        return {**_SUCCESS, "out_biz_no": transfer.out_biz_no, "order_id": transfer.order_id,
                "pay_fund_order_id": transfer.pay_fund_order_id, "status": transfer.status,
                "trans_date": self.fake.now.strftime("%Y-%m-%d %H:%M:%S")}

    def _query(self, biz: dict[str, Any]) -> dict[str, Any]:
        if biz.get("product_code") != "TRANS_ACCOUNT_NO_PWD" or biz.get("biz_scene") != "DIRECT_TRANSFER":
            return _failed("INVALID_PARAMETER", "参数有误")  # both are required with out_biz_no
        transfer = self.transfers.get(biz.get("out_biz_no", ""))
        if transfer is None:
            return _failed("ORDER_NOT_EXIST", "转账订单不存在")
        inner = {**_SUCCESS, "order_id": transfer.order_id, "out_biz_no": transfer.out_biz_no,
                 "status": transfer.status, "pay_fund_order_id": transfer.pay_fund_order_id}
        if transfer.status == "SUCCESS":
            inner |= {"trans_amount": transfer.amount, "pay_date": self.fake.now.strftime("%Y-%m-%d %H:%M:%S")}
        if transfer.fail_reason:
            inner |= {"fail_reason": transfer.fail_reason, "error_code": transfer.error_code}
        return inner

    # --- refunds --------------------------------------------------------------------------------------------

    def _refund(self, biz: dict[str, Any]) -> dict[str, Any]:
        out_trade_no, amount = biz.get("out_trade_no", ""), str(biz.get("refund_amount", ""))
        trade = self.fake.trades.get(out_trade_no)
        if not _YUAN.fullmatch(amount) or not biz.get("out_request_no"):
            return _failed("ACQ.INVALID_PARAMETER", "参数无效")
        if trade is None:
            return _failed("ACQ.TRADE_NOT_EXIST", "交易不存在", refund_fee="0.00", send_back_fee="0.00")
        key = (out_trade_no, biz["out_request_no"])
        existing = self.refunds.get(key)
        if existing is not None:
            if existing.amount != amount:
                return _failed("ACQ.DISCORDANT_REPEAT_REQUEST", "不一致的请求")
            return self._refund_answer(out_trade_no, trade, fund_change="N")
        if trade.status != "TRADE_SUCCESS":
            return _failed("ACQ.TRADE_STATUS_ERROR", "交易状态不合法")
        if self.refunded(out_trade_no) + Decimal(amount) > Decimal(trade.amount):
            return _failed("ACQ.REASON_TRADE_REFUND_FEE_ERR", "退款金额无效", refund_fee="0.00")
        if self.balance is not None and Decimal(amount) > self.balance:
            return _failed("ACQ.SELLER_BALANCE_NOT_ENOUGH", "卖家余额不足")
        if self.balance is not None:
            self.balance -= Decimal(amount)
        self.refunds[key] = FakeAlipayRefund(out_trade_no, biz["out_request_no"], amount, biz.get("refund_reason", ""))
        return self._refund_answer(out_trade_no, trade, fund_change="Y")

    def _refund_answer(self, out_trade_no: str, trade: Any, fund_change: str) -> dict[str, Any]:
        return {**_SUCCESS, "trade_no": trade.trade_no, "out_trade_no": out_trade_no, "buyer_logon_id": "159****5620",
                "fund_change": fund_change, "refund_fee": f"{self.refunded(out_trade_no):.2f}",
                "gmt_refund_pay": self.fake.now.strftime("%Y-%m-%d %H:%M:%S"), "send_back_fee": "0.00"}

    def _refund_query(self, biz: dict[str, Any]) -> dict[str, Any]:
        out_trade_no = biz.get("out_trade_no", "")
        trade = self.fake.trades.get(out_trade_no)
        if trade is None:
            return _failed("ACQ.TRADE_NOT_EXIST", "交易不存在")
        refund = self.refunds.get((out_trade_no, biz.get("out_request_no", "")))
        inner = {**_SUCCESS, "out_trade_no": out_trade_no, "trade_no": trade.trade_no}
        if refund is not None:
            inner |= {"out_request_no": refund.out_request_no, "refund_amount": refund.amount,
                      "total_amount": trade.amount, "refund_status": "REFUND_SUCCESS", "refund_reason": refund.reason}
        return inner
