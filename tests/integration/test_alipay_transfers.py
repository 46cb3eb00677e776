"""AlipayTransferGateway end to end against the Alipay fake in certificate mode, with its funds desk."""
from __future__ import annotations

import json
import logging
from datetime import datetime, timezone
from decimal import Decimal
from urllib.parse import parse_qsl

import pytest

from adapters.clock import FixedClock
from adapters.payments.alipay_transfers import AlipayTransferGateway
from skyriff_domain.errors import ProviderUnavailable
from skyriff_domain.money import Cny
from skyriff_domain.ports.payouts import OutcomeUnknown, TransferOrder, TransferResult, TransferState
from tests.support.fake_alipay import AlipayKeys, FakeAlipay, make_alipay_keys
from tests.support.fake_alipay_certs import make_alipay_certs
from tests.support.fake_alipay_funds import FundsDesk
from tests.support.http_server import Response

NOW = datetime(2026, 1, 15, 2, 0, tzinfo=timezone.utc)
LOGON = "creator@example.com"
NO = "WD20260115000001"


@pytest.fixture(scope="module")
def keys() -> AlipayKeys:
    return make_alipay_keys()


@pytest.fixture
def fake(keys):
    with FakeAlipay(keys, certs=make_alipay_certs(keys)) as server:
        yield server


@pytest.fixture
def desk(fake) -> FundsDesk:
    desk = FundsDesk(fake)
    desk.payees[LOGON] = "张三"
    return desk


def gateway(fake: FakeAlipay, **overrides) -> AlipayTransferGateway:
    return AlipayTransferGateway(fake.config(**overrides), clock=FixedClock(NOW).now)


def order(no: str = NO, fen: int = 8550, account: str = LOGON, name: str = "张三") -> TransferOrder:
    return TransferOrder(bill_no=no, amount=Cny(fen), payee_account=account, payee_name=name, remark="SkyRiff 收益提现")


def params_of(fake: FakeAlipay, index: int = 0) -> dict[str, str]:
    return dict(parse_qsl(fake.requests[index].body.decode()))


def test_a_transfer_is_paid_at_once_with_a_certificate_signed_request(fake, desk) -> None:
    result = gateway(fake).transfer(order())

    transfer = desk.transfers[NO]
    assert result == TransferResult(TransferState.SUCCESS, channel_ref=transfer.order_id)
    params = params_of(fake)
    assert params["method"] == "alipay.fund.trans.uni.transfer"
    assert (params["app_cert_sn"], params["alipay_root_cert_sn"]) == (fake.certs.app_cert_sn, fake.certs.root_cert_sn)
    assert json.loads(params["biz_content"]) == {
        "out_biz_no": NO, "trans_amount": "85.50", "product_code": "TRANS_ACCOUNT_NO_PWD",
        "biz_scene": "DIRECT_TRANSFER", "order_title": "SkyRiff 收益提现", "remark": "SkyRiff 收益提现",
        "payee_info": {"identity": LOGON, "identity_type": "ALIPAY_LOGON_ID", "name": "张三"},
    }
    assert desk.paid(LOGON) == Decimal("85.50")


def test_fund_transfers_refuse_to_start_without_certificate_mode(keys) -> None:
    with FakeAlipay(keys) as plain:
        with pytest.raises(ValueError, match="certificate"):
            AlipayTransferGateway(plain.config())


def test_the_fake_refuses_transfers_signed_without_certificates(keys) -> None:
    """What Alipay does to a public-key-mode app: the gateway refuses (so the adapter insists on certificates)."""
    from adapters.payments.alipay_client import AlipayCallFailed, AlipayClient
    with FakeAlipay(keys) as plain:
        with pytest.raises(AlipayCallFailed, match="error_response 40002"):
            AlipayClient(plain.config()).call("alipay.fund.trans.uni.transfer", {"out_biz_no": NO})


def test_sending_the_same_bill_again_never_pays_twice(fake, desk) -> None:
    client = gateway(fake)
    first = client.transfer(order())
    assert client.transfer(order()) == first
    assert desk.paid(LOGON) == Decimal("85.50") and len(desk.transfers) == 1


def test_the_same_number_with_other_content_reports_the_existing_transfer(fake, desk) -> None:
    client = gateway(fake)
    client.transfer(order())
    result = client.transfer(order(fen=9000))  # PAYMENT_INFO_INCONSISTENCY: the first one is the truth
    assert result.state is TransferState.SUCCESS and desk.paid(LOGON) == Decimal("85.50")


@pytest.mark.parametrize(("account", "name", "reason"), [
    ("nobody@example.com", "张三", "收款支付宝账号不存在（PAYEE_NOT_EXIST）"),
    (LOGON, "李四", "支付宝账号和实名姓名不匹配（PAYEE_USER_INFO_ERROR）"),
])
def test_payee_refusals_are_failed_after_a_query_finds_nothing(fake, desk, account, name, reason) -> None:
    result = gateway(fake).transfer(order(account=account, name=name))
    assert result == TransferResult(TransferState.FAILED, reason=reason)
    assert [params_of(fake, i)["method"] for i in range(2)] == [
        "alipay.fund.trans.uni.transfer", "alipay.fund.trans.common.query"]


def test_dealing_is_processing_until_the_query_says_success(fake, desk) -> None:
    desk.dealing = True
    client = gateway(fake)
    assert client.transfer(order()).state is TransferState.PROCESSING
    desk.finish(NO, "SUCCESS")
    assert client.query(NO).state is TransferState.SUCCESS


def test_a_failed_order_carries_alipays_reason(fake, desk) -> None:
    desk.dealing = True
    gateway(fake).transfer(order())
    desk.finish(NO, "FAIL", "PAYEE_ACCOUNT_STATUS_ERROR", "收款账户状态异常")
    assert gateway(fake).query(NO) == TransferResult(
        TransferState.FAILED, channel_ref=desk.transfers[NO].order_id, reason="收款账户状态异常（PAYEE_ACCOUNT_STATUS_ERROR）")


# --- unknown fates -----------------------------------------------------------------------------------------

def test_a_timeout_after_the_transfer_is_unknown_and_the_query_finds_it(fake, desk) -> None:
    fake.delay_after = 2
    with pytest.raises(OutcomeUnknown):
        gateway(fake, timeout=0.5).transfer(order())
    fake.delay_after = 0
    assert gateway(fake).query(NO).state is TransferState.SUCCESS
    assert len(desk.transfers) == 1


@pytest.mark.parametrize("sub_code", ["SYSTEM_ERROR", "PAYER_BALANCE_NOT_ENOUGH"])
def test_answers_that_say_try_again_are_unknown(fake, desk, sub_code) -> None:
    desk.next_answer = {"code": "40004", "msg": "Business Failed", "sub_code": sub_code, "sub_msg": "稍后再试"}
    with pytest.raises(OutcomeUnknown):
        gateway(fake).transfer(order())
    assert gateway(fake).query(NO).state is TransferState.NOT_FOUND
    assert gateway(fake).transfer(order()).state is TransferState.SUCCESS  # the same number, later


@pytest.mark.parametrize("outage", [Response(500, "oops", {"Content-Type": "text/plain"}), Response(200, "{}", delay=2)])
def test_gateway_outages_are_unknown(fake, desk, outage) -> None:
    fake.outage = outage
    with pytest.raises(OutcomeUnknown):
        gateway(fake, timeout=0.5).transfer(order())


def test_a_forged_answer_is_unknown(fake, desk) -> None:
    fake.response_signer = "stranger"
    with pytest.raises(OutcomeUnknown):
        gateway(fake).transfer(order())


def test_a_refusal_whose_query_fails_is_unknown(fake, desk) -> None:
    desk.next_answer = {"code": "40004", "msg": "Business Failed", "sub_code": "PAYEE_NOT_EXIST", "sub_msg": "x"}
    original = desk.__call__

    def query_breaks(method, biz):
        if method == "alipay.fund.trans.common.query":
            return {"code": "20000", "msg": "Service Currently Unavailable", "sub_code": "isp.unknow-error"}
        return original(method, biz)
    fake.desks[:] = [query_breaks]
    with pytest.raises(OutcomeUnknown):
        gateway(fake).transfer(order())


# --- query -------------------------------------------------------------------------------------------------

def test_query_an_unknown_bill_is_not_found(fake, desk) -> None:
    assert gateway(fake).query("WD20260115999999") == TransferResult(TransferState.NOT_FOUND)
    assert json.loads(params_of(fake)["biz_content"]) == {
        "out_biz_no": "WD20260115999999", "product_code": "TRANS_ACCOUNT_NO_PWD", "biz_scene": "DIRECT_TRANSFER"}


@pytest.mark.parametrize("outage", [Response(502, "bad gateway"), Response(200, "{}", delay=2)])
def test_query_outages_are_provider_unavailable(fake, desk, outage) -> None:
    fake.outage = outage
    with pytest.raises(ProviderUnavailable):
        gateway(fake, timeout=0.5).query(NO)


def test_logs_never_carry_the_name_or_keys(fake, desk, keys, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    desk.payees[LOGON] = "王小明"
    client = gateway(fake)
    client.transfer(order(name="王小明"))
    client.transfer(order(no="WD20260115000002", name="赵六"))
    assert "alipay transfer" in caplog.text
    key_lines = [line for line in keys.app_private_pem.splitlines() if "-----" not in line]
    for secret in ["王小明", "赵六", *key_lines, params_of(fake)["sign"][:24]]:
        assert secret not in caplog.text + repr(client)
