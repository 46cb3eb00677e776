"""WeChat Pay 商家转账 (user-confirmation mode) as a `PayoutGateway`: create a transfer bill and query it.

What this relies on, and where it was read (pay.weixin.qq.com, 2025 pages, via the docs search):
- `POST /v3/fund-app/mch-transfer/transfer-bills` (…/merchant/apis/mch-trans/transfer-bill/transfer-to-user.html):
  body `appid, out_bill_no` (≤32, [0-9A-Za-z]), `transfer_scene_id`, `openid` (under that AppID),
  `transfer_amount` (fen), `transfer_remark` (≤32 chars, shown to the payee), `transfer_scene_report_infos`
  ([{info_type, info_content}], exactly what the scene's page demands, e.g. 1000 现金营销: 活动名称 + 奖励说明;
  1005 佣金报酬: 岗位类型 + 报酬说明 — doc/v3/merchant/4013774588 and community answers), optional
  `user_recv_perception`, `notify_url`, and `user_name`: "转账金额 >= 2,000元时,该笔明细必须填写", encrypted
  with the platform public key (RSA-OAEP, header `Wechatpay-Serial`). Answer 200: `out_bill_no,
  transfer_bill_no, create_time, state`, `package_info` (only while WAIT_USER_CONFIRM; the app passes it to
  WeChat's `requestMerchantTransfer`; it lapses after 24 h and the bill then fails), `fail_reason`.
- "接口返回的HTTP状态码不为200时,请务必不要立即更换商户订单单号重试 … 通过商户单号查询转账单 … 当查询原订单结果
  明确为'失败'时再更换商户订单号": so a refusal is only reported FAILED once a query proves no bill exists.
  Errors seen: 400 PARAM_ERROR (e.g. "需传入转账场景报备信息"), 400 INVALID_REQUEST ("单号已存在但信息不一致"),
  403 NOT_ENOUGH ("请充值后原单重试"), 429 FREQUENCY_LIMITED, 500 SYSTEM_ERROR ("请使用相同参数再次调用");
  those three and any 5xx are OutcomeUnknown (same number later), never FAILED.
- `GET /v3/fund-app/mch-transfer/transfer-bills/out-bill-no/{out_bill_no}` (…/get-transfer-bill-by-out-no.html):
  `mch_id, out_bill_no, transfer_bill_no, appid, state, transfer_amount, fail_reason, …` (no package_info);
  states ACCEPTED, PROCESSING, WAIT_USER_CONFIRM, TRANSFERING, SUCCESS, FAIL, CANCELING, CANCELLED; an unknown
  number is 404 `NOT_FOUND` (code name from the partner-API answers; a bare 404 without WeChat's error body
  proves nothing). Only the last 30 days can be queried.
- fail_reason codes (QueryTransferDetail docs): ACCOUNT_FROZEN, REAL_NAME_CHECK_FAIL, NAME_NOT_CORRECT, …
"""
from __future__ import annotations

import logging
import re
from collections.abc import Callable
from datetime import datetime
from typing import Any
from urllib.parse import quote

import attrs
import requests

from skyriff_domain.errors import ProviderUnavailable
from skyriff_domain.money import Cny
from skyriff_domain.ports.payouts import OutcomeUnknown, PayoutGateway, TransferOrder, TransferResult, TransferState

from .wechatpay_client import WeChatPayCallFailed, WeChatPayClient, WeChatPayConfig

log = logging.getLogger("skyriff.payouts.wechat")

NAME_REQUIRED_FROM = Cny(200_000)  # 2,000 CNY: from here WeChat requires the payee's (encrypted) real name
BILL_NO = re.compile(r"[0-9A-Za-z]{5,32}")
_REMARK_MAX = 32
_STATES = {
    "ACCEPTED": TransferState.PROCESSING, "PROCESSING": TransferState.PROCESSING,
    "TRANSFERING": TransferState.PROCESSING, "CANCELING": TransferState.PROCESSING,
    "WAIT_USER_CONFIRM": TransferState.WAIT_USER_CONFIRM, "SUCCESS": TransferState.SUCCESS,
    "FAIL": TransferState.FAILED, "CANCELLED": TransferState.FAILED,
}
# Answers that mean "not done, ask again with the same number", never "refused".
_TRANSIENT = frozenset({"SYSTEM_ERROR", "FREQUENCY_LIMITED", "NOT_ENOUGH"})
_FAIL_REASONS = {
    "ACCOUNT_FROZEN": "收款微信账户已冻结", "REAL_NAME_CHECK_FAIL": "收款人未完成微信实名认证",
    "NAME_NOT_CORRECT": "收款人姓名与微信实名不一致", "OPENID_INVALID": "收款微信账号无效",
    "TRANSFER_QUOTA_EXCEED": "超过收款人单笔收款额度", "DAY_RECEIVED_QUOTA_EXCEED": "超过收款人单日收款额度",
    "MONTH_RECEIVED_QUOTA_EXCEED": "超过收款人单月收款额度", "DAY_RECEIVED_COUNT_EXCEED": "超过收款人单日收款次数",
    "ID_CARD_NOT_CORRECT": "收款人身份证校验失败", "ACCOUNT_NOT_EXIST": "收款微信账户不存在",
    "TRANSFER_RISK": "转账存在风险，已被微信拦截", "OVERDUE_CLOSE": "收款人超时未确认收款",
    "PRODUCT_AUTH_CHECK_FAIL": "商户转账权限校验失败",
}


@attrs.frozen
class WeChatTransferScene:
    """The 转账场景 the merchant was granted, and what WeChat wants reported with each transfer of it."""

    scene_id: str  # transfer_scene_id, e.g. "1005" (佣金报酬) or "1000" (现金营销)
    report_infos: tuple[tuple[str, str], ...]  # (info_type, info_content) pairs, exactly as the scene requires
    user_recv_perception: str | None = None  # e.g. "劳务报酬"; None shows the scene's default
    notify_url: str | None = None  # MCHTRANSFER.BILL.FINISHED callbacks; the domain queries either way


class WeChatPayTransferGateway(PayoutGateway):
    """`PayoutGateway` for WeChat Pay merchant transfers to a payee's openid under `config.appid`."""

    channel = "wechat"

    def __init__(self, config: WeChatPayConfig, scene: WeChatTransferScene, session: requests.Session | None = None,
                 clock: Callable[[], datetime] | None = None, nonce: Callable[[], str] | None = None) -> None:
        self.payee_app_id = config.appid
        self._config = config
        self._scene = scene
        self._client = WeChatPayClient(config, session=session, clock=clock, nonce=nonce)

    def __repr__(self) -> str:
        return f"WeChatPayTransferGateway(mchid={self._config.mchid!r}, scene={self._scene.scene_id!r})"

    def transfer(self, order: TransferOrder) -> TransferResult:
        """Create the bill (or find it again: WeChat answers a repeated out_bill_no with the same bill)."""
        if not BILL_NO.fullmatch(order.bill_no) or not order.amount.is_positive:
            raise ValueError("a WeChat transfer needs a 5-32 character [0-9A-Za-z] bill_no and a positive amount")
        try:
            _, answer = self._client.call("POST", "/v3/fund-app/mch-transfer/transfer-bills", self._body(order))
        except ProviderUnavailable:
            raise OutcomeUnknown(f"wechat transfer {order.bill_no}: no usable answer") from None
        except WeChatPayCallFailed as failed:
            return self._refused(order.bill_no, failed)
        try:
            result = _result(answer, order.bill_no)
        except ValueError as exc:
            log.warning("wechat transfer %s answered oddly: %s", order.bill_no, exc)
            raise OutcomeUnknown(f"wechat transfer {order.bill_no}: unreadable answer") from None
        log.info("wechat transfer %s: %s", order.bill_no, result.state.value)
        return result

    def query(self, bill_no: str) -> TransferResult:
        path = f"/v3/fund-app/mch-transfer/transfer-bills/out-bill-no/{quote(bill_no, safe='')}"
        try:
            _, answer = self._client.call("GET", path, None)
        except WeChatPayCallFailed as failed:
            # A bare 404 (no WeChat error body) may be a proxy or a wrong base URL: not proof of absence.
            if failed.status == 404 and failed.code is not None:
                return TransferResult(TransferState.NOT_FOUND)
            raise ProviderUnavailable("微信转账查询失败") from None
        try:
            if isinstance(answer, dict) and answer.get("mch_id", self._config.mchid) != self._config.mchid:
                raise ValueError("another merchant's bill")
            result = _result(answer, bill_no)
        except ValueError as exc:
            log.warning("wechat transfer query %s answered oddly: %s", bill_no, exc)
            raise ProviderUnavailable("微信转账查询失败") from None
        log.info("wechat transfer query %s: %s", bill_no, result.state.value)
        return result

    def _body(self, order: TransferOrder) -> dict[str, Any]:
        scene = self._scene
        body: dict[str, Any] = {
            "appid": self._config.appid, "out_bill_no": order.bill_no, "transfer_scene_id": scene.scene_id,
            "openid": order.payee_account, "transfer_amount": order.amount.minor,
            "transfer_remark": order.remark[:_REMARK_MAX],
            "transfer_scene_report_infos": [{"info_type": t, "info_content": c} for t, c in scene.report_infos],
        }
        if order.amount >= NAME_REQUIRED_FROM:
            body["user_name"] = self._client.encrypt(order.payee_name)
        if scene.user_recv_perception:
            body["user_recv_perception"] = scene.user_recv_perception
        if scene.notify_url:
            body["notify_url"] = scene.notify_url
        return body

    def _refused(self, bill_no: str, failed: WeChatPayCallFailed) -> TransferResult:
        """A non-200 answer: unknown unless a query proves no bill exists under this number."""
        if failed.code is None or failed.status >= 500 or failed.status == 429 or failed.code in _TRANSIENT:
            raise OutcomeUnknown(f"wechat transfer {bill_no}: {failed.status} {failed.code}")
        try:
            found = self.query(bill_no)
        except ProviderUnavailable:
            raise OutcomeUnknown(f"wechat transfer {bill_no}: refused, then the query failed") from None
        if found.state is not TransferState.NOT_FOUND:
            return found  # e.g. INVALID_REQUEST for a number already used: that bill is the truth
        return TransferResult(TransferState.FAILED, reason=f"微信支付拒绝转账：{failed.text or failed.code}（{failed.code}）")


def _result(answer: Any, bill_no: str) -> TransferResult:
    """Map a create or query answer about `bill_no`; ValueError if it is not one."""
    if not isinstance(answer, dict) or answer.get("out_bill_no") != bill_no or not isinstance(answer.get("state"), str):
        raise ValueError("not an answer about this bill")
    state = _STATES.get(answer["state"])
    if state is None:
        log.warning("wechat transfer %s has unknown state %s", bill_no, answer["state"])
        state = TransferState.PROCESSING  # changes nothing; the caller asks again
    ref = answer.get("transfer_bill_no")
    package = answer.get("package_info") if state is TransferState.WAIT_USER_CONFIRM else None
    reason = None
    if state is TransferState.FAILED:
        code = str(answer.get("fail_reason") or answer["state"])
        reason = f"{_FAIL_REASONS.get(code, '微信转账失败' if answer['state'] == 'FAIL' else '转账已撤销')}（{code}）"
    return TransferResult(state, channel_ref=ref if isinstance(ref, str) and ref else None,
                          package_info=package if isinstance(package, str) and package else None, reason=reason)
