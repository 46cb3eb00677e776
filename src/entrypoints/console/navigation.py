"""The console's menu (each item shown only to roles that may open it) and the messages an action's redirect may
name (`?ok=key`: only these fixed texts, never text from the URL)."""
from __future__ import annotations

import attrs

from skyriff_domain.model.operator import Permission as P


@attrs.frozen
class NavItem:
    label: str
    endpoint: str
    permission: P


NAV = (
    NavItem("概览", "console.dashboard", P.DASHBOARD),
    NavItem("用户", "console.users", P.USERS_READ),
    NavItem("支付", "console.payments", P.PAYMENTS_READ),
    NavItem("提现", "console.withdrawals", P.WITHDRAWALS),
    NavItem("审核", "console.moderation", P.MODERATION),
    NavItem("任务", "console.tasks", P.TASKS_READ),
    NavItem("商品", "console.products", P.PRODUCTS),
    NavItem("兑换码", "console.codes", P.REDEMPTION),
    NavItem("运营账号", "console.operators", P.OPERATORS),
    NavItem("审计日志", "console.audit", P.AUDIT),
    NavItem("设置", "console.settings", P.SETTINGS),
)

OK_MESSAGES = {
    "adjusted": "余额已调整，已记入流水与审计日志。",
    "banned": "已封禁该用户。",
    "unbanned": "已解封该用户。",
    "sanctioned": "处罚已记录。",
    "verification_reset": "实名认证已重置，用户可重新认证。",
    "queried": "已向支付渠道查询并按结果处理。",
    "refunded": "退款已发起。",
    "approved": "提现已审核通过。",
    "rejected": "提现已拒绝，金币已退回。",
    "paid": "已标记为已打款。",
    "transfer_queried": "已向打款渠道查询。",
    "passed": "审核通过。",
    "taken_down": "作品已下架。",
    "appeal_granted": "申诉通过，作品已恢复。",
    "appeal_denied": "申诉已驳回。",
    "task_failed": "任务已终止并退款。",
    "product_saved": "商品已保存。",
    "product_toggled": "商品状态已更新。",
    "operator_saved": "运营账号已更新。",
    "ledger_checked": "账本校验已完成。",
    "codes_disabled": "该批兑换码已停用，未兑换的码立即失效。",
}
