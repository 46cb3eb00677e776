"""Operators' side of redemption codes: generate a batch (its codes are shown once, then only their hashes
remain), list batches with their counts, a batch's redemptions, look one code up, disable a batch.

The command line and the operator console both call these; no rule lives in either."""
from __future__ import annotations

import csv
import io
from datetime import date, datetime

import attrs

from ..errors import InvalidRequest, NotFound
from ..model.catalog import Product, ProductType
from ..model.moderation import OPERATOR_NAME_MAX, Operator
from ..model.redemption import (
    CODE_ALPHABET,
    CODE_LENGTH,
    LABEL_MAX,
    BatchStatus,
    RedemptionBatch,
    RedemptionCode,
    code_hint,
    format_code,
    hash_code,
    normalize_code,
)
from ..money import Credits
from ..policy import Policy
from ..ports import Clock, DuplicateEntry, SecretGenerator, UnitOfWork, UnitOfWorkFactory
from .audit import record
from .lookups import split_page

GENERATE_ATTEMPTS = 3  # a fresh code equal to a stored one (2^-80 a pair) only means generating again


@attrs.frozen
class BatchView:
    """A batch as operators see it: what it grants (credits, or the product), its counts and its state."""

    batch: RedemptionBatch
    product: Product | None
    redeemed: int
    status: BatchStatus

    @property
    def generated(self) -> int:
        return self.batch.count


@attrs.frozen
class GeneratedBatch:
    """A new batch and its codes in clear (XXXX-XXXX-XXXX-XXXX): the only time anyone sees them."""

    view: BatchView
    codes: list[str]

    def csv(self) -> str:
        """The codes as CSV (one per row, with the batch's id, label, grant and expiry) for the operator to hand
        out; it cannot be exported again later."""
        batch, product = self.view.batch, self.view.product
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["code", "batch_id", "label", "credits", "product_sku", "expires_at"])
        expires = batch.expires_at.isoformat() if batch.expires_at else ""
        for code in self.codes:
            writer.writerow([code, batch.id, batch.label, batch.credits.minor or "",
                             product.sku if product else "", expires])
        return out.getvalue()


@attrs.frozen
class RedemptionsPage:
    items: list[RedemptionCode]
    has_more: bool

    @property
    def cursor(self) -> tuple[datetime, int] | None:
        """What to pass as `before` for the next page."""
        last = self.items[-1] if self.has_more and self.items else None
        return (last.redeemed_at, last.id) if last and last.redeemed_at and last.id else None


@attrs.frozen
class CodeLookup:
    code: RedemptionCode
    batch: BatchView


@attrs.define
class RedemptionBatches:
    uow: UnitOfWorkFactory
    clock: Clock
    policy: Policy
    secrets: SecretGenerator
    code_secret: str = attrs.field(repr=False, validator=attrs.validators.min_len(1))  # SKYRIFF_REDEEM_SECRET

    def generate(self, label: str, count: int, operator: Operator, credits: int | None = None,
                 product_sku: str | None = None, expires_on: date | None = None) -> GeneratedBatch:
        """A batch of `count` codes granting `credits` free credits or the product `product_sku` (either, not
        both; never a coins pack), redeemable through the business day `expires_on` if given."""
        now = self.clock.now()
        batch = RedemptionBatch(label=self._label(label), count=self._count(count), created_at=now,
                                created_by=operator.name[:OPERATOR_NAME_MAX], operator_id=operator.id,
                                expires_at=self._expiry(expires_on, now))
        if (credits is None) == (product_sku is None):
            raise InvalidRequest("grant", "积分与商品须且只能选一项")
        if credits is not None:
            batch.credits = self._credits(credits)
        for attempt in range(GENERATE_ATTEMPTS):
            with self.uow() as uow:
                product = self._product(uow, product_sku) if product_sku is not None else None
                batch.product_id = product.id if product else None
                stored = uow.redemptions.add_batch(batch)
                codes = self._new_codes(count)
                try:
                    uow.redemptions.add_codes([RedemptionCode(stored.id, hash_code(self.code_secret, c), code_hint(c))
                                               for c in codes])
                except DuplicateEntry:
                    if attempt + 1 == GENERATE_ATTEMPTS:
                        raise
                    continue
                record(uow, operator, "codes.generate", "code_batch", stored.id, now, reason=stored.label,
                       after={"count": stored.count, "credits": stored.credits.minor,
                              "product": product.sku if product else None,
                              "expires_at": stored.expires_at.isoformat() if stored.expires_at else None})
                uow.commit()
            view = BatchView(stored, product, 0, stored.status(now))
            return GeneratedBatch(view, [format_code(c) for c in codes])
        raise AssertionError("unreachable")

    def list(self, before_id: int | None = None, limit: int = 50) -> tuple[list[BatchView], bool]:
        """Batches newest first, a keyset page: pass the last batch's id as `before_id` for the next one."""
        now = self.clock.now()
        with self.uow(read_only=True) as uow:
            rows, more = split_page(uow.redemptions.batches(before_id, limit + 1), limit)
            products = {p: uow.products.get(p) for p in {s.batch.product_id for s in rows} if p is not None}
        return [BatchView(s.batch, products.get(s.batch.product_id) if s.batch.product_id else None, s.redeemed,
                          s.batch.status(now)) for s in rows], more

    def show(self, batch_id: int) -> BatchView:
        with self.uow(read_only=True) as uow:
            return self._view(uow, batch_id)

    def redemptions(self, batch_id: int, before: tuple[datetime, int] | None = None,
                    limit: int = 100) -> RedemptionsPage:
        """Who redeemed the batch's codes and when, the latest first (2007 for an unknown batch)."""
        with self.uow(read_only=True) as uow:
            if uow.redemptions.get_batch(batch_id) is None:
                raise NotFound("兑换码批次不存在")
            rows, more = split_page(uow.redemptions.redemptions(batch_id, before, limit + 1), limit)
        return RedemptionsPage(rows, more)

    def find(self, code: str) -> CodeLookup:
        """Support's question "does this code work?": its batch, and who redeemed it when (2007 if unknown)."""
        normalized = normalize_code(code)
        with self.uow(read_only=True) as uow:
            found = uow.redemptions.find_code(hash_code(self.code_secret, normalized)) if normalized else None
            if found is None:
                raise NotFound("兑换码不存在")
            return CodeLookup(found, self._view(uow, found.batch_id))

    def disable(self, batch_id: int, operator: Operator, reason: str = "") -> BatchView:
        """For good: the batch's unredeemed codes stop working at once (2008 if it already was disabled). Once
        this returns, no redemption of the batch commits; every one that did is dated no later than the disable."""
        with self.uow() as uow:
            batch = uow.redemptions.get_batch(batch_id, lock=True)  # waits for redemptions under way
            if batch is None:
                raise NotFound("兑换码批次不存在")
            before = batch.status(self.clock.now()).value
            batch.disable(operator.name[:OPERATOR_NAME_MAX], self.clock.now())
            uow.redemptions.save_batch(batch)
            view = self._view(uow, batch_id, batch)
            record(uow, operator, "codes.disable", "code_batch", batch_id, self.clock.now(), reason=reason,
                   before={"status": before, "redeemed": view.redeemed},
                   after={"status": view.status.value})
            uow.commit()
        return view

    def _view(self, uow: UnitOfWork, batch_id: int, batch: RedemptionBatch | None = None) -> BatchView:
        batch = batch or uow.redemptions.get_batch(batch_id)
        if batch is None:
            raise NotFound("兑换码批次不存在")
        product = uow.products.get(batch.product_id) if batch.product_id is not None else None
        return BatchView(batch, product, uow.redemptions.redeemed_count(batch_id), batch.status(self.clock.now()))

    def _new_codes(self, count: int) -> list[str]:
        codes: dict[str, None] = {}
        while len(codes) < count:
            codes[self.secrets.code(CODE_ALPHABET, CODE_LENGTH)] = None
        return list(codes)

    @staticmethod
    def _label(label: str) -> str:
        label = label.strip()
        if not 1 <= len(label) <= LABEL_MAX or not label.isprintable():
            raise InvalidRequest("label", f"需为1-{LABEL_MAX}个可打印字符")
        return label

    def _count(self, count: int) -> int:
        top = self.policy.redemption.max_codes_per_batch
        if not 1 <= count <= top:
            raise InvalidRequest("count", f"需在1-{top}之间")
        return count

    def _credits(self, credits: int) -> Credits:
        top = self.policy.redemption.max_credits_per_code
        if not 1 <= credits <= top.minor:
            raise InvalidRequest("credits", f"需在1-{top.minor}之间")
        return Credits(credits)

    def _expiry(self, expires_on: date | None, now: datetime) -> datetime | None:
        if expires_on is None:
            return None
        if expires_on < self.policy.business_day(now):
            raise InvalidRequest("expires", "不能早于今天")
        return self.policy.end_of_business_day(expires_on)

    @staticmethod
    def _product(uow: UnitOfWork, sku: str) -> Product:
        product = uow.products.get_by_sku(sku)
        if product is None:
            raise InvalidRequest("product", f"商品 {sku} 不存在")
        if product.type is ProductType.COINS_PACK:
            raise InvalidRequest("product", "金币包不能做成兑换码（兑换码只发放积分类商品）")
        return product
