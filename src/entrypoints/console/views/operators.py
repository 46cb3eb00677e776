"""运营账号 (admin): every operator; adding one (a new second factor's secret is shown once, on the answer to the
form), disabling and enabling, resetting a password or a second factor."""
from __future__ import annotations

from flask import render_template

from skyriff_domain.model.operator import Permission, Role

from .. import bp
from ..forms import done, text
from ..security import actor, requires, services


@bp.get("/operators")
@requires(Permission.OPERATORS)
def operators():
    return render_template("console/operators.html", accounts=services().operators().list(),
                           roles=[r.value for r in Role], enrolment=None)


@bp.post("/operators")
@requires(Permission.OPERATORS)
def add_operator():
    totp = {"yes": True, "no": False}.get(text("totp", max_len=4))
    added = services().operators().add(text("name", max_len=64), text("role", max_len=16),
                                       text("password", max_len=256), totp, actor=actor())
    return _with_enrolment(added.totp, added.account.name)


@bp.post("/operators/<name>/disable")
@requires(Permission.OPERATORS)
def disable_operator(name: str):
    services().operators().set_disabled(name, True, actor(), text("reason"))
    return done("operator_saved", "/admin/operators")


@bp.post("/operators/<name>/enable")
@requires(Permission.OPERATORS)
def enable_operator(name: str):
    services().operators().set_disabled(name, False, actor(), text("reason"))
    return done("operator_saved", "/admin/operators")


@bp.post("/operators/<name>/password")
@requires(Permission.OPERATORS)
def reset_operator_password(name: str):
    services().operators().reset_password(name, text("password", max_len=256), actor())
    return done("operator_saved", "/admin/operators")


@bp.post("/operators/<name>/totp")
@requires(Permission.OPERATORS)
def reset_operator_totp(name: str):
    enrolment = services().operators().reset_totp(name, text("remove", max_len=1) != "1", actor())
    return _with_enrolment(enrolment, name)


def _with_enrolment(enrolment, name: str):
    """The list again, with the new secret shown this once (the page is never cached: no-store)."""
    if enrolment is None:
        return done("operator_saved", "/admin/operators")
    return render_template("console/operators.html", accounts=services().operators().list(),
                           roles=[r.value for r in Role], enrolment=enrolment, enrolled=name)
