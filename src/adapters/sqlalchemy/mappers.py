"""Row ↔ entity conversions: the only place that knows both the tables and the domain classes."""
from __future__ import annotations

from typing import Any

from skyriff_domain.model.catalog import ImageAsset, Product, ProductType
from skyriff_domain.model.coin_lot import CoinLot, LotStatus
from skyriff_domain.model.identity import Verification
from skyriff_domain.model.refund import Refund, RefundStatus
from skyriff_domain.model.generation import GenerationTask, TaskStatus
from skyriff_domain.model.ledger import Account, LedgerEntry, LedgerRef, LedgerType
from skyriff_domain.model.media import Project, PublishStatus, VideoAsset
from skyriff_domain.model.moderation import ReviewStatus
from skyriff_domain.model.payment import Payment, PaymentStatus
from skyriff_domain.model.referral import Referral
from skyriff_domain.model.subscription import CardPeriod, Subscription
from skyriff_domain.model.user import User
from skyriff_domain.model.wallet import Wallet
from skyriff_domain.model.withdrawal import Transfer, Withdrawal, WithdrawalStatus
from skyriff_domain.model.work import Engagement, Work
from skyriff_domain.money import Cny, Coins, Credits


def user_from_row(r: Any) -> User:
    return User(id=r.id, nickname=r.nickname, phone=r.phone, avatar_url=r.avatar_url,
                avatar_asset_id=r.avatar_asset_id, bio=r.bio, is_creator=r.is_creator, is_promoter=r.is_promoter,
                is_banned=r.is_banned, referral_code=r.referral_code, created_at=r.created_at)


def user_values(u: User) -> dict[str, Any]:
    return {"nickname": u.nickname, "phone": u.phone, "avatar_url": u.avatar_url,
            "avatar_asset_id": u.avatar_asset_id, "bio": u.bio, "is_creator": u.is_creator,
            "is_promoter": u.is_promoter, "is_banned": u.is_banned, "referral_code": u.referral_code,
            "created_at": u.created_at}


def wallet_from_row(r: Any) -> Wallet:
    return Wallet(user_id=r.user_id, credits=Credits(r.credits), credits_cost=Cny(r.credits_cost_fen),
                  coins_available=Coins(r.coins_available_fen),
                  coins_pending=Coins(r.coins_pending_fen), coins_held=Coins(r.coins_held_fen), version=r.version)


def wallet_values(w: Wallet) -> dict[str, Any]:
    return {"credits": w.credits.minor, "credits_cost_fen": w.credits_cost.minor,
            "coins_available_fen": w.coins_available.minor,
            "coins_pending_fen": w.coins_pending.minor, "coins_held_fen": w.coins_held.minor}


def _ref(kind: str | None, ref_id: str | None) -> LedgerRef | None:
    if kind is None:
        return None
    return LedgerRef(kind, int(ref_id) if ref_id is not None and ref_id.isdigit() else ref_id)


def entry_from_row(r: Any) -> LedgerEntry:
    account = Account(r.account)
    money = account.money_type
    return LedgerEntry(id=r.id, user_id=r.user_id, account=account, type=LedgerType(r.type),
                       amount=money(r.amount), balance_after=money(r.balance_after), description=r.description,
                       created_at=r.created_at, ref=_ref(r.ref_kind, r.ref_id), unique_key=r.unique_key,
                       cost=Cny(r.cost_fen))


def entry_values(e: LedgerEntry) -> dict[str, Any]:
    return {"user_id": e.user_id, "account": e.account.value, "type": e.type.value, "amount": e.amount.minor,
            "balance_after": e.balance_after.minor, "description": e.description[:200],
            "ref_kind": e.ref.kind if e.ref else None, "ref_id": str(e.ref.id) if e.ref else None,
            "unique_key": e.unique_key, "cost_fen": e.cost.minor, "created_at": e.created_at}


def lot_from_row(r: Any) -> CoinLot:
    return CoinLot(id=r.id, user_id=r.user_id, amount=Coins(r.amount_fen), source=LedgerType(r.source),
                   unlock_at=r.unlock_at, created_at=r.created_at, ref=_ref(r.ref_kind, r.ref_id),
                   status=LotStatus(r.status))


def lot_values(lot: CoinLot) -> dict[str, Any]:
    return {"user_id": lot.user_id, "amount_fen": lot.amount.minor, "source": lot.source.value,
            "status": lot.status.value, "unlock_at": lot.unlock_at, "created_at": lot.created_at,
            "ref_kind": lot.ref.kind if lot.ref else None, "ref_id": str(lot.ref.id) if lot.ref else None}


def image_from_row(r: Any) -> ImageAsset:
    return ImageAsset(id=r.id, owner_id=r.owner_id, url=r.url, storage_key=r.storage_key, size=r.size,
                      width=r.width, height=r.height, created_at=r.created_at, aigc_label=r.aigc_label)


def image_values(a: ImageAsset) -> dict[str, Any]:
    return {"owner_id": a.owner_id, "url": a.url, "storage_key": a.storage_key, "size": a.size,
            "width": a.width, "height": a.height, "created_at": a.created_at, "aigc_label": a.aigc_label}


def product_from_row(r: Any) -> Product:
    return Product(id=r.id, sku=r.sku, type=ProductType(r.type), name=r.name, description=r.description,
                   price=Cny(r.price_fen), credits_amount=Credits(r.credits_amount),
                   coins_amount=Coins(r.coins_amount_fen), duration_days=r.duration_days,
                   daily_credits=Credits(r.daily_credits), active=r.active, sort_order=r.sort_order)


def product_values(p: Product) -> dict[str, Any]:
    return {"sku": p.sku, "type": p.type.value, "name": p.name, "description": p.description,
            "price_fen": p.price.minor, "credits_amount": p.credits_amount.minor,
            "coins_amount_fen": p.coins_amount.minor, "duration_days": p.duration_days,
            "daily_credits": p.daily_credits.minor, "active": p.active, "sort_order": p.sort_order}


def payment_from_row(r: Any) -> Payment:
    return Payment(id=r.id, user_id=r.user_id, product_id=r.product_id, product_type=ProductType(r.product_type),
                   channel=r.channel, amount=Cny(r.amount_fen), description=r.description,
                   out_trade_no=r.out_trade_no, status=PaymentStatus(r.status), transaction_id=r.transaction_id,
                   created_at=r.created_at, expires_at=r.expires_at, paid_at=r.paid_at, closed_at=r.closed_at)


def payment_values(p: Payment) -> dict[str, Any]:
    return {"user_id": p.user_id, "product_id": p.product_id, "product_type": p.product_type.value,
            "channel": p.channel, "amount_fen": p.amount.minor, "description": p.description[:128],
            "out_trade_no": p.out_trade_no, "status": p.status.value, "transaction_id": p.transaction_id,
            "created_at": p.created_at, "expires_at": p.expires_at, "paid_at": p.paid_at, "closed_at": p.closed_at}


def subscription_from_row(r: Any) -> Subscription:
    return Subscription(id=r.id, user_id=r.user_id, start_at=r.start_at, end_at=r.end_at,
                        last_claim_day=r.last_claim_day)


def subscription_values(s: Subscription) -> dict[str, Any]:
    return {"user_id": s.user_id, "start_at": s.start_at, "end_at": s.end_at, "last_claim_day": s.last_claim_day}


def card_period_from_row(r: Any) -> CardPeriod:
    return CardPeriod(id=r.id, user_id=r.user_id, payment_id=r.payment_id, starts_at=r.starts_at, ends_at=r.ends_at,
                      days=r.days, daily_credits=Credits(r.daily_credits), price=Cny(r.price_fen), claims=r.claims,
                      cost_claimed=Cny(r.cost_claimed_fen), voided_at=r.voided_at,
                      redemption_code_id=r.redemption_code_id)


def card_period_values(p: CardPeriod) -> dict[str, Any]:
    return {"user_id": p.user_id, "payment_id": p.payment_id, "starts_at": p.starts_at, "ends_at": p.ends_at,
            "days": p.days, "daily_credits": p.daily_credits.minor, "price_fen": p.price.minor, "claims": p.claims,
            "cost_claimed_fen": p.cost_claimed.minor, "voided_at": p.voided_at,
            "redemption_code_id": p.redemption_code_id}


def referral_from_row(r: Any) -> Referral:
    return Referral(id=r.id, invitee_id=r.invitee_id, promoter_id=r.promoter_id, code=r.code,
                    created_at=r.created_at)


def withdrawal_from_row(r: Any) -> Withdrawal:
    return Withdrawal(id=r.id, user_id=r.user_id, amount=Cny(r.amount_fen), method=r.method,
                      account_info=dict(r.account_info), status=WithdrawalStatus(r.status), note=r.note,
                      created_at=r.created_at, processed_at=r.processed_at, payee_ref=r.payee_ref,
                      approved_at=r.approved_at, transfer=Transfer(r.transfer) if r.transfer else None,
                      channel_ref=r.channel_ref, package_info=r.package_info, reference=r.reference)


def withdrawal_values(w: Withdrawal) -> dict[str, Any]:
    return {"user_id": w.user_id, "amount_fen": w.amount.minor, "method": w.method, "account_info": w.account_info,
            "status": w.status.value, "note": w.note[:200], "created_at": w.created_at,
            "processed_at": w.processed_at, "payee_ref": w.payee_ref, "approved_at": w.approved_at,
            "transfer": w.transfer.value if w.transfer else None, "channel_ref": w.channel_ref,
            "package_info": w.package_info, "reference": w.reference}


def task_from_row(r: Any) -> GenerationTask:
    return GenerationTask(
        id=r.id, user_id=r.user_id, prompt=r.prompt, upstream_prompt=r.upstream_prompt, model=r.model, duration_sec=r.duration_sec, ratio=r.ratio,
        cost=Credits(r.cost), created_at=r.created_at, status=TaskStatus(r.status), progress=r.progress,
        project_id=r.project_id, reference_image_asset_id=r.reference_image_asset_id, note=r.note,
        provider=r.provider, upstream_id=r.upstream_id, error_message=r.error_message, refunded=r.refunded,
        video_id=r.video_id, started_at=r.started_at, finished_at=r.finished_at, next_poll_at=r.next_poll_at,
        remix_of_work_id=r.remix_of_work_id, remix_fee=Credits(r.remix_fee), cost_cny=Cny(r.cost_cny_fen),
        remix_fee_cost_cny=Cny(r.remix_fee_cost_fen))


def task_values(t: GenerationTask) -> dict[str, Any]:
    return {"user_id": t.user_id, "prompt": t.prompt, "upstream_prompt": t.upstream_prompt, "model": t.model, "duration_sec": t.duration_sec,
            "ratio": t.ratio, "cost": t.cost.minor, "created_at": t.created_at, "status": t.status.value,
            "progress": t.progress, "project_id": t.project_id, "reference_image_asset_id": t.reference_image_asset_id,
            "note": t.note[:400], "provider": t.provider, "upstream_id": t.upstream_id,
            "error_message": (t.error_message or None) and t.error_message[:400], "refunded": t.refunded,
            "video_id": t.video_id, "started_at": t.started_at, "finished_at": t.finished_at,
            "next_poll_at": t.next_poll_at, "remix_of_work_id": t.remix_of_work_id, "remix_fee": t.remix_fee.minor,
            "cost_cny_fen": t.cost_cny.minor, "remix_fee_cost_fen": t.remix_fee_cost_cny.minor}


def video_from_row(r: Any) -> VideoAsset:
    return VideoAsset(
        id=r.id, owner_id=r.owner_id, task_id=r.task_id, project_id=r.project_id, duration_sec=r.duration_sec,
        ratio=r.ratio, original_key=r.original_key, watermarked_key=r.watermarked_key, cover_key=r.cover_key,
        width=r.width, height=r.height, size=r.size, publish_status=PublishStatus(r.publish_status),
        clean_download_paid=r.clean_download_paid, created_at=r.created_at, aigc_produce_id=r.aigc_produce_id)


def video_values(v: VideoAsset) -> dict[str, Any]:
    return {"owner_id": v.owner_id, "task_id": v.task_id, "project_id": v.project_id, "duration_sec": v.duration_sec,
            "ratio": v.ratio, "original_key": v.original_key, "watermarked_key": v.watermarked_key,
            "cover_key": v.cover_key, "width": v.width, "height": v.height, "size": v.size,
            "publish_status": v.publish_status.value, "clean_download_paid": v.clean_download_paid,
            "created_at": v.created_at, "aigc_produce_id": v.aigc_produce_id}


def project_from_row(r: Any) -> Project:
    return Project(id=r.id, owner_id=r.owner_id, name=r.name, created_at=r.created_at, updated_at=r.updated_at)


def project_values(p: Project) -> dict[str, Any]:
    return {"owner_id": p.owner_id, "name": p.name, "created_at": p.created_at, "updated_at": p.updated_at}


def work_from_row(r: Any) -> Work:
    return Work(
        id=r.id, creator_id=r.creator_id, video_id=r.video_id, title=r.title, description=r.description,
        prompt=r.prompt, generation_prompt=r.generation_prompt, is_prompt_locked=r.is_prompt_locked, prompt_price=Credits(r.prompt_price),
        remix_fee=Credits(r.remix_fee), created_at=r.created_at, cover_key=r.cover_key, play_key=r.play_key,
        duration_sec=r.duration_sec, ratio=r.ratio, hot_score=r.hot_score, aigc_propagate_id=r.aigc_propagate_id,
        engagement=Engagement(r.like_count, r.favorite_count, r.tip_count, Credits(r.tip_total), r.share_count,
                              r.views),
        review_status=ReviewStatus(r.review_status), review_note=r.review_note)


def work_values(w: Work) -> dict[str, Any]:
    e = w.engagement
    return {"creator_id": w.creator_id, "video_id": w.video_id, "title": w.title, "description": w.description,
            "prompt": w.prompt, "generation_prompt": w.generation_prompt, "is_prompt_locked": w.is_prompt_locked, "prompt_price": w.prompt_price.minor,
            "remix_fee": w.remix_fee.minor, "created_at": w.created_at, "cover_key": w.cover_key,
            "play_key": w.play_key, "duration_sec": w.duration_sec, "ratio": w.ratio, "hot_score": w.hot_score,
            "like_count": e.like_count, "favorite_count": e.favorite_count, "tip_count": e.tip_count,
            "tip_total": e.tip_total.minor, "share_count": e.share_count, "views": e.views,
            "aigc_propagate_id": w.aigc_propagate_id, "review_status": w.review_status.value,
            "review_note": w.review_note}


def verification_from_row(r: Any) -> Verification:
    return Verification(id=r.id, user_id=r.user_id, name_token=r.name_token, number_token=r.number_token,
                        number_fingerprint=r.number_fingerprint, birth_date=r.birth_date, verified_at=r.verified_at)


def verification_values(v: Verification, slot: int) -> dict[str, Any]:
    return {"user_id": v.user_id, "name_token": v.name_token, "number_token": v.number_token,
            "number_fingerprint": v.number_fingerprint, "slot": slot, "birth_date": v.birth_date,
            "verified_at": v.verified_at}


def refund_from_row(r: Any) -> Refund:
    return Refund(id=r.id, payment_id=r.payment_id, user_id=r.user_id, amount=Cny(r.amount_fen), reason=r.reason,
                  created_at=r.created_at, status=RefundStatus(r.status), credits_taken=Credits(r.credits_taken),
                  cost_taken=Cny(r.cost_taken_fen), card_voided=Cny(r.card_voided_fen),
                  written_off=Cny(r.written_off_fen), coins_taken=Coins(r.coins_taken_fen),
                  commission_reversed=Coins(r.commission_reversed_fen),
                  commission_unrecovered=Coins(r.commission_unrecovered_fen), forced=r.forced, operator=r.operator,
                  channel_ref=r.channel_ref, failure_reason=r.failure_reason, finished_at=r.finished_at)


def refund_values(f: Refund) -> dict[str, Any]:
    return {"payment_id": f.payment_id, "user_id": f.user_id, "refund_no": f.refund_no, "amount_fen": f.amount.minor,
            "reason": f.reason[:200], "status": f.status.value, "credits_taken": f.credits_taken.minor,
            "cost_taken_fen": f.cost_taken.minor, "card_voided_fen": f.card_voided.minor,
            "written_off_fen": f.written_off.minor, "coins_taken_fen": f.coins_taken.minor,
            "commission_reversed_fen": f.commission_reversed.minor,
            "commission_unrecovered_fen": f.commission_unrecovered.minor, "forced": f.forced,
            "operator": f.operator[:64], "channel_ref": f.channel_ref,
            "failure_reason": (f.failure_reason or None) and f.failure_reason[:200], "created_at": f.created_at,
            "finished_at": f.finished_at}
