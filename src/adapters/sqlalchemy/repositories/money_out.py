"""Verified identities (one per user, a few per identity) and refunds (one per payment)."""
from __future__ import annotations

from typing import Iterable

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from skyriff_domain.model.identity import Verification
from skyriff_domain.model.refund import Refund, RefundStatus, RefundTotals
from skyriff_domain.money import Cny
from skyriff_domain.ports import DuplicateEntry, RefundRepository, VerificationRepository

from ..mappers import refund_from_row, refund_values, verification_from_row, verification_values
from ..models import DbRefund, DbVerification
from .commerce import _insert_unique

verifications = DbVerification.__table__
refunds = DbRefund.__table__


class SqlVerifications(VerificationRepository):
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def for_user(self, user_id: int) -> Verification | None:
        row = self.conn.execute(select(verifications).where(verifications.c.user_id == user_id)).first()
        return verification_from_row(row) if row else None

    def for_users(self, user_ids: Iterable[int]) -> dict[int, Verification]:
        ids = list(set(user_ids))
        if not ids:
            return {}
        rows = self.conn.execute(select(verifications).where(verifications.c.user_id.in_(ids)))
        return {r.user_id: verification_from_row(r) for r in rows}

    def slots_taken(self, fingerprint: str) -> set[int]:
        rows = self.conn.execute(select(verifications.c.slot).where(verifications.c.number_fingerprint == fingerprint))
        return {r.slot for r in rows}

    def add(self, verification: Verification, slot: int) -> Verification:
        stmt = insert(verifications).values(verification_values(verification, slot)).returning(verifications.c.id)
        try:
            with self.conn.begin_nested():
                verification.id = self.conn.execute(stmt).scalar_one()
        except IntegrityError as exc:
            mine = self.conn.execute(select(verifications.c.id).where(
                verifications.c.user_id == verification.user_id)).first()
            raise DuplicateEntry("user" if mine else "slot") from exc
        return verification

    def remove(self, user_id: int) -> bool:
        return self.conn.execute(delete(verifications).where(verifications.c.user_id == user_id)).rowcount > 0


class SqlRefunds(RefundRepository):
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, refund: Refund) -> Refund:
        stmt = insert(refunds).values(refund_values(refund)).returning(refunds.c.id)
        refund.id = _insert_unique(self.conn, stmt, f"refund of payment {refund.payment_id}")
        return refund

    def get_for_update(self, refund_id: int) -> Refund | None:
        row = self.conn.execute(select(refunds).where(refunds.c.id == refund_id).with_for_update()).first()
        return refund_from_row(row) if row else None

    def for_payment(self, payment_id: int) -> Refund | None:
        row = self.conn.execute(select(refunds).where(refunds.c.payment_id == payment_id)).first()
        return refund_from_row(row) if row else None

    def find_for_update(self, refund_no: str) -> Refund | None:
        row = self.conn.execute(select(refunds).where(refunds.c.refund_no == refund_no).with_for_update()).first()
        return refund_from_row(row) if row else None

    def find(self, refund_no: str) -> Refund | None:
        row = self.conn.execute(select(refunds).where(refunds.c.refund_no == refund_no)).first()
        return refund_from_row(row) if row else None

    def save(self, refund: Refund) -> None:
        self.conn.execute(update(refunds).where(refunds.c.id == refund.id).values(refund_values(refund)))

    def processing(self, limit: int) -> list[Refund]:
        rows = self.conn.execute(select(refunds).where(refunds.c.status == RefundStatus.PROCESSING.value)
                                 .order_by(refunds.c.id).limit(limit))
        return [refund_from_row(r) for r in rows]

    def totals(self) -> RefundTotals:
        row = self.conn.execute(select(
            func.coalesce(func.sum(refunds.c.amount_fen), 0), func.coalesce(func.sum(refunds.c.cost_taken_fen), 0),
            func.coalesce(func.sum(refunds.c.card_voided_fen), 0), func.coalesce(func.sum(refunds.c.written_off_fen), 0),
            func.coalesce(func.sum(refunds.c.coins_taken_fen), 0))
            .where(refunds.c.status != RefundStatus.FAILED.value)).one()
        return RefundTotals(*(Cny(int(v)) for v in row))
