"""Alipay 单笔转账到支付宝账户 as a `PayoutGateway`: `alipay.fund.trans.uni.transfer` and its query.

What this relies on, and where it was read (Alipay's open docs quoted in community pages, and the official SDK
models alipay/alipay-sdk-java-all v2 AlipayFundTransUniTransferResponse / AlipayFundTransCommonQueryResponse):
- request biz_content: `out_biz_no` (ours, unique), `trans_amount` (yuan, 2 decimals, ≥0.1), `product_code`
  TRANS_ACCOUNT_NO_PWD, `biz_scene` DIRECT_TRANSFER, `order_title` (shown in the payee's bill), `payee_info
  {identity, identity_type: ALIPAY_LOGON_ID, name}` — the name is required for logon ids and checked against
  the account's real name — and `remark`. Only in public-key-certificate mode (资金支出类接口: "单笔转账能力仅
  支持公钥证书模式"), so the AlipayConfig must carry the three certificates.
- answer: code 10000 with `out_biz_no, order_id, pay_fund_order_id, status, trans_date`; status SUCCESS, FAIL
  (see error_code/fail_reason), DEALING and REFUND (bank-card transfers only). Business refusals are 40004 with
  a sub_code: PAYEE_NOT_EXIST, PAYEE_USER_INFO_ERROR (name mismatch), PAYEE_ACC_OCUPIED, PERM_AML_NOT_REALNAME_REV,
  PAYMENT_INFO_INCONSISTENCY (same out_biz_no, other parameters: "如果想重试前一次的请求，请用原参数重试"),
  PAYER_BALANCE_NOT_ENOUGH and SYSTEM_ERROR ("请使用相同的参数再次调用"): those last two are OutcomeUnknown,
  like timeouts and gateway errors; the others become FAILED once a query proves no order exists.
- `alipay.fund.trans.common.query` (out_biz_no + product_code + biz_scene, both required with out_biz_no):
  `order_id, out_biz_no, status, pay_fund_order_id, pay_date, trans_amount, fail_reason, error_code`; status
  SUCCESS, DEALING, WAIT_PAY, CLOSED, FAIL, REFUND. No such order: 40004 ORDER_NOT_EXIST.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

import requests

from skyriff_domain.errors import ProviderUnavailable
from skyriff_domain.ports.payouts import OutcomeUnknown, PayoutGateway, TransferOrder, TransferResult, TransferState

from .alipay_client import AlipayCallFailed, AlipayClient, AlipayConfig

log = logging.getLogger("skyriff.payouts.alipay")

TRANSFER = "alipay.fund.trans.uni.transfer"
QUERY = "alipay.fund.trans.common.query"
_PRODUCT = {"product_code": "TRANS_ACCOUNT_NO_PWD", "biz_scene": "DIRECT_TRANSFER"}
_STATES = {"SUCCESS": TransferState.SUCCESS, "DEALING": TransferState.PROCESSING, "WAIT_PAY": TransferState.PROCESSING,
           "INIT": TransferState.PROCESSING, "FAIL": TransferState.FAILED, "REFUND": TransferState.FAILED,
           "CLOSED": TransferState.FAILED}
_TRANSIENT = frozenset({"SYSTEM_ERROR", "PAYER_BALANCE_NOT_ENOUGH", "ACQ.SYSTEM_ERROR"})
_REASONS = {
    "PAYEE_NOT_EXIST": "收款支付宝账号不存在", "PAYEE_USER_INFO_ERROR": "支付宝账号和实名姓名不匹配",
    "PAYEE_ACC_OCUPIED": "该手机号对应多个支付宝账户，无法确定收款账户",
    "PERM_AML_NOT_REALNAME_REV": "收款人需在支付宝补充身份信息后才能收款",
    "PAYEE_ACCOUNT_STATUS_ERROR": "收款支付宝账户状态异常", "EXCEED_LIMIT_SM_MIN_AMOUNT": "单笔转账金额低于0.1元",
    "INVALID_PARAMETER": "转账参数有误",
}
_TITLE_MAX, _REMARK_MAX = 64, 200


class AlipayTransferGateway(PayoutGateway):
    """`PayoutGateway` for transfers from the merchant's Alipay balance to a payee's Alipay logon id."""

    channel = "alipay"

    def __init__(self, config: AlipayConfig, order_title: str = "SkyRiff 收益提现",
                 session: requests.Session | None = None, clock: Callable[[], datetime] | None = None) -> None:
        if not config.cert_mode:
            raise ValueError("Alipay fund transfers need public-key-certificate mode: set the three certificates")
        self._config = config
        self._title = order_title[:_TITLE_MAX]
        self._client = AlipayClient(config, session=session, clock=clock)

    def __repr__(self) -> str:
        return f"AlipayTransferGateway(app_id={self._config.app_id!r}, gateway_url={self._config.gateway_url!r})"

    def transfer(self, order: TransferOrder) -> TransferResult:
        if not order.amount.is_positive or not order.bill_no:
            raise ValueError("a transfer needs a bill_no and a positive amount")
        biz = {"out_biz_no": order.bill_no, "trans_amount": f"{order.amount.to_decimal():.2f}", **_PRODUCT,
               "order_title": self._title, "remark": order.remark[:_REMARK_MAX],
               "payee_info": {"identity": order.payee_account, "identity_type": "ALIPAY_LOGON_ID",
                              "name": order.payee_name}}
        try:
            inner = self._client.call(TRANSFER, biz)
        except AlipayCallFailed as failure:
            log.warning("alipay transfer %s: no usable answer (%s)", order.bill_no, failure.reason)
            raise OutcomeUnknown(f"alipay transfer {order.bill_no}: {failure.reason}") from None
        code, sub_code = inner.get("code"), str(inner.get("sub_code") or "")
        if code == "40004" and sub_code not in _TRANSIENT:
            return self._refused(order.bill_no, sub_code, str(inner.get("sub_msg") or ""))
        if code != "10000":
            log.warning("alipay transfer %s answered %s/%s", order.bill_no, code, sub_code)
            raise OutcomeUnknown(f"alipay transfer {order.bill_no}: {code}/{sub_code}")
        try:
            result = _result(inner, order.bill_no)
        except ValueError as exc:
            log.warning("alipay transfer %s answered oddly: %s", order.bill_no, exc)
            raise OutcomeUnknown(f"alipay transfer {order.bill_no}: unreadable answer") from None
        log.info("alipay transfer %s: %s", order.bill_no, result.state.value)
        return result

    def query(self, bill_no: str) -> TransferResult:
        try:
            inner = self._client.call(QUERY, {"out_biz_no": bill_no, **_PRODUCT})
            if inner.get("code") == "40004" and inner.get("sub_code") == "ORDER_NOT_EXIST":
                return TransferResult(TransferState.NOT_FOUND)
            if inner.get("code") != "10000":
                raise ValueError(f"code {inner.get('code')}/{inner.get('sub_code')}")
            result = _result(inner, bill_no)
        except (AlipayCallFailed, ValueError) as failure:
            log.warning("alipay transfer query %s failed: %s", bill_no, failure)
            raise ProviderUnavailable("支付宝转账查询失败") from None
        log.info("alipay transfer query %s: %s", bill_no, result.state.value)
        return result

    def _refused(self, bill_no: str, sub_code: str, sub_msg: str) -> TransferResult:
        """A business refusal: FAILED only once a query proves no order exists under this number."""
        log.warning("alipay transfer %s refused: %s", bill_no, sub_code)
        try:
            found = self.query(bill_no)
        except ProviderUnavailable:
            raise OutcomeUnknown(f"alipay transfer {bill_no}: refused, then the query failed") from None
        if found.state is not TransferState.NOT_FOUND:
            return found  # e.g. PAYMENT_INFO_INCONSISTENCY: the first order is the truth
        reason = _REASONS.get(sub_code, sub_msg or "支付宝拒绝转账")
        return TransferResult(TransferState.FAILED, reason=f"{reason}（{sub_code}）")


def _result(inner: dict[str, Any], bill_no: str) -> TransferResult:
    if inner.get("out_biz_no") not in (None, bill_no) or not isinstance(inner.get("status"), str):
        raise ValueError("not an answer about this transfer")
    status = inner["status"]
    state = _STATES.get(status)
    if state is None:
        log.warning("alipay transfer %s has unknown status %s", bill_no, status)
        state = TransferState.PROCESSING
    reason = None
    if state is TransferState.FAILED:
        code = str(inner.get("error_code") or status)
        reason = f"{inner.get('fail_reason') or _REASONS.get(code, '支付宝转账失败')}（{code}）"
    ref = inner.get("order_id")
    return TransferResult(state, channel_ref=ref if isinstance(ref, str) and ref else None, reason=reason)
