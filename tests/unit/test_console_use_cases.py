"""The use cases the console adds or extends: asking a channel about one payment (补单), failing a stuck task, editing
a product — each exactly once, each with its audit entry in its own transaction."""
from __future__ import annotations

import pytest

from adapters.payments.sandbox import SandboxGateway
from skyriff_domain.errors import InvalidRequest, NotAllowed, NotificationRejected
from skyriff_domain.model.audit import AuditFilter
from skyriff_domain.model.operator import Operator
from skyriff_domain.model.payment import ChannelState, PaymentNotice, PaymentStatus
from skyriff_domain.money import Cny
from skyriff_domain.services.catalog import Catalog
from skyriff_domain.services.creation import TaskSpec
from skyriff_domain.services.task_admin import TaskAdmin
from tests.support.fakes import SANDBOX_SECRET, Fakes
from tests.support.usecases import creation, pay, payments, wallets
from tests.unit.conftest import user_maker

FINANCE = Operator("fred", 7, "finance", "10.0.0.9")


class PaidAtTheChannel(SandboxGateway):
    """A channel whose query says an order was paid (its notification got lost), for `amount`."""

    def __init__(self, amount: str = "6.00") -> None:
        super().__init__(SANDBOX_SECRET, "http://test/notify")
        self.amount = amount

    def query(self, out_trade_no: str) -> PaymentNotice:
        return PaymentNotice(ChannelState.PAID, out_trade_no, Cny.of(self.amount), f"T-{out_trade_no}")


def world(amount: str = "6.00"):
    f = Fakes(gateways={"sandbox": PaidAtTheChannel(amount)})
    Catalog(f.uow).seed()
    return f, user_maker(f)("小天")


def audit(f: Fakes, action: str) -> list:
    with f.uow() as uow:
        return uow.audit.search(AuditFilter(action=action), None, 20)


def order(f: Fakes, user_id: int) -> int:
    with f.uow() as uow:
        product = uow.products.get_by_sku("credits_6")
    return payments(f).create(user_id, product.id, "sandbox").payment.id


def test_asking_the_channel_settles_a_paid_order_once_and_records_who_asked():
    f, user = world()
    payment_id = order(f, user)
    assert payments(f).query(payment_id, FINANCE).status is PaymentStatus.PAID
    assert payments(f).query(payment_id, FINANCE).status is PaymentStatus.PAID  # asked again: nothing twice
    assert wallets(f).overview(user).credits.minor == 120
    with f.uow() as uow:
        assert [e.outcome for e in uow.payment_events.for_payment(payment_id)] == ["settled", "duplicate"]
    entries = audit(f, "payment.query")
    assert [(e.before, e.after["status"], e.operator_id, e.ip) for e in entries] == [
        ({"status": "paid"}, "paid", 7, "10.0.0.9"), ({"status": "pending"}, "paid", 7, "10.0.0.9")]


def test_a_channel_answer_with_another_amount_is_refused_and_noted_beside_the_payment():
    f, user = world(amount="0.01")
    payment_id = order(f, user)
    with pytest.raises(NotificationRejected):
        payments(f).query(payment_id, FINANCE)
    with f.uow() as uow:
        assert uow.payments.get(payment_id).status is PaymentStatus.PENDING
        assert [e.outcome for e in uow.payment_events.for_payment(payment_id)] == ["rejected"]
    assert audit(f, "payment.query") == []  # the refused question changed nothing, so it left no entry


def test_failing_a_task_refunds_it_once_and_is_audited():
    f = Fakes()
    Catalog(f.uow).seed()
    user = user_maker(f)("小天")
    pay(f, user, "credits_6")
    task = creation(f).create_task(user, TaskSpec("一只猫", 10, "9:16", "sora2"))
    with pytest.raises(InvalidRequest):
        TaskAdmin(f.uow, f.clock).fail(task.id, FINANCE, "")
    TaskAdmin(f.uow, f.clock).fail(task.id, FINANCE, "供应商无响应")
    with pytest.raises(NotAllowed):
        TaskAdmin(f.uow, f.clock).fail(task.id, FINANCE, "再来")
    assert wallets(f).overview(user).credits.minor == 120
    entry = audit(f, "task.fail")[0]
    assert (entry.before, entry.after["status"], entry.after["refunded_credits"]) == (
        {"status": "NOT_START"}, "FAILURE", 10)


def test_a_product_edit_keeps_its_sku_and_type_and_must_still_deliver():
    f = Fakes()
    catalog = Catalog(f.uow, f.clock)
    catalog.seed()
    edited = catalog.edit("credits_6", FINANCE, name="6元包", price=Cny.of("5.00"))
    assert (edited.sku, edited.name, str(edited.price)) == ("credits_6", "6元包", "5.00")
    with pytest.raises(InvalidRequest):
        catalog.edit("credits_6", FINANCE, type="coins_pack")
    with pytest.raises(InvalidRequest):
        catalog.edit("credits_6", FINANCE, price=Cny(0))
    assert [e.after["price"] for e in audit(f, "product.edit")] == ["5.00"]
