"""Errors → envelope: one table from error code to HTTP status, and handlers so no traceback reaches a client."""
from __future__ import annotations

import logging

from flask import Flask
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException

from skyriff_domain.errors import DomainError, TooManyRequests

from .envelope import envelope

log = logging.getLogger("skyriff.http")

# PRODUCT.md: 401 for 1001/1002, 403 for 1004/2002, 400 for 2000, 404 for 2007, 409 for conflicts,
# 422 for 2009, 429 for 1006, 502 for 4xxx, 500 for 5xxx. 2013 (a code that cannot be redeemed) is 400 like
# 2004 (a referral code that cannot be bound): one status for unknown, used, expired and disabled codes alike,
# as a 409 for "used" would tell a guesser which codes exist.
STATUS_BY_CODE = {
    1001: 401, 1002: 401, 1003: 401, 1004: 403, 1005: 400, 1006: 429,
    2000: 400, 2001: 409, 2002: 403, 2003: 409, 2004: 400, 2005: 409, 2006: 400, 2007: 404, 2008: 409, 2009: 422,
    2010: 400, 2011: 403, 2012: 403, 2013: 400,
    3001: 409, 3002: 409, 3003: 404, 3004: 400,
    4001: 502, 4002: 502, 4003: 502,
    5001: 500, 5002: 500, 5003: 500,
}


def status_for(code: int) -> int:
    return STATUS_BY_CODE.get(code, 500 if code >= 5000 else 502 if code >= 4000 else 400)


def domain_error_response(error: DomainError):
    headers = {"Retry-After": str(error.retry_after)} if isinstance(error, TooManyRequests) else None
    return envelope(error.code, error.message, error.data, status_for(error.code), headers)


def register_error_handlers(app: Flask) -> None:
    app.register_error_handler(DomainError, domain_error_response)

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException):
        status = error.code or 500
        if status == 404:
            return envelope(2007, "接口不存在", None, 404)
        if status == 405:
            return envelope(2000, "不支持的请求方法", None, 405, {"Allow": ", ".join(error.valid_methods or [])})
        if status >= 500:
            return envelope(5001, "系统错误", None, status)
        return envelope(2000, error.description or "请求无效", None, status)

    @app.errorhandler(OperationalError)
    def _database(error: OperationalError):
        log.error("database unavailable: %s", error.__class__.__name__)
        return envelope(5002, "数据库错误", None, 503)

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):
        log.exception("unhandled error")
        return envelope(5001, "系统错误", None, 500)
