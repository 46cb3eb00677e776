"""Entities → the plain dicts the spec shows (field names, masked phone, money as 85.50, UTC times)."""
from __future__ import annotations

from decimal import Decimal
from typing import Callable

from skyriff_domain.model.aigc import NOTICE
from skyriff_domain.model.ledger import LedgerEntry
from skyriff_domain.model.user import User
from skyriff_domain.model.withdrawal import Transfer
from skyriff_domain.money import Credits, Money
from skyriff_domain.services.registration import LoginResult

from .envelope import iso


def amount(value: Money) -> int | Decimal:
    """Credits stay integers; coins and CNY become exact two-decimal numbers."""
    return value.minor if isinstance(value, Credits) else value.to_decimal()


def file_url(url: Callable[[str], str], key: str) -> str:
    """A stored file's public link; a row without the file (a broken import, a half-made record) shows an
    empty link for that item instead of failing the whole page for everyone."""
    return url(key) if key else ""


def user_card(user: User) -> dict:
    return {"user_id": user.id, "nickname": user.nickname, "avatar_url": user.avatar_url, "bio": user.bio}


def me(user: User) -> dict:
    return {**user_card(user), "phone": user.masked_phone, "is_creator": user.is_creator,
            "is_promoter": user.is_promoter, "created_at": iso(user.created_at)}


def login(result: LoginResult) -> dict:
    u = result.user
    return {"token": result.token, "user": {"user_id": u.id, "nickname": u.nickname, "avatar_url": u.avatar_url,
                                            "is_new_user": result.is_new_user}}


def ledger_item(entry: LedgerEntry) -> dict:
    return {"ledger_id": entry.id, "type": entry.type.value, "account": entry.account.value,
            "amount": amount(entry.amount), "balance_after": amount(entry.balance_after),
            "description": entry.description, "created_at": iso(entry.created_at)}


def product(p) -> dict:
    return {"product_id": p.id, "type": p.type.value, "name": p.name, "price_cny": p.price.to_decimal(),
            "credits_amount": p.credits_amount.minor, "coins_amount": p.coins_amount.to_decimal(),
            "duration_days": p.duration_days, "daily_credits": p.daily_credits.minor, "description": p.description}


def payment_created(created) -> dict:
    p = created.payment
    return {"payment_id": p.id, "amount_cny": p.amount.to_decimal(), "pay_params": created.pay_params,
            "expire_at": iso(p.expires_at)}


def payment(p) -> dict:
    return {"payment_id": p.id, "product_id": p.product_id, "pay_channel": p.channel, "status": p.status.value,
            "amount_cny": p.amount.to_decimal(), "created_at": iso(p.created_at), "expire_at": iso(p.expires_at),
            "paid_at": iso(p.paid_at)}


def withdrawal_item(w, wechat_ids: dict[str, str | None] | None = None) -> dict:
    """`confirm_params` while a WeChat payout waits for its payee to confirm receipt in WeChat."""
    confirm = ({"package_info": w.package_info, **(wechat_ids or {})}
               if w.transfer is Transfer.WAIT_USER_CONFIRM and w.package_info else None)
    return {"withdrawal_id": w.id, "amount_cny": w.amount.to_decimal(), "method": w.method, "status": w.status.value,
            "created_at": iso(w.created_at), "processed_at": iso(w.processed_at), "confirm_params": confirm}


def task(t) -> dict:
    return {"task_id": t.id, "prompt": t.prompt, "duration_sec": t.duration_sec, "ratio": t.ratio, "model": t.model,
            "status": t.status.value, "progress": t.progress, "cost_credits": t.cost.minor, "project_id": t.project_id,
            "note": t.note, "video_id": t.video_id, "error_message": t.error_message, "refunded": t.refunded,
            "created_at": iso(t.created_at), "started_at": iso(t.started_at), "finished_at": iso(t.finished_at)}


def video(v, url: Callable[[str], str]) -> dict:
    return {"video_id": v.id, "project_id": v.project_id, "watermarked_play_url": file_url(url, v.watermarked_key),
            "thumbnail_url": file_url(url, v.cover_key), "duration_sec": v.duration_sec, "ratio": v.ratio,
            "width": v.width, "height": v.height, "publish_status": v.publish_status.value, "created_at": iso(v.created_at)}


def project(view) -> dict:
    p = view.project
    return {"project_id": p.id, "name": p.name, "video_count": view.video_count, "created_at": iso(p.created_at),
            "updated_at": iso(p.updated_at)}


def aigc_notice() -> dict:
    """Every work is generated content: clients show this beside it."""
    return {"label": NOTICE.label, "text": NOTICE.text}


def creator(entry) -> dict:
    return {"user_id": entry.work.creator_id, "nickname": entry.creator_nickname, "avatar_url": entry.creator_avatar_url}


def feed_item(entry, url: Callable[[str], str]) -> dict:
    w, e = entry.work, entry.work.engagement
    return {"work_id": w.id, "creator": creator(entry), "title": w.title,
            "cover_url": file_url(url, w.cover_key), "watermarked_play_url": file_url(url, w.play_key),
            "like_count": e.like_count, "favorite_count": e.favorite_count,
            "tip_count": e.tip_count, "share_count": e.share_count, "views": e.views,
            "has_prompt_locked": w.is_prompt_locked, "prompt_price_credits": w.prompt_price.minor,
            "remix_fee_credits": w.remix_fee.minor, "is_liked": entry.is_liked, "is_favorited": entry.is_favorited,
            "created_at": iso(w.created_at), "aigc": aigc_notice()}


def work_card(entry, url: Callable[[str], str]) -> dict:
    """The short form of user works lists (spec 3.4)."""
    w, e = entry.work, entry.work.engagement
    return {"work_id": w.id, "title": w.title, "cover_url": file_url(url, w.cover_key),
            "watermarked_play_url": file_url(url, w.play_key),
            "like_count": e.like_count, "favorite_count": e.favorite_count, "tip_count": e.tip_count,
            "created_at": iso(w.created_at), "aigc": aigc_notice()}


def review(work) -> dict:
    """Where a work stands with moderation; only its creator is ever shown a work that has not passed."""
    return {"review_status": work.review_status.value, "review_reason": work.review_note or None}
