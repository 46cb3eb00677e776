"""设置 (admin, read-only): how this deployment is configured — the console's own settings and which channels and
providers are on. Secrets are never shown, only whether they are set."""
from __future__ import annotations

from flask import render_template

from skyriff_domain.model.operator import Permission

from .. import bp
from ..security import requires, services


@bp.get("/settings")
@requires(Permission.SETTINGS)
def settings():
    s, container = services().settings(), services()
    rows = [
        ("SKYRIFF_CONSOLE", s.console), ("SKYRIFF_CONSOLE_BIND", s.console_bind or "（与 API 同一地址）"),
        ("SKYRIFF_CONSOLE_TOTP", s.console_totp), ("SKYRIFF_CONSOLE_SECURE_COOKIE", "on" if s.console_secure_cookie
                                                   else "off"),
        ("数据库", s.database_url.split(":", 1)[0]), ("SKYRIFF_REDIS_URL", "已设置" if s.redis_url else "未设置"),
        ("支付渠道", "、".join(sorted(container.payment_gateways())) or "无"),
        ("打款渠道", "、".join(sorted(container.payout_gateways())) or "无"),
        ("退款渠道", "、".join(sorted(container.refund_gateways())) or "无"),
        ("实名认证", s.identity_provider), ("内容审核", s.moderation_provider),
        ("审核服务不可用时", s.moderation_on_error), ("短信", s.sms_provider), ("微信登录", s.wechat_provider),
        ("任务队列", s.job_queue), ("业务时区", s.business_timezone), ("可信代理层数", str(s.trusted_proxies)),
    ]
    return render_template("console/settings.html", rows=rows)
