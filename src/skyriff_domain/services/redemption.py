"""A user redeems a code: once ever, while its batch is active, for free credits or the product's delivery.

Every attempt counts against the user's and the address's budgets first, so guessing is as slow as the
throttle; an unknown, used, expired or disabled code all answer the same 2013. Redeeming is not a payment:
minors' payment limits (2012) do not apply, and nothing it delivers carries a cost or earns a commission."""
from __future__ import annotations

from datetime import datetime

import attrs

from ..errors import InvalidRedemptionCode
from ..model.catalog import Product
from ..model.ledger import LedgerRef, LedgerType
from ..model.redemption import RedemptionBatch, RedemptionCode, hash_code, normalize_code
from ..money import Cny, Credits
from ..policy import Policy
from ..ports import Clock, SecretGenerator, UnitOfWork, UnitOfWorkFactory
from . import wallet_ops
from .fulfilment import Delivery, Source, deliver
from .throttle import Throttle

BUCKET = "redeem"


@attrs.frozen
class Redeemed:
    """What one code gave: free credits now (`credits`, also a credits product's or a promoter activation's),
    or the product's delivery (a card period, a referral code); `new_balance` is the credits balance after."""

    credits: Credits
    new_balance: Credits
    product: Product | None = None
    delivery: Delivery = Delivery()


@attrs.define
class Redemptions:
    uow: UnitOfWorkFactory
    clock: Clock
    policy: Policy
    throttle: Throttle
    secrets: SecretGenerator
    code_secret: str = attrs.field(repr=False, validator=attrs.validators.min_len(1))  # SKYRIFF_REDEEM_SECRET

    def redeem(self, user_id: int, text: str, client_ip: str | None = None) -> Redeemed:
        """Raises TooManyRequests (1006) past the budgets, InvalidRedemptionCode (2013) for any code that cannot
        be redeemed now."""
        self.throttle.check(user_id, BUCKET)
        if client_ip:
            self.throttle.check_address(client_ip, BUCKET)
        code = normalize_code(text)
        if code is None:
            raise InvalidRedemptionCode()
        now = self.clock.now()
        with self.uow() as uow:
            found = uow.redemptions.find_code(hash_code(self.code_secret, code))
            if found is None:
                raise InvalidRedemptionCode()
            wallet = wallet_ops.locked_wallet(uow, user_id)  # wallets first, like every money move
            locked = uow.redemptions.get_code(found.id, lock=True)  # two users at once: the second sees it used
            batch = uow.redemptions.get_batch(found.batch_id, share=True)  # none commits after a disable
            if locked is None or batch is None or locked.redeemed or not batch.accepts(now):
                raise InvalidRedemptionCode()
            locked.redeem(user_id, now)
            uow.redemptions.save_code(locked)
            product, delivery = self._deliver(uow, user_id, batch, locked, now)
            uow.commit()
        balance = delivery.entry.balance_after if delivery.entry is not None else wallet.credits
        return Redeemed(delivery.credits, Credits(balance.minor), product, delivery)

    def _deliver(self, uow: UnitOfWork, user_id: int, batch: RedemptionBatch, code: RedemptionCode,
                 now: datetime) -> tuple[Product | None, Delivery]:
        """The batch's credits, or its product delivered like a paid order's but at price 0 (coins packs are
        refused when the batch is made)."""
        assert code.id is not None
        source = Source(LedgerRef("redemption_code", code.id), f"redeem:{code.id}", Cny(0), LedgerType.REDEEM,
                        f"兑换码 {code.hint}", redemption_code_id=code.id)
        if batch.product_id is None:
            return None, Delivery(entry=wallet_ops.grant_credits(
                uow, user_id, batch.credits, source.credits_type, source.description, now, source.ref, source.key,
                source.price))
        product = uow.products.get(batch.product_id)
        assert product is not None, "catalogue rows are never deleted"
        return product, deliver(uow, user_id, product, source, now, self.secrets)
