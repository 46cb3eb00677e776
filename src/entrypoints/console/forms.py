"""Reading console forms and query strings: ids, amounts and dates parsed strictly (bad input is a 400 naming the
field, never a 500), and the redirect that follows a successful action."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import InvalidOperation
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from flask import redirect, request

from skyriff_domain.errors import InvalidRequest
from skyriff_domain.ids import MAX_ID
from skyriff_domain.money import MAX_MINOR, Cny, Coins, Credits

from .security import safe_next, services


def text(name: str, source=None, max_len: int = 500) -> str:
    value = (source if source is not None else request.form).get(name, "")
    if len(value) > max_len:
        raise InvalidRequest(name, f"不能超过{max_len}个字符")
    return value.strip()


def optional_id(name: str, source=None) -> int | None:
    raw = text(name, source if source is not None else request.args, 40)
    if not raw:
        return None
    if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= MAX_ID:
        raise InvalidRequest(name, "需为正整数编号")
    return int(raw)


def number(name: str, low: int, high: int, default: int | None = None) -> int:
    raw = text(name, max_len=20)
    if not raw and default is not None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise InvalidRequest(name, "需为整数") from None
    if not low <= value <= high:
        raise InvalidRequest(name, f"需为{low}-{high}")
    return value


def credits(name: str) -> Credits:
    """A signed whole number of credits (empty: none)."""
    raw = text(name, max_len=20)
    if not raw:
        return Credits(0)
    try:
        value = int(raw)
    except ValueError:
        raise InvalidRequest(name, "积分需为整数") from None
    if abs(value) >= MAX_MINOR:
        raise InvalidRequest(name, "超出范围")
    return Credits(value)


def money(name: str, kind=Coins, signed: bool = True):
    """A signed amount of coins or CNY with at most two decimals (empty: zero)."""
    raw = text(name, max_len=20)
    if not raw:
        return kind(0)
    try:
        value = kind.of(raw)
    except (ValueError, InvalidOperation, TypeError):
        raise InvalidRequest(name, "金额最多两位小数") from None
    if abs(value.minor) >= MAX_MINOR or (not signed and value.is_negative):
        raise InvalidRequest(name, "超出范围")
    return value


def cny(name: str) -> Cny:
    return money(name, Cny, signed=False)


def day(name: str) -> date | None:
    raw = text(name, request.args, 10)
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise InvalidRequest(name, "日期格式为 YYYY-MM-DD") from None


def day_bounds(first: date | None, last: date | None) -> tuple[datetime | None, datetime | None]:
    """Business days (inclusive) as a [start, end) window in the business time zone."""
    zone = ZoneInfo(services().settings().business_timezone)
    start = datetime.combine(first, time(0), tzinfo=zone) if first else None
    end = datetime.combine(last + timedelta(days=1), time(0), tzinfo=zone) if last else None
    return start, end


def done(ok: str, fallback: str):
    """After an action: back to the page the form came from (`back`, a console path only), saying what happened."""
    target = safe_next(request.form.get("back") or fallback)
    target = target.split("?", 1)[0] if "?" in target and "ok=" in target else target
    joiner = "&" if "?" in target else "?"
    return redirect(f"{target}{joiner}{urlencode({'ok': ok})}", 303)
