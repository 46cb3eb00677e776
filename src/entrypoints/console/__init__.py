"""The operators' console under /admin/: server-rendered pages (Jinja2, Chinese UI) over the same use cases as the
API and the command line. Every asset is served from this package; no view holds a business rule."""
from __future__ import annotations

import json
import logging
from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Blueprint, Flask, g, render_template, request
from markupsafe import Markup
from werkzeug.exceptions import HTTPException

from skyriff_domain.errors import DomainError
from skyriff_domain.model.operator import Permission

from . import security
from .navigation import NAV, OK_MESSAGES

bp = Blueprint("console", __name__, url_prefix="/admin", template_folder="templates", static_folder="static",
               static_url_path="/static")
bp.before_request(security.load_session)
bp.after_request(security.secure_headers)

STATUS_BY_CODE = {2000: 400, 2001: 409, 2002: 403, 2005: 409, 2006: 400, 2007: 404, 2008: 409, 2009: 422,
                  2010: 400, 2011: 409, 2012: 403, 3003: 404, 3004: 409}


@bp.errorhandler(DomainError)
def _domain_error(error: DomainError):
    status = STATUS_BY_CODE.get(error.code, 502 if 4000 <= error.code < 5000 else 400)
    return render_template("console/error.html", title="操作未完成", message=error.message,
                           status=status), status


@bp.errorhandler(HTTPException)
def _http_error(error: HTTPException):
    status = error.code or 500
    titles = {400: "请求无效", 401: "请先登录", 403: "无权访问", 404: "页面不存在", 405: "不支持的请求方法"}
    message = error.description if status == 400 else {
        403: "你的角色不能使用这个页面或操作。", 404: "没有这个页面或记录。"}.get(status, "")
    return render_template("console/error.html", title=titles.get(status, "出错了"), message=message,
                           status=status), status


@bp.errorhandler(Exception)
def _unexpected(error: Exception):
    logging.getLogger("skyriff.console").exception("console error")
    return render_template("console/error.html", title="系统错误", message="请稍后重试；问题已记入日志。",
                           status=500), 500


@bp.app_template_filter("local")
def _local(value: datetime | None) -> str:
    """A time in the business time zone, to the minute (the console shows operators' local time)."""
    if value is None:
        return "—"
    zone = ZoneInfo(security.services().settings().business_timezone)
    return value.astimezone(zone).strftime("%Y-%m-%d %H:%M")


@bp.app_template_filter("plainjson")
def _plain_json(value: object) -> str:
    """Audit entries' before/after, readable (Chinese kept as is); autoescaping makes it safe to show."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True) if value else ""


@bp.context_processor
def _context() -> dict:
    session = g.get("console")
    return {
        "me": session.account if session else None,
        "csrf_token": session.session.csrf_token if session else "",
        "csp_nonce": g.get("csp_nonce", ""),
        "nav": [item for item in NAV if session is not None and security.allowed(item.permission)],
        "allowed": security.allowed,
        "P": Permission,
        "ok_message": OK_MESSAGES.get(request.args.get("ok", "")),
        "hidden_csrf": lambda: Markup('<input type="hidden" name="csrf_token" value="{}">').format(
            session.session.csrf_token if session else ""),
    }


def register(app: Flask) -> None:
    """Mount the console on an app (the API's, or a console-only one on its own listen address)."""
    from . import views  # noqa: F401 - the routes register themselves on the blueprint

    app.register_blueprint(bp)
