"""举报与申诉: users report works, see what became of their reports, and appeal takedowns of their own works."""
from __future__ import annotations

from ..api import Api, Auth, Call, Reply
from ..envelope import iso
from ..pagination import decode_cursor, encode_cursor, page
from ..schemas.common import Page, PageQuery
from ..schemas.moderation import AppealBody, AppealData, ReportBody, ReportData, ReportItem

api = Api("moderation", tag="举报与申诉")


@api.route("POST", "/works/<int:work_id>/report", summary="举报作品", body=ReportBody, response=ReportData,
           auth=Auth.REQUIRED, throttle="reports", message="举报成功", errors=(1006, 2002, 2007),
           description="每人对每个作品同时只有一条处理中的举报：重复举报返回同一条（code 0）；不能举报自己的作品。")
def report(call: Call):
    filed = call.services.reports().report(call.user_id, call.path["work_id"], call.body.reason, call.body.detail)
    data = {"report_id": filed.report.id, "status": filed.report.status.value}
    return Reply(data, None if filed.new else "已举报，正在处理")


@api.route("GET", "/me/reports", summary="我的举报", query=PageQuery, response=Page[ReportItem],
           auth=Auth.REQUIRED, errors=(2000,))
def my_reports(call: Call):
    before = decode_cursor(call.query.cursor, int)
    rows, more = call.services.reports().mine(call.user_id, before[0] if before else None, call.query.limit)
    items = [{"report_id": r.id, "work_id": r.work_id, "reason": r.reason.value, "detail": r.detail,
              "status": r.status.value, "created_at": iso(r.created_at), "resolved_at": iso(r.resolved_at)}
             for r in rows]
    return page(items, more, encode_cursor(rows[-1].id) if rows else None)


@api.route("POST", "/works/<int:work_id>/appeal", summary="申诉下架", body=AppealBody, response=AppealData,
           auth=Auth.REQUIRED, throttle="reports", message="申诉已提交", errors=(1006, 2002, 2007, 2008),
           description="仅作者可对已下架的作品申诉，每次下架可申诉一次；申诉处理中重复提交返回同一条。")
def appeal(call: Call):
    lodged = call.services.appeals().appeal(call.user_id, call.path["work_id"], call.body.reason)
    data = {"appeal_id": lodged.appeal.id, "status": lodged.appeal.status.value}
    return Reply(data, None if lodged.new else "已申诉，正在处理")
