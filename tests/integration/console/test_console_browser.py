"""The console in a real browser (headless Debian Chromium through Playwright) against a real HTTP server: log in with
a second factor, find a user, adjust a balance and see its ledger entry, refund a sandbox payment, approve a
withdrawal through the sandbox transfer, take down a reported work and see it leave /v1/feed, generate a redemption
code and see it redeemed, a support operator refused a finance action, a form without its CSRF token refused. Each page is kept as a screenshot
(var/artifacts/console/)."""
from __future__ import annotations

import re

import attrs
import pyotp
import pytest
from dependency_injector import providers
from jinja2 import StrictUndefined

from tests.conftest import assert_ledger_clean
from tests.support import console_world as world
from tests.support.browser import TIMEOUT_MS, LiveServer, chromium_or_skip, screenshot
from tests.support.console import PASSWORD, add_operator
from tests.support.databases import migrated_engine
from tests.support.http import make_client


@attrs.define
class Site:
    url: str
    client: object  # the API, in process, for making data as users would
    browser: object
    admin_secret: str
    ids: dict

    @property
    def container(self):
        return self.client.app.extensions["skyriff"]

    def code(self) -> str:
        return pyotp.TOTP(self.admin_secret).at(self.container.clock().now().timestamp())


@pytest.fixture(scope="module")
def site(tmp_path_factory, request):
    chromium = chromium_or_skip()
    from playwright.sync_api import sync_playwright

    engine = migrated_engine(f"sqlite:///{tmp_path_factory.mktemp('browser') / 'skyriff.sqlite3'}")
    client = make_client(engine, test_phones=world.TEST_PHONES, console_totp="required")
    container = client.app.extensions["skyriff"]
    client.app.jinja_env.undefined = StrictUndefined  # a blank where a page names nothing fails the test
    server = LiveServer(client.app)
    container.settings.override(providers.Object(attrs.evolve(container.settings(), public_base_url=server.url)))
    server.start()
    container.catalog().seed()
    ids = {"refund": world.pay(client, "payer"), "withdrawal": world.withdrawal(client, "creator"),
           "work": world.published_work(client, "creator"), "adjusted": world.login(client, "other")}
    world.report(client, ids["work"], "fan")
    secret = add_operator(container, "alice", "admin")
    add_operator(container, "sue", "support")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, headless=True,
                                             args=["--no-sandbox", "--disable-dev-shm-usage"])
        try:
            yield Site(server.url, client, browser, secret, ids)
        finally:
            browser.close()
            server.stop()
    assert_ledger_clean(request, engine)
    engine.dispose()


def new_page(site: Site):
    context = site.browser.new_context(base_url=site.url, locale="zh-CN", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS * 2)
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())  # the confirm() before money moves
    return page


def log_in(site: Site, name: str, with_code: bool):
    page = new_page(site)
    page.goto("/admin/")
    page.wait_for_url(re.compile(r"/admin/login"))
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", PASSWORD)
    if with_code:
        site.container.clock().advance(seconds=30)  # a fresh code: each one is accepted once
        page.fill("input[name=code]", site.code())
    page.click("button:has-text('登录')")
    page.wait_for_url(re.compile(r"/admin/dashboard"))
    return page


@pytest.fixture(scope="module")
def admin(site):
    page = log_in(site, "alice", with_code=True)
    yield page
    page.context.close()


def test_an_admin_logs_in_with_a_second_factor(site):
    page = new_page(site)
    page.goto("/admin/users")
    page.wait_for_url(re.compile(r"/admin/login\?next="))
    screenshot(page, "01-login")
    page.fill("input[name=name]", "alice")
    page.fill("input[name=password]", PASSWORD)
    page.click("button:has-text('登录')")  # no code: refused
    page.locator("[role=alert]").wait_for()
    assert "登录失败" in page.inner_text("[role=alert]")
    page.fill("input[name=password]", PASSWORD)
    site.container.clock().advance(seconds=30)
    page.fill("input[name=code]", site.code())
    page.click("button:has-text('登录')")
    page.wait_for_url(re.compile(r"/admin/users$"))  # back where the login was asked for
    assert "alice（管理员）" in page.inner_text("header")
    page.context.close()


def test_the_dashboard_draws_its_charts(site, admin):
    admin.goto("/admin/dashboard")
    admin.locator("svg.chart").first.wait_for()
    assert admin.locator("svg.chart").count() >= 6
    assert "GMV" in admin.inner_text("main")
    screenshot(admin, "02-dashboard")


def test_search_a_user_adjust_the_balance_and_see_the_ledger_entry(site, admin):
    user_id = site.ids["adjusted"]
    admin.goto("/admin/users")
    admin.fill("input[name=q]", "13600000000")
    admin.click("button:has-text('搜索')")
    admin.locator(f"a[href='/admin/users/{user_id}']").click()
    admin.wait_for_url(re.compile(rf"/admin/users/{user_id}$"))
    assert "136****0000" in admin.inner_text("main") and "13600000000" not in admin.content()
    before = int(admin.inner_text("#wallet-credits"))
    form = admin.locator("form[action$='/adjust']")
    form.locator("input[name=credits]").fill("88")
    form.locator("input[name=reason]").fill("直播活动补偿")
    form.locator("button").click()
    admin.wait_for_url(re.compile(r"ok=adjusted"))
    assert int(admin.inner_text("#wallet-credits")) == before + 88
    assert "运营调整：直播活动补偿" in admin.inner_text("#credits-ledger")
    screenshot(admin, "03-user-adjusted")


def test_a_form_without_its_csrf_token_is_refused(site, admin):
    user_id = site.ids["adjusted"]
    admin.goto(f"/admin/users/{user_id}")
    before = admin.inner_text("#wallet-credits")
    form = admin.locator("form[action$='/adjust']")
    form.locator("input[name=csrf_token]").evaluate("input => input.remove()")
    form.locator("input[name=credits]").fill("1000")
    form.locator("input[name=reason]").fill("伪造请求")
    form.locator("button").click()
    admin.locator("h1:has-text('请求无效')").wait_for()
    assert "CSRF" in admin.inner_text("main")
    screenshot(admin, "04-csrf-refused")
    admin.goto(f"/admin/users/{user_id}")
    assert admin.inner_text("#wallet-credits") == before


def test_refund_a_sandbox_payment(site, admin):
    payment_id = site.ids["refund"]
    admin.goto(f"/admin/payments?id={payment_id}")
    admin.locator(f"a[href='/admin/payments/{payment_id}']").click()
    admin.wait_for_url(re.compile(rf"/admin/payments/{payment_id}$"))
    form = admin.locator("form[action$='/refund']")
    form.locator("input[name=reason]").fill("用户误购")
    form.locator("button").click()
    admin.wait_for_url(re.compile(r"ok=refunded"))
    text = admin.inner_text("main")
    assert "SRR" in text and "用户误购" in text and "refunded" in text
    screenshot(admin, "05-payment-refunded")


def test_approve_a_withdrawal_through_the_sandbox_transfer(site, admin):
    withdrawal_id = site.ids["withdrawal"]
    admin.goto("/admin/withdrawals")
    row = admin.locator("tr", has=admin.locator(f"a[href='/admin/withdrawals/{withdrawal_id}']"))
    assert "一致" in row.inner_text()
    screenshot(admin, "06-withdrawal-queue")
    row.locator("form[action$='/approve'] input[name=reason]").fill("收入来源正常")
    row.locator("form[action$='/approve'] button").click()
    admin.wait_for_url(re.compile(r"/admin/withdrawals\?ok=approved"))
    admin.goto(f"/admin/withdrawals/{withdrawal_id}")
    assert "paid" in admin.inner_text("h1")
    screenshot(admin, "07-withdrawal-paid")


def test_take_down_a_reported_work_and_it_leaves_the_feed(site, admin):
    work_id = site.ids["work"]
    assert work_id in world.feed_ids(site.client)
    admin.goto("/admin/moderation")
    card = admin.locator(".card", has=admin.locator(".work-title")).first
    card.locator("video").wait_for()
    assert "porn × 1" in card.inner_text()
    screenshot(admin, "08-moderation-queue")
    form = card.locator("form[action$='/takedown']")
    form.locator("input[name=reason]").fill("色情内容")
    form.locator("button").click()
    admin.wait_for_url(re.compile(r"ok=taken_down"))
    assert work_id not in world.feed_ids(site.client)
    feed = admin.request.get(f"{site.url}/v1/feed?tab=discover").json()["data"]["items"]
    assert work_id not in [item["work_id"] for item in feed]


def test_generate_a_code_and_redeem_it(site, admin):
    admin.goto("/admin/codes")
    form = admin.locator("form[action$='/admin/codes'][method=post]")
    form.locator("input[name=label]").fill("浏览器测试")
    form.locator("input[name=credits]").fill("66")
    form.locator("input[name=count]").fill("1")
    form.locator("button").click()
    admin.locator("#generated").wait_for()
    code = admin.input_value("#codes").strip()
    assert re.fullmatch(r"[2-9A-Z]{4}(-[2-9A-Z]{4}){3}", code)
    assert admin.get_attribute("#codes-csv", "href").startswith("data:text/csv")
    screenshot(admin, "16-codes-generated")
    world.login(site.client, "fan")
    status, body = site.client.post("/redeem", {"code": code})
    assert status == 200, body
    admin.goto("/admin/codes")
    admin.locator("td:has-text('浏览器测试')").wait_for()
    admin.locator("tr", has=admin.locator("td:has-text('浏览器测试')")).locator("a").first.click()
    admin.locator("#redemptions").wait_for()
    assert admin.inner_text("#redeemed-count") == "1 / 1"
    screenshot(admin, "17-codes-redeemed")


def test_support_is_refused_a_finance_action(site):
    page = log_in(site, "sue", with_code=False)
    assert "提现" not in page.inner_text("header nav")
    response = page.goto("/admin/withdrawals")
    assert response.status == 403 and "无权访问" in page.inner_text("main")
    screenshot(page, "09-support-403")
    user_id = site.ids["adjusted"]
    page.goto(f"/admin/users/{user_id}")
    assert page.locator("form[action$='/adjust']").count() == 0
    token = page.locator("input[name=csrf_token]").first.get_attribute("value")
    answer = page.request.post(f"{site.url}/admin/users/{user_id}/adjust",
                               form={"csrf_token": token, "credits": "100", "reason": "越权"})
    assert answer.status == 403
    page.context.close()


def test_the_remaining_pages_render(site, admin):
    for number, path in enumerate(("/admin/tasks", "/admin/products", "/admin/operators", "/admin/audit",
                                   f"/admin/withdrawals/{site.ids['withdrawal']}"), start=10):
        response = admin.goto(path)
        assert response.status == 200, path
        admin.locator("h1").wait_for()
        screenshot(admin, f"{number}-{path.strip('/').replace('/', '-')}")
    admin.set_viewport_size({"width": 390, "height": 844})  # a phone
    admin.goto("/admin/dashboard")
    admin.locator("svg.chart").first.wait_for()
    screenshot(admin, "15-dashboard-phone")
    admin.set_viewport_size({"width": 1280, "height": 900})
