"""Every console page on real data made through the API, and every action: it reaches its use case, shows its
result, and leaves its entry in the audit log (with the operator, before/after and the reason)."""
from __future__ import annotations

import re

import pytest

from skyriff_domain.model.audit import AuditFilter
from tests.support import console_world as world
from tests.support.console import Console, as_role
from tests.support.http import make_client


@pytest.fixture
def client(sqlite_engine):
    client = make_client(sqlite_engine, test_phones=world.TEST_PHONES)
    client.app.extensions["skyriff"].catalog().seed()
    return client


def audit(client, action: str) -> list:
    entries, _ = client.app.extensions["skyriff"].audit_trail().search(AuditFilter(action=action))
    return entries


def credits(client, who: str) -> int:
    world.login(client, who)
    return client.get("/me/wallets")[1]["data"]["credits"]["balance"]


def test_search_finds_by_exact_phone_id_or_nickname_and_escapes_what_users_wrote(client):
    user_id = world.login(client, "payer")
    assert client.patch("/me/profile", {"nickname": "<b>小天</b>"})[0] == 200
    console = as_role(client, "support")
    for query in ("13800138000", str(user_id), "小天"):
        page = console.text(f"/admin/users?q={query}")
        assert f'/admin/users/{user_id}"' in page and "138****8000" in page, query
        assert "13800138000" not in page.replace('value="13800138000"', "")  # shown masked only
        assert "&lt;b&gt;小天&lt;/b&gt;" in page and "<b>小天</b>" not in page
    assert f"/admin/users/{user_id}" not in console.text("/admin/users?q=1380013800")  # never a part of a number
    page = console.text(f"/admin/users/{user_id}")
    assert "&lt;b&gt;小天&lt;/b&gt;" in page and "<b>小天" not in page


def test_finance_adjusts_a_balance_with_a_reason_and_sees_the_ledger_entry(client):
    user_id = world.login(client, "payer")
    world.pay(client, "payer")
    console = as_role(client, "finance")
    refused = console.post(f"/admin/users/{user_id}/adjust", {"credits": "50", "reason": ""})
    assert refused.status_code == 400 and "reason" in refused.get_data(as_text=True)
    response = console.post(f"/admin/users/{user_id}/adjust", {"credits": "50", "reason": "活动补偿",
                                                              "back": f"/admin/users/{user_id}"})
    assert response.status_code == 303 and response.headers["Location"] == f"/admin/users/{user_id}?ok=adjusted"
    page = console.text(response.headers["Location"])
    assert "余额已调整" in page and "运营调整：活动补偿" in page
    assert re.search(r'id="wallet-credits">650<', page)
    assert credits(client, "payer") == 650
    entry = audit(client, "wallet.adjust")[0]
    assert (entry.operator_name, entry.role, entry.object_id, entry.reason) == ("finance-op", "finance",
                                                                                 str(user_id), "活动补偿")
    assert (entry.before["credits"], entry.after["credits"], entry.ip) == (600, 650, "127.0.0.1")
    too_much = console.post(f"/admin/users/{user_id}/adjust", {"credits": "-1000", "reason": "扣回"})
    assert too_much.status_code == 409 and credits(client, "payer") == 650


def test_moderators_ban_unban_and_sanction(client):
    user_id = world.login(client, "payer")
    token = client.token
    console = as_role(client, "moderator")
    assert console.post(f"/admin/users/{user_id}/ban", {"reason": "刷单"}).status_code == 303
    assert client.get("/me", token=token)[1]["code"] == 1004
    assert console.post(f"/admin/users/{user_id}/unban", {"reason": ""}).status_code == 400
    assert console.post(f"/admin/users/{user_id}/unban", {"reason": "误封"}).status_code == 303
    assert client.get("/me", token=token)[1]["code"] == 0
    assert console.post(f"/admin/users/{user_id}/sanction", {"kind": "suspension", "days": "3",
                                                            "reason": "多次违规"}).status_code == 303
    page = console.text(f"/admin/users/{user_id}")
    assert "suspension" in page and "多次违规" in page
    assert [e.action for e in audit(client, "user.")] == ["user.sanction.suspension", "user.unban", "user.sanction.ban"]
    assert audit(client, "user.unban")[0].before == {"is_banned": True}


def test_identity_is_shown_masked_and_finance_can_reset_it(client):
    withdrawal_id = world.withdrawal(client, "creator")
    user_id = world.login(client, "creator")
    console = as_role(client, "finance")
    for path in (f"/admin/users/{user_id}", f"/admin/withdrawals/{withdrawal_id}", "/admin/withdrawals"):
        page = console.text(path)
        assert world.ID_NUMBER not in page and world.ID_NUMBER.lower() not in page
    assert "1101**********002X" in console.text(f"/admin/users/{user_id}")
    assert console.post(f"/admin/users/{user_id}/verification/reset", {"reason": "姓名有误"}).status_code == 303
    assert client.get("/me/verification")[1]["data"] == {"verified": False}
    assert audit(client, "verification.reset")[0].reason == "姓名有误"


def test_payments_are_searched_and_a_sandbox_payment_refunded(client):
    payment_id = world.pay(client, "payer")
    user_id = world.login(client, "payer")
    console = as_role(client, "finance")
    out_trade_no = console.container.money_views().payment(payment_id).payment.out_trade_no
    today = console.container.clock().now().date().isoformat()
    for query in (f"id={payment_id}", f"out_trade_no={out_trade_no}", f"user_id={user_id}", "status=paid",
                  f"from={today}&to={today}"):
        assert f"/admin/payments/{payment_id}\"" in console.text(f"/admin/payments?{query}"), query
    assert f"/admin/payments/{payment_id}\"" not in console.text("/admin/payments?status=refunded")
    assert console.get("/admin/payments?status=bogus").status_code == 400
    assert console.get("/admin/payments?from=2026-13-01").status_code == 400
    page = console.text(f"/admin/payments/{payment_id}")
    assert "渠道通知" in page and "settled" in page and "30.00" in page
    assert console.post(f"/admin/payments/{payment_id}/refund", {"reason": ""}).status_code == 400
    response = console.post(f"/admin/payments/{payment_id}/refund", {"reason": "用户申请退款"})
    assert response.status_code == 303
    page = console.text(f"/admin/payments/{payment_id}")
    assert "SRR" in page and "用户申请退款" in page and "finance-op" in page
    assert credits(client, "payer") == 0
    entry = audit(client, "payment.refund")[0]
    assert entry.before == {"status": "paid", "amount": "30.00"} and entry.after["credits_taken"] == 600
    assert console.post(f"/admin/payments/{payment_id}/refund", {"reason": "再退一次"}).status_code == 409


def test_asking_the_channel_about_a_pending_payment_is_recorded(client):
    payment_id = world.pending_payment(client, "payer")
    console = as_role(client, "support")
    assert console.post(f"/admin/payments/{payment_id}/query").status_code == 303
    page = console.text(f"/admin/payments/{payment_id}")
    assert "后台查询" in page and "pending" in page
    entry = audit(client, "payment.query")[0]
    assert (entry.operator_name, entry.after) == ("support-op", {"status": "pending", "channel": "pending"})


def test_a_withdrawal_is_reviewed_and_approved_through_the_sandbox_transfer(client):
    withdrawal_id = world.withdrawal(client, "creator")
    console = as_role(client, "finance")
    page = console.text("/admin/withdrawals")
    assert f"/admin/withdrawals/{withdrawal_id}\"" in page and "zhang@example.com" in page
    assert "张三 / 张三" in page and "一致" in page and "新账号" in page
    assert console.post(f"/admin/withdrawals/{withdrawal_id}/approve", {"reason": ""}).status_code == 400
    response = console.post(f"/admin/withdrawals/{withdrawal_id}/approve", {"reason": "收入正常"})
    assert response.status_code == 303
    page = console.text(f"/admin/withdrawals/{withdrawal_id}")
    assert "paid" in page and "SANDBOX" in page.upper()
    world.login(client, "creator")
    coins = client.get("/me/wallets")[1]["data"]["coins"]
    assert (coins["available"], coins["held"]) == (50.0, 0.0)
    entry = audit(client, "withdrawal.approve")[0]
    assert (entry.before["status"], entry.after["status"], entry.after["transfer"], entry.reason) == (
        "applied", "approved", "sending", "收入正常")


def test_a_withdrawal_is_rejected_with_a_reason_and_the_coins_return(client):
    withdrawal_id = world.withdrawal(client, "creator")
    console = as_role(client, "finance")
    assert console.post(f"/admin/withdrawals/{withdrawal_id}/reject", {"reason": ""}).status_code == 400
    assert console.post(f"/admin/withdrawals/{withdrawal_id}/reject", {"reason": "账户异常"}).status_code == 303
    world.login(client, "creator")
    assert client.get("/me/wallets")[1]["data"]["coins"]["available"] == 200.0
    assert audit(client, "withdrawal.reject")[0].reason == "账户异常"


def test_a_reported_work_is_previewed_taken_down_and_leaves_the_feed(client):
    work_id = world.published_work(client, "creator", title="<i>橘猫</i>")
    world.report(client, work_id, "fan")
    assert work_id in world.feed_ids(client)
    console = as_role(client, "moderator")
    page = console.text("/admin/moderation")
    assert "&lt;i&gt;橘猫&lt;/i&gt;" in page and "<i>橘猫" not in page
    assert "porn × 1" in page and "封面不适" in page and "<video" in page and "/v1/files/public/" in page
    case_id = int(re.search(r'id="case-(\d+)"', page).group(1))
    assert console.post(f"/admin/moderation/cases/{case_id}/takedown", {"reason": ""}).status_code == 400
    assert console.post(f"/admin/moderation/cases/{case_id}/takedown", {"reason": "色情内容"}).status_code == 303
    assert work_id not in world.feed_ids(client)
    operator = console.container.operators().list()[0]
    case = console.container.moderation().get(case_id)
    assert (case.decided_by, case.operator_id) == ("moderator-op", operator.id)
    entry = audit(client, "moderation.takedown")[0]
    assert (entry.operator_id, entry.reason, entry.before["work"], entry.after["work"]) == (
        operator.id, "色情内容", "passed", "taken_down")
    world.login(client, "creator")
    assert client.post(f"/works/{work_id}/appeal", {"reason": "原创内容"})[0] == 200
    page = console.text("/admin/moderation")
    assert "原创内容" in page and "色情内容" in page
    appeal_id = int(re.search(r"/admin/moderation/appeals/(\d+)/grant", page).group(1))
    assert console.post(f"/admin/moderation/appeals/{appeal_id}/grant").status_code == 303
    assert work_id in world.feed_ids(client)
    assert audit(client, "appeal.grant")[0].operator_id == operator.id


def test_a_stuck_task_is_failed_and_refunded_exactly_once(client):
    user_id = world.login(client, "payer")
    world.pay(client, "payer")
    world.login(client, "payer")
    status, body = client.post("/tasks/create", {"prompt": "一只猫", "duration_sec": 10, "ratio": "9:16",
                                                 "model": "sora2"})
    assert status == 200
    task_id = body["data"]["task_id"]
    assert credits(client, "payer") == 590
    console = as_role(client, "finance")
    assert f"/admin/tasks/{task_id}/fail" not in console.text("/admin/tasks").split("生成任务</h1>")[0]
    console.container.clock().advance(minutes=11)
    page = console.text("/admin/tasks")
    assert "卡住的任务" in page and f"/admin/tasks/{task_id}/fail" in page
    assert console.post(f"/admin/tasks/{task_id}/fail", {"reason": "供应商无响应"}).status_code == 303
    assert console.post(f"/admin/tasks/{task_id}/fail", {"reason": "再来一次"}).status_code == 409
    assert credits(client, "payer") == 600
    assert client.get(f"/tasks/{task_id}")[1]["data"]["status"] == "FAILURE"
    assert audit(client, "task.fail")[0].after["refunded_credits"] == 10
    assert f"user_id={user_id}" not in console.text(f"/admin/tasks?user_id={user_id}&status=FAILURE")
    assert console.get("/admin/tasks?status=nope").status_code == 400


def test_admins_add_edit_and_disable_products(client):
    console = as_role(client, "admin")
    response = console.post("/admin/products", {"sku": "credits_300", "type": "credits_pack", "name": "300元包",
                                                "price": "300.00", "credits": "6500"})
    assert response.status_code == 303
    assert "300元包" in console.text("/admin/products")
    assert console.post("/admin/products/credits_300/edit", {"name": "300元大包", "price": "299.00",
                                                            "credits": "6500"}).status_code == 303
    assert console.post("/admin/products/credits_300/edit", {"name": "x", "price": "0"}).status_code == 400
    assert console.post("/admin/products/credits_300/toggle", {"active": "0"}).status_code == 303
    assert "300元大包" not in str(client.get("/products")[1])
    entry = audit(client, "product.edit")[0]
    assert (entry.before["price"], entry.after["price"], entry.after["name"]) == ("300.00", "299.00", "300元大包")
    assert [e.action for e in audit(client, "product.")] == ["product.disable", "product.edit", "product.add"]


def test_admins_manage_operators_and_a_new_secret_is_shown_once(client):
    console = as_role(client, "admin")
    response = console.post("/admin/operators", {"name": "fred", "role": "finance", "password": "a long password",
                                                 "totp": "yes"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "只显示这一次" in page and "otpauth://totp/" in page
    assert response.headers["Cache-Control"] == "no-store"
    assert "otpauth" not in console.text("/admin/operators")
    assert console.post("/admin/operators/fred/disable", {"reason": "离职"}).status_code == 303
    assert Console(client).login("fred", "a long password").status_code == 401
    assert console.post("/admin/operators/admin-op/disable", {"reason": "x"}).status_code == 409  # not oneself
    assert [e.action for e in audit(client, "operator.")] == ["operator.disable", "operator.add"]  # admin-op: by hand


def test_the_dashboard_shows_the_day_in_figures_and_charts(client):
    world.pay(client, "payer")
    world.withdrawal(client, "creator")
    console = as_role(client, "finance")
    page = console.text("/admin/dashboard")
    assert page.count("<svg") >= 6 and "GMV" in page and "未运行" in page
    assert "待审核提现" in page and "150.00" in page
    assert console.post("/admin/ledger/check").status_code == 303
    page = console.text("/admin/dashboard")
    assert "通过" in page and "console" in page
    assert audit(client, "ledger.check")[0].reason == "0 differences"


def test_the_audit_log_is_filtered_and_only_read(client):
    user_id = world.login(client, "payer")
    finance = as_role(client, "finance")
    finance.post(f"/admin/users/{user_id}/adjust", {"credits": "5", "reason": "<script>x</script>"})
    admin = as_role(client, "admin")
    page = admin.text("/admin/audit?action=wallet.")
    assert "wallet.adjust" in page and "&lt;script&gt;x&lt;/script&gt;" in page and "<script>x" not in page
    assert "console.login" not in page
    assert "wallet.adjust" not in admin.text("/admin/audit?operator=admin-op&action=wallet.")
    assert "wallet.adjust" in admin.text(f"/admin/audit?object_type=user&object_id={user_id}")
    assert not [r for r in client.app.url_map.iter_rules() if r.rule.startswith("/admin/audit") and "POST" in r.methods]


def test_the_income_statement_export_is_the_one_place_an_id_number_is_decrypted(client):
    withdrawal_id = world.withdrawal(client, "creator")
    console = as_role(client, "finance")
    console.post(f"/admin/withdrawals/{withdrawal_id}/approve", {"reason": "收入正常"})
    month = console.container.clock().now().strftime("%Y-%m")
    response = console.get(f"/admin/income.csv?month={month}")
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert world.ID_NUMBER in body and "张三" in body and response.headers["Cache-Control"] == "no-store"
    assert audit(client, "income.export")[0].object_id == month
    assert console.get("/admin/income.csv?month=2026-13").status_code == 400
    assert as_role(client, "support").get(f"/admin/income.csv?month={month}").status_code == 403


def test_admins_read_the_settings_without_secrets(client):
    page = as_role(client, "admin").text("/admin/settings")
    settings = client.app.extensions["skyriff"].settings()
    assert "SKYRIFF_CONSOLE_TOTP" in page and "sandbox" in page
    for secret in (settings.jwt_secret, settings.identity_key, settings.sandbox_pay_secret, settings.files_secret):
        assert secret not in page


def test_admins_generate_codes_see_them_once_and_see_them_redeemed(client):
    console = as_role(client, "admin")
    response = console.post("/admin/codes", {"label": "<b>双十一</b>", "grant": "credits", "credits": "25",
                                             "count": "3", "expires": ""})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    codes = re.findall(r"\b[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}\b", page)
    assert len(set(codes)) == 3 and "data:text/csv" in page and "&lt;b&gt;双十一&lt;/b&gt;" in page
    listing = console.text("/admin/codes")
    assert not any(code in listing for code in codes) and "0 / 3" in listing
    world.login(client, "payer")
    status, body = client.post("/redeem", {"code": codes[0]})
    assert status == 200, body
    batch_id = int(re.search(r"/admin/codes/(\d+)", listing).group(1))
    page = console.text(f"/admin/codes/{batch_id}")
    assert re.search(r'id="redeemed-count">1 / 3<', page) and codes[0] not in page
    found = console.text(f"/admin/codes?code={codes[0].lower()}")
    assert f"/admin/codes/{batch_id}" in found and "未兑换" not in found
    assert console.post(f"/admin/codes/{batch_id}/disable", {"reason": ""}).status_code == 400
    assert console.post(f"/admin/codes/{batch_id}/disable", {"reason": "活动结束"}).status_code == 303
    assert client.post("/redeem", {"code": codes[1]})[1]["code"] == 2013
    generate, disable = audit(client, "codes.generate")[0], audit(client, "codes.disable")[0]
    assert generate.after == {"count": 3, "credits": 25, "product": None, "expires_at": None}
    assert (disable.reason, disable.before["redeemed"], disable.after["status"]) == ("活动结束", 1, "disabled")
    assert not any(code.replace("-", "") in str(e) or code in str(e) for code in codes for e in audit(client, "codes."))
    assert console.post("/admin/codes", {"label": "x", "grant": "credits", "credits": "0", "count": "1"}
                        ).status_code == 400
    assert as_role(client, "finance").get("/admin/codes").status_code == 403
