"""Monthly income statements: per earner and kind of income, withdrawn and paid, in the business month, with the
verified identity; the totals are the ledger's."""
from datetime import datetime, timezone
from decimal import Decimal

import pytest

from skyriff_domain.errors import InvalidRequest
from skyriff_domain.model.ledger import Account, LedgerType
from skyriff_domain.money import Cny
from skyriff_domain.services.income import IncomeStatements
from skyriff_domain.services.works import Listing
from tests.support.money_out import ADULT_ID
from tests.support.usecases import buy_pack, finished_video, payouts, tipping, verify, withdrawals, works

pytestmark = pytest.mark.usefixtures("catalog")


def statements(fakes):
    return IncomeStatements(fakes.uow, fakes.policy, fakes.cipher)


def test_a_month_of_income_by_kind_with_the_verified_identity(fakes, make_user):
    fakes.clock.at = datetime(2026, 10, 31, 15, 0, tzinfo=timezone.utc)  # 23:00 on 31 October in Shanghai
    creator, fan = make_user(), make_user()
    buy_pack(fakes, creator, "0.50", credits=10)
    work = works(fakes).publish(creator, Listing(finished_video(fakes, creator), "作品", "", True, 5, 0))
    buy_pack(fakes, fan, "600.00", credits=600)  # 1.00 a credit: round numbers
    tipping(fakes).tip(fan, work.id, 100)  # October: 90.00
    fakes.clock.at = datetime(2026, 10, 31, 17, 0, tzinfo=timezone.utc)  # 01:00 on 1 November in Shanghai
    tipping(fakes).tip(fan, work.id, 50)  # 45.00
    tipping(fakes).unlock_prompt(fan, work.id)  # 4.50
    verify(fakes, creator, "张三")
    fakes.clock.advance(days=8)
    w = withdrawals(fakes).apply(creator, Decimal("100.00"), "alipay", {"account": "13800138000", "name": "张三"})
    payouts(fakes).approve(w.id)

    [row] = statements(fakes).month("2026-11")
    assert (row.user_id, row.real_name, row.id_number) == (creator, "张三", ADULT_ID)
    assert (row.tips, row.prompts, row.remix, row.commission, row.income) == (
        Cny.of("45.00"), Cny.of("4.50"), Cny(0), Cny(0), Cny.of("49.50"))
    assert (row.withdrawn, row.paid) == (Cny.of("100.00"), Cny.of("100.00"))
    [october] = statements(fakes).month("2026-10")
    assert (october.tips, october.real_name) == (Cny.of("90.00"), "张三")
    assert statements(fakes).month("2026-12") == []


def test_totals_are_the_ledgers(fakes, make_user):
    creator, fan = make_user(), make_user()
    buy_pack(fakes, creator, "0.50", credits=10)
    work = works(fakes).publish(creator, Listing(finished_video(fakes, creator), "作品"))
    buy_pack(fakes, fan, "3.00", credits=60)
    for amount in (10, 20, 10):
        tipping(fakes).tip(fan, work.id, amount)
    month = fakes.clock.now().strftime("%Y-%m")
    total = sum((r.income for r in statements(fakes).month(month)), Cny(0))
    with fakes.uow() as uow:
        ledger = uow.ledger.sums_by_type()[(Account.COINS_PENDING, LedgerType.TIP_INCOME)][0]
    assert total == Cny(ledger) and statements(fakes).month(month)[0].real_name is None  # unverified: no name


@pytest.mark.parametrize("month", ["2026-13", "2026/11", "11-2026", ""])
def test_a_month_is_yyyy_mm(fakes, month):
    with pytest.raises(InvalidRequest):
        statements(fakes).month(month)
