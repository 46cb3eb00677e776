"""Builders of use cases over a `Fakes` set, so tests read like the rule they check."""
from __future__ import annotations

import json

from adapters.payments.sandbox import sign
from skyriff_domain.services.aigc import AigcLabels
from skyriff_domain.services.assets import Assets
from skyriff_domain.services.creation import TaskSpec
from skyriff_domain.services.home import Home
from skyriff_domain.services.remix import Remixes
from skyriff_domain.services.task_center import TaskCenter
from skyriff_domain.services.tipping import Tipping
from skyriff_domain.services.works import Works
from skyriff_domain.services.creation import Creation
from skyriff_domain.services.payments import Payments
from skyriff_domain.services.play_copies import PlayCopies
from skyriff_domain.services.projects import Projects
from skyriff_domain.services.providers import ProviderRouter
from skyriff_domain.services.task_runner import TaskRunner
from skyriff_domain.services.redemption import Redemptions
from skyriff_domain.services.redemption_batches import RedemptionBatches
from skyriff_domain.services.referrals import Referrals
from skyriff_domain.services.subscriptions import Subscriptions
from skyriff_domain.services.payouts import Payouts
from skyriff_domain.services.refunds import Refunds
from skyriff_domain.services.verification import Verifications
from skyriff_domain.services.withdrawals import Withdrawals
from skyriff_domain.services.auth import Authenticator, SmsLogin, WeChatLoginFlow
from skyriff_domain.services.console_auth import ConsoleAuth
from skyriff_domain.services.operators import Operators
from skyriff_domain.services.idempotency import Idempotency
from skyriff_domain.services.users import Following, Profiles
from skyriff_domain.services.withheld_files import WithheldFiles
from skyriff_domain.services.wallets import Wallets
from skyriff_domain.services.appeals import Appeals
from skyriff_domain.services.moderation import Moderation
from skyriff_domain.services.reports import Reports
from skyriff_domain.services.sanctions import Sanctions
from skyriff_domain.services.screening import Screen
from skyriff_domain.services.throttle import Throttle

from skyriff_domain.model.catalog import Product, ProductType
from skyriff_domain.money import Cny, Coins, Credits

from .money_out import ADULT_ID
from .fakes import AIGC_KEY, SANDBOX_SECRET, Fakes

CODE_SECRET = "code-secret"
REDEEM_SECRET = "redeem-secret"


def operators(f: Fakes) -> Operators:
    return Operators(f.uow, f.clock, f.policy.console, f.hasher, f.totp, f.cipher)


def console_auth(f: Fakes) -> ConsoleAuth:
    return ConsoleAuth(f.uow, f.clock, f.policy.console, f.hasher, f.totp, f.cipher, f.secrets)


def totp_now(f: Fakes, secret: str, seconds_later: float = 0) -> str:
    """The code an authenticator app shows at the fake clock's time (plus `seconds_later`)."""
    import pyotp

    return pyotp.TOTP(secret).at(f.clock.now().timestamp() + seconds_later)


def sms_login(f: Fakes, test_phones: dict[str, str] | None = None) -> SmsLogin:
    return SmsLogin(f.uow, f.clock, f.policy, f.codes, f.sms, f.limiter, f.secrets, f.tokens, CODE_SECRET,
                    test_phones or {})


def wechat_flow(f: Fakes) -> WeChatLoginFlow:
    return WeChatLoginFlow(f.uow, f.clock, f.policy, f.wechat, f.states, f.secrets, f.tokens)


def authenticator(f: Fakes) -> Authenticator:
    return Authenticator(f.uow, f.clock, f.tokens)


def wallets(f: Fakes) -> Wallets:
    return Wallets(f.uow, f.clock, f.policy)


def screen(f: Fakes) -> Screen:
    """Moderation through the scripted moderator: only "[block]" and "[review]" change anything."""
    return Screen(f.moderator, f.policy.moderation, f.frames)


def profiles(f: Fakes) -> Profiles:
    return Profiles(f.uow, f.clock, screen(f), f.storage)


def following(f: Fakes) -> Following:
    return Following(f.uow, f.clock)


def idempotency(f: Fakes) -> Idempotency:
    return Idempotency(f.idempotency, f.clock, f.policy)


def payments(f: Fakes) -> Payments:
    return Payments(f.uow, f.clock, f.policy, f.secrets, f.gateways)


def subscriptions(f: Fakes) -> Subscriptions:
    return Subscriptions(f.uow, f.clock, f.policy)


def referrals(f: Fakes) -> Referrals:
    return Referrals(f.uow, f.clock, f.policy)


def withdrawals(f: Fakes) -> Withdrawals:
    return Withdrawals(f.uow, f.clock, f.policy, f.cipher, f.payouts)


def payouts(f: Fakes) -> Payouts:
    return Payouts(f.uow, f.clock, f.policy, f.cipher, f.payouts)


def verifications(f: Fakes) -> Verifications:
    return Verifications(f.uow, f.clock, f.policy, f.verifier, f.cipher, f.limiter)


def refunds(f: Fakes) -> Refunds:
    return Refunds(f.uow, f.clock, f.policy, f.refund_gateways)


def verify(f: Fakes, user_id: int, name: str = "张三", number: str = ADULT_ID) -> None:
    """A verified identity (withdrawals need one); the payee name in account_info must then be `name`."""
    verifications(f).verify(user_id, name, number)


def sandbox_notice(payment_id: int, amount: str, status: str = "paid") -> tuple[dict[str, str], bytes]:
    """Headers and body of a signed sandbox notification."""
    body = json.dumps({"channel": "sandbox", "payment_id": payment_id, "amount_cny": amount,
                       "status": status}).encode()
    return {"X-Sandbox-Signature": sign(SANDBOX_SECRET, body)}, body


def pay(f: Fakes, user_id: int, sku: str) -> int:
    """Buy a catalogue product over the sandbox and settle it; returns the payment id."""
    with f.uow() as uow:
        product = uow.products.get_by_sku(sku)
    created = payments(f).create(user_id, product.id, "sandbox")
    payments(f).handle_notification("sandbox", *sandbox_notice(created.payment.id, str(product.price)))
    return created.payment.id


def buy_pack(f: Fakes, user_id: int, price: str, credits: int = 0, coins: str = "0") -> int:
    """Buy a pack made for the test (credits at a chosen price, or coins), settled over the sandbox."""
    return buy_pack_on(f.uow, payments(f), user_id, price, credits, coins)


def buy_pack_on(uow, payment_service: Payments, user_id: int, price: str, credits: int = 0,
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


def router(f: Fakes, *providers) -> ProviderRouter:
    chain = list(providers) or [f.provider]
    return ProviderRouter({"sora2": chain, "sora2Pro": chain}, f.policy, f.sleeps.append)


def creation(f: Fakes, *providers) -> Creation:
    return Creation(f.uow, f.clock, f.policy, router(f, *providers), f.jobs, screen(f))


def aigc_labels(f: Fakes) -> AigcLabels:
    return AigcLabels(f.labeler, AIGC_KEY, "skyriff")


def runner(f: Fakes, *providers) -> TaskRunner:
    return TaskRunner(f.uow, f.clock, f.policy, router(f, *providers), f.storage, f.media, labels=aigc_labels(f),
                      screen=screen(f))


def assets(f: Fakes) -> Assets:
    return Assets(f.uow, f.clock, f.policy, f.storage, f.media, labels=aigc_labels(f))


def projects(f: Fakes) -> Projects:
    return Projects(f.uow, f.clock)


def works(f: Fakes, cache=None) -> Works:
    return Works(f.uow, f.clock, f.policy, cache, play_copies=PlayCopies(f.uow, f.storage, aigc_labels(f)),
                 screen=screen(f))


def moderation(f: Fakes, cache=None) -> Moderation:
    return Moderation(f.uow, f.clock, f.policy, cache, WithheldFiles(f.uow, f.storage))


def reports(f: Fakes) -> Reports:
    return Reports(f.uow, f.clock, f.policy)


def appeals(f: Fakes, cache=None) -> Appeals:
    return Appeals(f.uow, f.clock, cache, WithheldFiles(f.uow, f.storage))


def sanctions(f: Fakes) -> Sanctions:
    return Sanctions(f.uow, f.clock)


def redemption_batches(f: Fakes) -> RedemptionBatches:
    return RedemptionBatches(f.uow, f.clock, f.policy, f.secrets, REDEEM_SECRET)


def redemptions(f: Fakes) -> Redemptions:
    return Redemptions(f.uow, f.clock, f.policy, Throttle(f.limiter, f.clock, f.policy), f.secrets, REDEEM_SECRET)


def tipping(f: Fakes) -> Tipping:
    return Tipping(f.uow, f.clock, f.policy)


def remixes(f: Fakes) -> Remixes:
    return Remixes(f.uow, f.clock, f.policy, creation(f))


def task_center(f: Fakes) -> TaskCenter:
    return TaskCenter(f.uow, f.clock, f.policy)


def home(f: Fakes) -> Home:
    return Home(f.uow, f.clock, f.policy, wallets(f), subscriptions(f))


def finished_video(f: Fakes, user_id: int, prompt: str = "一只可爱的橘猫在草地上奔跑") -> int:
    """Generate a video through the real use cases (scripted provider); returns the video id."""
    task = creation(f).create_task(user_id, TaskSpec(prompt, 10, "9:16", "sora2"))
    runner(f).run_once()
    f.clock.advance(seconds=10)
    runner(f).run_once()
    with f.uow() as uow:
        return uow.tasks.get(task.id).video_id
