"""The world a money simulation runs in: every use case over one SQL unit of work, a clock the simulation moves,
and two outside parties it controls — a payment channel that remembers which orders were paid (so lost
notifications are found by reconciliation) and a video provider whose outcome the prompt decides."""
from __future__ import annotations

import itertools
import json
import threading
from pathlib import Path
from typing import Mapping

import attrs

from adapters.clock import FixedClock
from adapters.identity.fake import FakeIdentityVerifier, PlainPersonalDataCipher
from adapters.memory.stores import MemoryRateLimiter
from adapters.payments.sandbox_payouts import SandboxPayoutGateway
from adapters.payments.sandbox_refunds import SandboxRefundGateway
from adapters.media.fake import FakeAigcLabeler, PassthroughMediaProcessor
from adapters.payments.sandbox import SandboxGateway, sign
from adapters.secret_generators import RandomSecrets
from adapters.storage.memory import MemoryBlobStorage
from skyriff_domain.errors import PaymentFailed
from skyriff_domain.model.generation import GenerationRequest, ModelCapability, UpstreamJob, UpstreamState
from skyriff_domain.model.payment import ChannelState, PaymentNotice, PaymentOrder
from skyriff_domain.model.user import Identity, IdentityKind
from skyriff_domain.model.catalog import Product, ProductType
from skyriff_domain.money import Cny, Coins
from skyriff_domain.policy import Policy
from skyriff_domain.ports import JobQueue, SubmitRejected, VideoProvider
from skyriff_domain.services.aigc import AigcLabels
from skyriff_domain.services.assets import Assets
from skyriff_domain.services.catalog import Catalog
from skyriff_domain.services.creation import Creation
from skyriff_domain.services.ledger_audit import LedgerAudit
from skyriff_domain.services.payments import Payments
from skyriff_domain.services.payouts import Payouts
from skyriff_domain.services.play_copies import PlayCopies
from skyriff_domain.services.providers import ProviderRouter
from skyriff_domain.services.redemption import Redemptions
from skyriff_domain.services.redemption_batches import RedemptionBatches
from skyriff_domain.services.refunds import Refunds
from skyriff_domain.services.verification import Verifications
from skyriff_domain.services.referrals import Referrals
from skyriff_domain.services.registration import NewUser, register
from skyriff_domain.services.remix import Remixes
from skyriff_domain.services.subscriptions import Subscriptions
from skyriff_domain.services.task_center import TaskCenter
from skyriff_domain.services.task_runner import TaskRunner
from skyriff_domain.services.throttle import Throttle
from skyriff_domain.services.tipping import Tipping
from skyriff_domain.services.wallets import Wallets
from skyriff_domain.services.withdrawals import Withdrawals
from skyriff_domain.services.works import Works

SECRET = "simulation-secret"
REDEEM_SECRET = "simulation-redeem-secret"


class SimChannel(SandboxGateway):
    """The sandbox's signed notifications, plus a memory of what payers paid: a query tells the truth, so a
    payment whose notifications were all lost is settled by reconciliation."""

    channel = "sim"

    def __init__(self) -> None:
        super().__init__(SECRET, "http://sim/notify")
        self.paid: dict[str, int] = {}  # out_trade_no → payment id, once the payer paid
        self.amounts: dict[str, str] = {}
        self.lock = threading.Lock()

    def create_order(self, order: PaymentOrder) -> dict[str, str]:
        with self.lock:
            self.amounts[order.out_trade_no] = str(order.amount)
        return super().create_order(order)

    def pay(self, out_trade_no: str, payment_id: int) -> None:
        with self.lock:
            self.paid[out_trade_no] = payment_id

    def notification(self, payment_id: int, amount: str, forged: bool = False) -> tuple[Mapping[str, str], bytes]:
        body = json.dumps({"channel": "sandbox", "payment_id": payment_id, "amount_cny": amount,
                           "status": "paid"}).encode()
        return {"X-Sandbox-Signature": "0" * 64 if forged else sign(SECRET, body)}, body

    def query(self, out_trade_no: str) -> PaymentNotice:
        with self.lock:
            if out_trade_no in self.paid:
                return PaymentNotice(ChannelState.PAID, out_trade_no, Cny.of(self.amounts[out_trade_no]),
                                     f"sandbox-{self.paid[out_trade_no]}")
        return PaymentNotice(ChannelState.PENDING, out_trade_no)

    def close(self, out_trade_no: str) -> None:
        with self.lock:
            if out_trade_no in self.paid:
                raise PaymentFailed("已支付，不能关闭")


class SimProvider(VideoProvider):
    """The prompt decides: `[fail]` fails upstream, `[reject]` is refused at submission, `[stuck]` never
    finishes (the 30-minute sweep fails it); anything else completes on its second poll."""

    name = "sim"

    def __init__(self) -> None:
        self._ids = itertools.count(1)
        self._cap = ModelCapability("sim", {10: "10", 15: "15", 25: "25"}, {"9:16": "9x16", "16:9": "16x9"},
                                    square_by_crop=True)
        self._polls: dict[str, int] = {}
        self._lock = threading.Lock()

    def capability(self, model: str) -> ModelCapability | None:
        return self._cap

    def submit(self, request: GenerationRequest) -> UpstreamJob:
        if "[reject]" in request.prompt:
            raise SubmitRejected("提示词不符合规范")
        kind = "fail" if "[fail]" in request.prompt else "stuck" if "[stuck]" in request.prompt else "ok"
        return UpstreamJob(f"sim-{next(self._ids)}-{kind}", UpstreamState.QUEUED)

    def poll(self, upstream_id: str) -> UpstreamJob:
        kind = upstream_id.rsplit("-", 1)[1]
        with self._lock:
            self._polls[upstream_id] = polls = self._polls.get(upstream_id, 0) + 1
        if kind == "fail":
            return UpstreamJob(upstream_id, UpstreamState.FAILED, 0, "failed", "生成失败")
        if kind == "stuck" or polls < 2:
            return UpstreamJob(upstream_id, UpstreamState.IN_PROGRESS, 50)
        return UpstreamJob(upstream_id, UpstreamState.COMPLETED, 100)

    def download(self, upstream_id: str, into: Path, max_bytes: int) -> int:
        data = b"\x00\x00\x00\x18ftypmp42" + upstream_id.encode()
        into.write_bytes(data)
        return len(data)


class NoQueue(JobQueue):
    """The simulation's worker steps find new tasks by themselves."""

    def task_created(self, task_id: int) -> None:
        return None


@attrs.define
class World:
    uow: object
    clock: FixedClock
    policy: Policy
    channel: SimChannel
    payments: Payments
    creation: Creation
    runner: TaskRunner
    works: Works
    tipping: Tipping
    remixes: Remixes
    subscriptions: Subscriptions
    task_center: TaskCenter
    referrals: Referrals
    withdrawals: Withdrawals
    payouts: Payouts
    refunds: Refunds
    verifications: Verifications
    wallets: Wallets
    assets: Assets
    audit: LedgerAudit
    redemption_batches: RedemptionBatches
    redemptions: Redemptions
    users: list[int] = attrs.field(factory=list)

    @classmethod
    def build(cls, uow, users: int) -> "World":
        clock, policy = FixedClock(), Policy()
        channel = SimChannel()
        provider = SimProvider()
        router = ProviderRouter({"sora2": [provider], "sora2Pro": [provider]}, policy, lambda _: None)
        storage, media = MemoryBlobStorage(), PassthroughMediaProcessor()
        cipher = PlainPersonalDataCipher()
        payout_gateways = {m: SandboxPayoutGateway(m) for m in ("alipay", "wechat")}
        labels = AigcLabels(FakeAigcLabeler(), b"simulation-aigc-key")
        creation = Creation(uow, clock, policy, router, NoQueue())
        world = cls(
            uow=uow, clock=clock, policy=policy, channel=channel,
            payments=Payments(uow, clock, policy, RandomSecrets(), {"sim": channel}),
            creation=creation, runner=TaskRunner(uow, clock, policy, router, storage, media, labels=labels),
            works=Works(uow, clock, policy, play_copies=PlayCopies(uow, storage, labels)),
            tipping=Tipping(uow, clock, policy),
            remixes=Remixes(uow, clock, policy, creation), subscriptions=Subscriptions(uow, clock, policy),
            task_center=TaskCenter(uow, clock, policy), referrals=Referrals(uow, clock, policy),
            withdrawals=Withdrawals(uow, clock, policy, cipher, payout_gateways),
            payouts=Payouts(uow, clock, policy, cipher, payout_gateways),
            refunds=Refunds(uow, clock, policy, {"sim": SandboxRefundGateway("sim")}),
            verifications=Verifications(uow, clock, policy, FakeIdentityVerifier(), cipher, MemoryRateLimiter()),
            wallets=Wallets(uow, clock, policy),
            assets=Assets(uow, clock, policy, storage, media, labels=labels), audit=LedgerAudit(uow, policy),
            redemption_batches=RedemptionBatches(uow, clock, policy, RandomSecrets(), REDEEM_SECRET),
            redemptions=Redemptions(uow, clock, policy, Throttle(MemoryRateLimiter(), clock, policy), RandomSecrets(),
                                    REDEEM_SECRET))
        Catalog(uow).seed()
        Catalog(uow).add(Product("coins_100", ProductType.COINS_PACK, "100金币", Cny.of("100.00"),
                                 coins_amount=Coins.of("100.00")))
        for n in range(users):
            phone = f"137{n:08d}"
            with uow() as unit:
                world.users.append(register(unit, NewUser(f"模拟{n}", phone), [Identity(IdentityKind.PHONE, phone)],
                                            clock.now()).id)
                unit.commit()
        return world

    def product_ids(self) -> dict[str, int]:
        return {p.sku: p.id for p in Catalog(self.uow).list()}
