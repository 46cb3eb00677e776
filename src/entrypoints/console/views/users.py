"""用户: search by id, nickname or an exact phone number (always shown masked); a user's page; and what operators
do to a user — ban / unban, sanction, reset the verification, adjust the balance (finance, with a reason)."""
from __future__ import annotations

from flask import abort, render_template, request

from skyriff_domain.model.operator import Permission
from skyriff_domain.money import Coins, Credits
from skyriff_domain.errors import InvalidRequest

from .. import bp
from ..forms import credits, done, money, number, text
from ..security import actor, requires, services


@bp.get("/users")
@requires(Permission.USERS_READ)
def users():
    query = text("q", request.args, 40)
    found = services().people().search(query) if query else []
    return render_template("console/users.html", query=query, found=found)


@bp.get("/users/<int:user_id>")
@requires(Permission.USERS_READ)
def user(user_id: int):
    page = services().people().page(user_id)
    return render_template("console/user.html", page=page, u=page.user)


@bp.post("/users/<int:user_id>/ban")
@requires(Permission.USERS_SANCTION)
def ban(user_id: int):
    services().sanctions().ban(user_id, actor(), text("reason"))
    return done("banned", f"/admin/users/{user_id}")


@bp.post("/users/<int:user_id>/unban")
@requires(Permission.USERS_SANCTION)
def unban(user_id: int):
    reason = text("reason")
    if not reason:
        raise InvalidRequest("reason", "必填")
    services().user_admin().set_banned(user_id, False, actor(), reason)
    return done("unbanned", f"/admin/users/{user_id}")


@bp.post("/users/<int:user_id>/sanction")
@requires(Permission.USERS_SANCTION)
def sanction(user_id: int):
    kind, reason, sanctions = text("kind", max_len=16), text("reason"), services().sanctions()
    if kind == "warning":
        sanctions.warn(user_id, actor(), reason)
    elif kind == "suspension":
        sanctions.suspend(user_id, number("days", 1, 3650), actor(), reason)
    else:
        abort(400, "处罚类型需为警告或暂停发布")
    return done("sanctioned", f"/admin/users/{user_id}")


@bp.post("/users/<int:user_id>/verification/reset")
@requires(Permission.VERIFICATION_RESET)
def reset_verification(user_id: int):
    reason = text("reason")
    if not reason:
        raise InvalidRequest("reason", "必填")
    services().verifications().reset(user_id, actor(), reason)
    return done("verification_reset", f"/admin/users/{user_id}")


@bp.post("/users/<int:user_id>/adjust")
@requires(Permission.WALLET_ADJUST)
def adjust(user_id: int):
    delta_credits: Credits = credits("credits")
    delta_coins: Coins = money("coins")
    services().wallets().adjust(user_id, text("reason"), delta_credits, delta_coins, actor=actor())
    return done("adjusted", f"/admin/users/{user_id}")
