"""The daily task center: small rewards for showing up, creating and liking, per business day."""
from __future__ import annotations

import enum

import attrs


class DailyTask(enum.StrEnum):
    LOGIN_DAILY = "login_daily"
    GEN_SUCCESS = "gen_success"
    LIKE_WORK = "like_work"


TITLES = {
    DailyTask.LOGIN_DAILY: ("每日登录", "每天登录即可领取"),
    DailyTask.GEN_SUCCESS: ("生成视频", "生成1个视频"),
    DailyTask.LIKE_WORK: ("点赞作品", "点赞1个作品"),
}


class DailyStatus(enum.StrEnum):
    PENDING = "pending"
    COMPLETED = "completed"
    CLAIMED = "claimed"


@attrs.frozen
class DailyTaskState:
    key: DailyTask
    status: DailyStatus

    @property
    def can_claim(self) -> bool:
        return self.status is DailyStatus.COMPLETED
