"""Row ↔ entity conversions: the only place that knows both the tables and the domain classes."""
from __future__ import annotations

from typing import Any

from skyriff_domain.model.catalog import ImageAsset, Product, ProductType
from skyriff_domain.model.coin_lot import CoinLot, LotStatus
from skyriff_domain.model.ledger import Account, LedgerEntry, LedgerRef, LedgerType
from skyriff_domain.model.payment import Payment, PaymentStatus
from skyriff_domain.model.referral import Referral
from skyriff_domain.model.subscription import Subscription
from skyriff_domain.model.user import User
from skyriff_domain.model.wallet import Wallet
from skyriff_domain.model.withdrawal import Withdrawal, WithdrawalStatus
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
    return Wallet(user_id=r.user_id, credits=Credits(r.credits), coins_available=Coins(r.coins_available_fen),
                  coins_pending=Coins(r.coins_pending_fen), coins_held=Coins(r.coins_held_fen), version=r.version)


def wallet_values(w: Wallet) -> dict[str, Any]:
    return {"credits": w.credits.minor, "coins_available_fen": w.coins_available.minor,
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
                       created_at=r.created_at, ref=_ref(r.ref_kind, r.ref_id), unique_key=r.unique_key)


def entry_values(e: LedgerEntry) -> dict[str, Any]:
    return {"user_id": e.user_id, "account": e.account.value, "type": e.type.value, "amount": e.amount.minor,
            "balance_after": e.balance_after.minor, "description": e.description[:200],
            "ref_kind": e.ref.kind if e.ref else None, "ref_id": str(e.ref.id) if e.ref else None,
            "unique_key": e.unique_key, "created_at": e.created_at}


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
                      width=r.width, height=r.height, created_at=r.created_at)


def image_values(a: ImageAsset) -> dict[str, Any]:
    return {"owner_id": a.owner_id, "url": a.url, "storage_key": a.storage_key, "size": a.size,
            "width": a.width, "height": a.height, "created_at": a.created_at}


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


def referral_from_row(r: Any) -> Referral:
    return Referral(id=r.id, invitee_id=r.invitee_id, promoter_id=r.promoter_id, code=r.code,
                    created_at=r.created_at)


def withdrawal_from_row(r: Any) -> Withdrawal:
    return Withdrawal(id=r.id, user_id=r.user_id, amount=Cny(r.amount_fen), method=r.method,
                      account_info=dict(r.account_info), status=WithdrawalStatus(r.status), note=r.note,
                      created_at=r.created_at, processed_at=r.processed_at)


def withdrawal_values(w: Withdrawal) -> dict[str, Any]:
    return {"user_id": w.user_id, "amount_fen": w.amount.minor, "method": w.method, "account_info": w.account_info,
            "status": w.status.value, "note": w.note[:200], "created_at": w.created_at,
            "processed_at": w.processed_at}
