"""Setting the scene the way production gets there: users registered, credits bought through the sandbox
channel (so they carry their CNY cost and the ledger audit stays clean), identities verified, videos generated."""
from __future__ import annotations

import json

from skyriff_domain.model.catalog import Product, ProductType
from skyriff_domain.model.user import Identity, IdentityKind
from skyriff_domain.money import Cny, Coins, Credits
from skyriff_domain.ports import UnitOfWorkFactory
from skyriff_domain.services.creation import TaskSpec
from skyriff_domain.services.payments import Payments
from skyriff_domain.services.registration import NewUser, register

from ...payments.sandbox import sign
from . import builders
from .fakes import SANDBOX_SECRET, Fakes
from .money_out import ADULT_ID


def new_user(f: Fakes, phone: str, nickname: str = "tester") -> int:
    """A registered user (with an empty wallet) whose phone logs them in; returns the id."""
    with f.uow() as uow:
        user = register(uow, NewUser(nickname, phone), [Identity(IdentityKind.PHONE, phone)], f.clock.now())
        uow.commit()
    return user.id


def sandbox_notice(payment_id: int, amount: str, status: str = "paid") -> tuple[dict[str, str], bytes]:
    """Headers and body of a signed sandbox notification."""
    body = json.dumps({"channel": "sandbox", "payment_id": payment_id, "amount_cny": amount,
                       "status": status}).encode()
    return {"X-Sandbox-Signature": sign(SANDBOX_SECRET, body)}, body


def pay(f: Fakes, user_id: int, sku: str) -> int:
    """Buy a catalogue product ("credits_30", "monthly_card"…; seed the catalogue first) over the sandbox and
    settle it; returns the payment id."""
    with f.uow() as uow:
        product = uow.products.get_by_sku(sku)
    if product is None:
        raise LookupError(f"no product {sku!r}: seed the catalogue first (Catalog.seed)")
    service = builders.payments(f)
    created = service.create(user_id, product.id, "sandbox")
    service.handle_notification("sandbox", *sandbox_notice(created.payment.id, str(product.price)))
    return created.payment.id


def buy_pack(f: Fakes, user_id: int, price: str, credits: int = 0, coins: str = "0") -> int:
    """Buy a pack made for the occasion (credits at a chosen price, or coins), settled over the sandbox."""
    return buy_pack_on(f.uow, builders.payments(f), user_id, price, credits, coins)


def buy_pack_on(uow: UnitOfWorkFactory, payment_service: Payments, user_id: int, price: str, credits: int = 0,
                coins: str = "0") -> int:
    """`buy_pack` on any unit of work and Payments use case (a container's, a contract test's)."""
    kind = ProductType.COINS_PACK if coins != "0" else ProductType.CREDITS_PACK
    sku = f"test_{kind.value}_{price}_{credits}_{coins}"
    with uow() as unit:
        product = unit.products.get_by_sku(sku)
        if product is None:
            product = unit.products.add(Product(sku, kind, "测试包", Cny.of(price), credits_amount=Credits(credits),
                                                coins_amount=Coins.of(coins), sort_order=999))
            unit.commit()
    created = payment_service.create(user_id, product.id, "sandbox")
    payment_service.handle_notification("sandbox", *sandbox_notice(created.payment.id, str(product.price)))
    return created.payment.id


def verify(f: Fakes, user_id: int, name: str = "张三", number: str = ADULT_ID) -> None:
    """A verified identity (withdrawals need one); the payee name in account_info must then be `name`."""
    builders.verifications(f).verify(user_id, name, number)


def finished_video(f: Fakes, user_id: int, prompt: str = "一只可爱的橘猫在草地上奔跑") -> int:
    """Generate a video through the real use cases (scripted provider, 10 credits); returns the video id."""
    task = builders.creation(f).create_task(user_id, TaskSpec(prompt, 10, "9:16", "sora2"))
    builders.runner(f).run_once()
    f.clock.advance(seconds=10)
    builders.runner(f).run_once()
    with f.uow() as uow:
        return uow.tasks.get(task.id).video_id
