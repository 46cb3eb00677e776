"""WeChatPayTransferGateway end to end against the WeChat Pay fake and its transfer desk."""
from __future__ import annotations

import json
import logging
from datetime import datetime, timezone

import pytest

from adapters.payments import wechatpay_transfers
from adapters.payments.wechatpay_transfers import WeChatPayTransferGateway, WeChatTransferScene
from skyriff_domain.errors import ProviderUnavailable
from skyriff_domain.money import Cny
from skyriff_domain.ports.payouts import OutcomeUnknown, TransferOrder, TransferResult, TransferState
from tests.support.fake_wechatpay import APPID, MCHID, FakeWeChatPay, WeChatPayKeys, error, make_wechatpay_keys
from tests.support.fake_wechatpay_transfers import TransferDesk
from tests.support.http_server import Response

NOW = datetime(2026, 11, 24, 10, 0, tzinfo=timezone.utc)
OPENID = "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"
NO = "WD20261124000001"
SCENE = WeChatTransferScene("1005", (("岗位类型", "视频创作者"), ("报酬说明", "SkyRiff 创作收益提现")), "劳务报酬")


@pytest.fixture(scope="module")
def keys() -> WeChatPayKeys:
    return make_wechatpay_keys()


@pytest.fixture
def fake(keys: WeChatPayKeys):
    with FakeWeChatPay(keys, now=lambda: NOW) as server:
        yield server


@pytest.fixture
def desk(fake: FakeWeChatPay) -> TransferDesk:
    desk = TransferDesk(fake)
    desk.payees[OPENID] = "张三"
    return desk


def gateway(fake: FakeWeChatPay, scene: WeChatTransferScene = SCENE, **overrides) -> WeChatPayTransferGateway:
    return WeChatPayTransferGateway(fake.config(**overrides), scene, clock=lambda: NOW)


def order(no: str = NO, fen: int = 8550, openid: str = OPENID, name: str = "张三") -> TransferOrder:
    return TransferOrder(bill_no=no, amount=Cny(fen), payee_account=openid, payee_name=name, remark="SkyRiff 收益提现")


# --- create ------------------------------------------------------------------------------------------------

def test_a_transfer_waits_for_the_payee_with_package_info(fake, desk) -> None:
    result = gateway(fake).transfer(order())

    bill = desk.bills[NO]
    assert result == TransferResult(TransferState.WAIT_USER_CONFIRM, channel_ref=bill.transfer_bill_no,
                                    package_info=bill.package_info)
    assert fake.auth_errors == []
    [request] = fake.requests
    assert (request.method, request.path) == ("POST", "/v3/fund-app/mch-transfer/transfer-bills")
    assert request.headers["wechatpay-serial"].startswith("PUB_KEY_ID_")
    assert json.loads(request.body) == {
        "appid": APPID, "out_bill_no": NO, "transfer_scene_id": "1005", "openid": OPENID, "transfer_amount": 8550,
        "transfer_remark": "SkyRiff 收益提现", "user_recv_perception": "劳务报酬",
        "transfer_scene_report_infos": [{"info_type": "岗位类型", "info_content": "视频创作者"},
                                        {"info_type": "报酬说明", "info_content": "SkyRiff 创作收益提现"}],
    }
    assert gateway(fake).payee_app_id == APPID


def test_from_2000_cny_the_name_travels_encrypted_to_the_platform_key(fake, desk) -> None:
    result = gateway(fake).transfer(order(fen=200_000))
    body = json.loads(fake.requests[0].body)
    assert body["user_name"] != "张三" and "张三".encode() not in fake.requests[0].body
    assert desk.bills[NO].content["user_name"] == "张三" and desk.name_errors == []
    assert result.state is TransferState.WAIT_USER_CONFIRM


def test_just_under_2000_cny_sends_no_name(fake, desk) -> None:
    gateway(fake).transfer(order(fen=199_999))
    assert "user_name" not in json.loads(fake.requests[0].body)


def test_a_2000_cny_transfer_without_an_encrypted_name_is_refused(fake, desk, monkeypatch) -> None:
    monkeypatch.setattr(wechatpay_transfers, "NAME_REQUIRED_FROM", Cny(300_000))
    result = gateway(fake).transfer(order(fen=200_000))
    assert result.state is TransferState.FAILED and "收款用户姓名必填" in result.reason and "PARAM_ERROR" in result.reason
    assert desk.bills == {}
    assert [r.method for r in fake.requests] == ["POST", "GET"]  # the refusal was confirmed by a query


def test_the_payee_confirms_and_the_query_says_success(fake, desk) -> None:
    client = gateway(fake)
    client.transfer(order())
    desk.confirm(NO)
    assert client.query(NO) == TransferResult(TransferState.SUCCESS, channel_ref=desk.bills[NO].transfer_bill_no)
    assert fake.requests[-1].path == f"/v3/fund-app/mch-transfer/transfer-bills/out-bill-no/{NO}"


def test_sending_the_same_bill_again_never_pays_twice(fake, desk) -> None:
    client = gateway(fake)
    first = client.transfer(order())
    again = client.transfer(order())
    assert again == first and len(desk.bills) == 1
    desk.confirm(NO)
    assert client.transfer(order()).state is TransferState.SUCCESS
    assert desk.paid(OPENID) == 8550


def test_the_same_number_with_other_content_reports_the_existing_bill(fake, desk) -> None:
    client = gateway(fake)
    client.transfer(order())
    result = client.transfer(order(fen=9000))  # INVALID_REQUEST: the first bill is the truth, not "failed"
    assert result.state is TransferState.WAIT_USER_CONFIRM and desk.bills[NO].amount == 8550


@pytest.mark.parametrize(("setup", "reason"), [
    (lambda desk: desk.frozen.add(OPENID), "收款微信账户已冻结（ACCOUNT_FROZEN）"),
    (lambda desk: desk.payees.update({OPENID: "李四"}), "收款人姓名与微信实名不一致（NAME_NOT_CORRECT）"),
])
def test_payee_failures_are_failed_with_a_reason(fake, desk, setup, reason) -> None:
    setup(desk)
    result = gateway(fake).transfer(order(fen=250_000))
    assert result.state is TransferState.FAILED and result.reason == reason


def test_a_scene_without_its_report_infos_is_refused(fake, desk) -> None:
    scene = WeChatTransferScene("1000", (("活动名称", "创作激励"),))
    result = gateway(fake, scene).transfer(order())
    assert result.state is TransferState.FAILED and "需传入转账场景报备信息" in result.reason


# --- unknown fates -----------------------------------------------------------------------------------------

def test_a_timeout_is_an_unknown_outcome_and_the_query_finds_the_bill(fake, desk) -> None:
    fake.delay = 2
    with pytest.raises(OutcomeUnknown):
        gateway(fake, timeout=0.5).transfer(order())
    fake.delay = 0
    assert gateway(fake).query(NO).state is TransferState.WAIT_USER_CONFIRM
    assert len(desk.bills) == 1


@pytest.mark.parametrize("answer", [
    error(500, "SYSTEM_ERROR", "系统繁忙"), error(429, "FREQUENCY_LIMITED", "频率超限"),
    Response(502, "<html>Bad Gateway</html>", {"Content-Type": "text/html"}), Response(200, "not json"),
    Response(200, json.dumps({"out_bill_no": "SOMEONE_ELSE", "state": "SUCCESS"})),
], ids=["500", "429", "502-html", "200-not-json", "200-other-bill"])
def test_answers_without_a_fate_are_unknown_outcomes(fake, desk, answer) -> None:
    fake.override = lambda request: answer if request.method == "POST" else None
    with pytest.raises(OutcomeUnknown):
        gateway(fake).transfer(order())
    assert len(fake.requests) == 1


def test_an_unverifiable_answer_is_an_unknown_outcome(fake, desk) -> None:
    fake.sign_with = "other"
    with pytest.raises(OutcomeUnknown):
        gateway(fake).transfer(order())
    assert len(desk.bills) == 1  # it was created: only a query may tell


def test_a_short_merchant_balance_is_unknown_and_the_same_number_works_after_a_top_up(fake, desk) -> None:
    desk.balance = 1000
    with pytest.raises(OutcomeUnknown):
        gateway(fake).transfer(order())
    assert gateway(fake).query(NO).state is TransferState.NOT_FOUND
    desk.balance = 100_000
    assert gateway(fake).transfer(order()).state is TransferState.WAIT_USER_CONFIRM


def test_a_refusal_whose_query_fails_is_unknown(fake, desk) -> None:
    fake.override = lambda request: error(400, "PARAM_ERROR", "参数错误") if request.method == "POST" \
        else error(500, "SYSTEM_ERROR", "系统繁忙")
    with pytest.raises(OutcomeUnknown):
        gateway(fake).transfer(order())


def test_a_bad_bill_number_is_a_programming_error(fake, desk) -> None:
    with pytest.raises(ValueError):
        gateway(fake).transfer(order(no="WD-1"))
    assert fake.requests == []


# --- query -------------------------------------------------------------------------------------------------

def test_query_an_unknown_bill_is_not_found(fake, desk) -> None:
    assert gateway(fake).query("WD20261124999999") == TransferResult(TransferState.NOT_FOUND)


@pytest.mark.parametrize(("state", "fail_reason", "expected"), [
    ("ACCEPTED", None, TransferState.PROCESSING), ("PROCESSING", None, TransferState.PROCESSING),
    ("TRANSFERING", None, TransferState.PROCESSING), ("CANCELING", None, TransferState.PROCESSING),
    ("CANCELLED", None, TransferState.FAILED), ("FAIL", "OVERDUE_CLOSE", TransferState.FAILED),
    ("SOMETHING_NEW", None, TransferState.PROCESSING),
])
def test_query_maps_bill_states(fake, desk, state, fail_reason, expected) -> None:
    gateway(fake).transfer(order())
    desk.finish(NO, state, fail_reason)
    result = gateway(fake).query(NO)
    assert result.state is expected and result.package_info is None
    if fail_reason:
        assert result.reason == "收款人超时未确认收款（OVERDUE_CLOSE）"


@pytest.mark.parametrize("answer", [
    error(500, "SYSTEM_ERROR", "系统繁忙"), Response(404, "<html>nginx</html>", {"Content-Type": "text/html"}),
    Response(200, json.dumps({"mch_id": "1900000999", "out_bill_no": NO, "state": "SUCCESS"})),
])
def test_query_failures_are_provider_unavailable(fake, desk, answer) -> None:
    fake.override = lambda request: answer
    with pytest.raises(ProviderUnavailable):
        gateway(fake).query(NO)


def test_logs_never_carry_the_name_or_keys(fake, desk, keys, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    desk.payees[OPENID] = "王小明"
    client = gateway(fake)
    client.transfer(order(fen=250_000, name="王小明"))
    desk.confirm(NO)
    client.query(NO)
    assert "wechat transfer" in caplog.text
    visible = caplog.text + repr(client)
    for secret in ("王小明", keys.merchant_private_pem.splitlines()[1], json.loads(fake.requests[0].body)["user_name"]):
        assert secret not in visible
    assert MCHID in repr(client)
