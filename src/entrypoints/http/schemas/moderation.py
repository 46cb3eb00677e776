"""Schemas of reports and appeals (生成式人工智能服务管理暂行办法 第十四、十五条: 投诉举报与处置)."""
from __future__ import annotations

from typing import Literal

from pydantic import Field

from .common import Body, Data, Timestamp

ReportReasonName = Literal["porn", "violence", "politics", "fraud", "copyright", "minor_safety", "no_ai_label", "other"]
ReviewStatusName = Literal["passed", "reviewing", "taken_down"]


class ReportBody(Body):
    reason: ReportReasonName
    detail: str = Field("", max_length=500, description="补充说明，最多500字")


class ReportData(Data):
    report_id: int
    status: Literal["open", "upheld", "dismissed"]


class ReportItem(Data):
    report_id: int
    work_id: int
    reason: ReportReasonName
    detail: str
    status: Literal["open", "upheld", "dismissed"] = Field(
        description="open 处理中；upheld 举报成立（作品已下架）；dismissed 未发现违规")
    created_at: Timestamp
    resolved_at: Timestamp | None


class AppealBody(Body):
    reason: str = Field(min_length=1, max_length=500, description="申诉理由")


class AppealData(Data):
    appeal_id: int
    status: Literal["open", "granted", "denied"]
