"""Redemption batches and codes, with their row mappings. A code is looked up by its hash (unique) and locked
while it is redeemed, so two users redeeming it at once redeem it once."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, insert, or_, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from skyriff_domain.model.redemption import BatchSummary, RedemptionBatch, RedemptionCode
from skyriff_domain.money import Credits
from skyriff_domain.ports import DuplicateEntry, RedemptionRepository

from ..models import DbRedemptionBatch, DbRedemptionCode

batches = DbRedemptionBatch.__table__
codes = DbRedemptionCode.__table__


def batch_from_row(r: Any) -> RedemptionBatch:
    return RedemptionBatch(id=r.id, label=r.label, count=r.count, credits=Credits(r.credits), product_id=r.product_id,
                           expires_at=r.expires_at, created_by=r.created_by, operator_id=r.operator_id,
                           created_at=r.created_at, disabled_at=r.disabled_at, disabled_by=r.disabled_by)


def batch_values(b: RedemptionBatch) -> dict[str, Any]:
    return {"label": b.label, "count": b.count, "credits": b.credits.minor, "product_id": b.product_id,
            "expires_at": b.expires_at, "created_by": b.created_by, "operator_id": b.operator_id,
            "created_at": b.created_at, "disabled_at": b.disabled_at, "disabled_by": b.disabled_by}


def code_from_row(r: Any) -> RedemptionCode:
    return RedemptionCode(id=r.id, batch_id=r.batch_id, code_hash=r.code_hash, hint=r.hint, redeemed_by=r.redeemed_by,
                          redeemed_at=r.redeemed_at)


def code_values(c: RedemptionCode) -> dict[str, Any]:
    return {"batch_id": c.batch_id, "code_hash": c.code_hash, "hint": c.hint, "redeemed_by": c.redeemed_by,
            "redeemed_at": c.redeemed_at}


_REDEEMED = codes.c.redeemed_at.is_not(None)


class SqlRedemptions(RedemptionRepository):
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add_batch(self, batch: RedemptionBatch) -> RedemptionBatch:
        batch.id = self.conn.execute(insert(batches).values(batch_values(batch)).returning(batches.c.id)).scalar_one()
        return batch

    def get_batch(self, batch_id: int, lock: bool = False, share: bool = False) -> RedemptionBatch | None:
        stmt = select(batches).where(batches.c.id == batch_id)
        if lock or share:  # FOR UPDATE / FOR SHARE
            stmt = stmt.with_for_update(read=not lock)
        row = self.conn.execute(stmt).first()
        return batch_from_row(row) if row else None

    def save_batch(self, batch: RedemptionBatch) -> None:
        self.conn.execute(update(batches).where(batches.c.id == batch.id).values(batch_values(batch)))

    def batches(self, before_id: int | None, limit: int) -> list[BatchSummary]:
        redeemed = (select(func.count()).where(codes.c.batch_id == batches.c.id, _REDEEMED)
                    .correlate(batches).scalar_subquery())
        stmt = select(batches, redeemed.label("redeemed")).order_by(batches.c.id.desc()).limit(limit)
        if before_id is not None:
            stmt = stmt.where(batches.c.id < before_id)
        return [BatchSummary(batch_from_row(r), int(r.redeemed)) for r in self.conn.execute(stmt)]

    def redeemed_count(self, batch_id: int) -> int:
        return int(self.conn.execute(
            select(func.count()).where(codes.c.batch_id == batch_id, _REDEEMED)).scalar_one())

    def add_codes(self, new: list[RedemptionCode]) -> None:
        if not new:
            return
        try:
            with self.conn.begin_nested():
                self.conn.execute(insert(codes), [code_values(c) for c in new])
        except IntegrityError as exc:
            raise DuplicateEntry("redemption code") from exc

    def find_code(self, code_hash: str) -> RedemptionCode | None:
        row = self.conn.execute(select(codes).where(codes.c.code_hash == code_hash)).first()
        return code_from_row(row) if row else None

    def get_code(self, code_id: int, lock: bool = False) -> RedemptionCode | None:
        # FOR UPDATE on PostgreSQL: a second redeemer waits, then reads the code as the first one left it. SQLite
        # has no row locks, but its writers are serialized (BEGIN IMMEDIATE).
        stmt = select(codes).where(codes.c.id == code_id)
        row = self.conn.execute(stmt.with_for_update() if lock else stmt).first()
        return code_from_row(row) if row else None

    def save_code(self, code: RedemptionCode) -> None:
        self.conn.execute(update(codes).where(codes.c.id == code.id).values(code_values(code)))

    def redemptions(self, batch_id: int, before: tuple[datetime, int] | None, limit: int) -> list[RedemptionCode]:
        stmt = select(codes).where(codes.c.batch_id == batch_id, _REDEEMED)
        if before is not None:
            at, code_id = before
            stmt = stmt.where(or_(codes.c.redeemed_at < at, and_(codes.c.redeemed_at == at, codes.c.id < code_id)))
        rows = self.conn.execute(stmt.order_by(codes.c.redeemed_at.desc(), codes.c.id.desc()).limit(limit))
        return [code_from_row(r) for r in rows]
