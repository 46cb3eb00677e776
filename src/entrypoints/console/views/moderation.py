"""审核: the queue (held prompts and videos, works in review, reported works with their reports) with a video and
cover preview; passing, taking down (with a reason), and appeals."""
from __future__ import annotations

from flask import render_template, request

from skyriff_domain.model.operator import Permission
from skyriff_domain.model.report import AppealStatus

from .. import bp
from ..forms import done, number, text
from ..security import actor, requires, services


def _url(key: str | None) -> str | None:
    """A public file's link (covers, play copies); private originals are never previewed."""
    return services().storage().public_url(key) if key and key.startswith("public/") else None


@bp.get("/moderation")
@requires(Permission.MODERATION)
def moderation():
    entries = services().moderation_views().queue()
    status = text("appeals", request.args, 16) or AppealStatus.OPEN.value
    appeals = services().moderation_views().appeals(None if status == "all" else AppealStatus(
        status if status in {s.value for s in AppealStatus} else "open"))
    return render_template("console/moderation.html", entries=entries, appeals=appeals, url=_url,
                           appeal_status=status)


@bp.post("/moderation/cases/<int:case_id>/pass")
@requires(Permission.MODERATION)
def pass_case(case_id: int):
    services().moderation().pass_case(case_id, actor(), text("reason"))
    return done("passed", "/admin/moderation")


@bp.post("/moderation/cases/<int:case_id>/takedown")
@requires(Permission.MODERATION)
def take_down(case_id: int):
    services().moderation().take_down(case_id, actor(), text("reason"))
    return done("taken_down", "/admin/moderation")


@bp.post("/moderation/works/takedown")
@requires(Permission.MODERATION)
def take_down_work():
    work_id = number("work_id", 1, 2**63 - 1)
    services().moderation().take_down_work(work_id, actor(), text("reason"))
    return done("taken_down", "/admin/moderation")


@bp.post("/moderation/appeals/<int:appeal_id>/grant")
@requires(Permission.MODERATION)
def grant_appeal(appeal_id: int):
    services().appeals().grant(appeal_id, actor(), text("reason"))
    return done("appeal_granted", "/admin/moderation")


@bp.post("/moderation/appeals/<int:appeal_id>/deny")
@requires(Permission.MODERATION)
def deny_appeal(appeal_id: int):
    services().appeals().deny(appeal_id, actor(), text("reason"))
    return done("appeal_denied", "/admin/moderation")
