"""Operators' side of redemption codes: what a code looks like, generating a batch (codes shown once, only hashes
kept), its validation, listing with counts, a batch's redemptions, looking a code up, disabling."""
import csv
import io
from datetime import date, datetime, timezone

import pytest

from skyriff_domain.errors import InvalidRequest, NotAllowed, NotFound
from skyriff_domain.model.catalog import Product, ProductType
from skyriff_domain.model.moderation import Operator
from skyriff_domain.model.redemption import (
    CODE_ALPHABET,
    BatchStatus,
    code_hint,
    format_code,
    hash_code,
    normalize_code,
)
from skyriff_domain.money import Cny, Coins, Credits
from tests.support.usecases import REDEEM_SECRET, redemption_batches, redemptions

pytestmark = pytest.mark.usefixtures("catalog")
ALICE = Operator("alice")
NOW = datetime(2026, 11, 10, 2, 0, tzinfo=timezone.utc)  # 10:00 in Shanghai


@pytest.fixture(autouse=True)
def at_now(fakes):
    fakes.clock.at = NOW


def generate(fakes, count=3, **grant):
    grant = grant or {"credits": 100}
    return redemption_batches(fakes).generate("双十一活动", count, ALICE, **grant)


# What a code looks like ---------------------------------------------------------------------------------------
def test_the_alphabet_has_no_ambiguous_symbols():
    assert len(CODE_ALPHABET) == 32 and not set("01OI") & set(CODE_ALPHABET)


@pytest.mark.parametrize("typed", ["ABCD-EFGH-JKLM-NPQR", "abcd-efgh-jklm-npqr", "ABCDEFGHJKLMNPQR",
                                   " abcd efgh  jklm-npqr ", "AbCd-EfGh-JkLm-NpQr"])
def test_input_is_case_insensitive_and_ignores_dashes_and_spaces(typed):
    assert normalize_code(typed) == "ABCDEFGHJKLMNPQR"


@pytest.mark.parametrize("typed", ["", "ABCD-EFGH-JKLM-NPQ", "ABCD-EFGH-JKLM-NPQRS", "ABCD-EFGH-JKLM-NPQ0",
                                   "ABCD-EFGH-JKLM-NPQO", "ABCD-EFGH-JKLM-NPQ1", "ABCD-EFGH-JKLM-NPQI",
                                   "ＡBCD-EFGH-JKLM-NPQR", "ABCD_EFGH_JKLM_NPQR", "ABCD\tEFGH-JKLM-NPQR",
                                   "ﬀCD-EFGH-JKLM-NPQRS"])
def test_what_cannot_be_a_code_normalizes_to_nothing(typed):
    assert normalize_code(typed) is None


def test_codes_print_in_groups_of_four_and_operators_see_only_a_hint():
    assert format_code("ABCDEFGHJKLMNPQR") == "ABCD-EFGH-JKLM-NPQR"
    assert code_hint("ABCDEFGHJKLMNPQR") == "ABCD…QR"


# Generating -----------------------------------------------------------------------------------------------------
def test_a_batch_returns_its_codes_once_and_stores_only_hashes_and_hints(fakes):
    made = generate(fakes, count=5, credits=100)
    assert len(made.codes) == len(set(made.codes)) == 5
    for code in made.codes:
        assert len(code) == 19 and code.count("-") == 3 and normalize_code(code) is not None
    batch = made.view.batch
    assert (batch.label, batch.count, batch.credits, batch.product_id, batch.created_by, batch.created_at) == (
        "双十一活动", 5, Credits(100), None, "alice", NOW)
    assert (made.view.generated, made.view.redeemed, made.view.status) == (5, 0, BatchStatus.ACTIVE)
    stored = fakes.uow.db.state.redemption_codes.values()
    clear = {normalize_code(c) for c in made.codes}
    assert {c.code_hash for c in stored} == {hash_code(REDEEM_SECRET, c) for c in clear}
    assert {c.hint for c in stored} == {code_hint(c) for c in clear}
    assert not any(c in repr(fakes.uow.db.state) for c in clear)  # the clear codes are nowhere


def test_the_csv_export_holds_every_code_with_its_batch(fakes):
    made = generate(fakes, count=2, product_sku="monthly_card", expires_on=date(2026, 12, 31))
    rows = list(csv.DictReader(io.StringIO(made.csv())))
    assert [r["code"] for r in rows] == made.codes
    assert rows[0] | {"code": ""} == {"code": "", "batch_id": str(made.view.batch.id), "label": "双十一活动",
                                      "credits": "", "product_sku": "monthly_card",
                                      "expires_at": "2026-12-31T16:00:00+00:00"}


def test_expiry_is_the_end_of_the_business_day_in_shanghai(fakes):
    made = generate(fakes, expires_on=date(2026, 12, 31), credits=10)
    assert made.view.batch.expires_at == datetime(2026, 12, 31, 16, 0, tzinfo=timezone.utc)
    assert generate(fakes, expires_on=date(2026, 11, 10), credits=10).view.status is BatchStatus.ACTIVE  # today


@pytest.mark.parametrize("grant, field", [
    ({}, "grant"), ({"credits": 10, "product_sku": "credits_6"}, "grant"),
    ({"credits": 0}, "credits"), ({"credits": -5}, "credits"), ({"credits": 100_001}, "credits"),
    ({"product_sku": "nope"}, "product"),
])
def test_a_batch_grants_either_credits_within_bounds_or_a_known_product(fakes, grant, field):
    with pytest.raises(InvalidRequest) as err:
        redemption_batches(fakes).generate("活动", 3, ALICE, **grant)
    assert err.value.field == field


def test_a_coins_pack_cannot_be_a_code(fakes):
    with fakes.uow() as uow:
        uow.products.add(Product("coins_100", ProductType.COINS_PACK, "100金币", Cny.of("100.00"),
                                 coins_amount=Coins.of("100.00")))
        uow.commit()
    with pytest.raises(InvalidRequest) as err:
        redemption_batches(fakes).generate("活动", 3, ALICE, product_sku="coins_100")
    assert err.value.field == "product" and "金币包" in err.value.message


@pytest.mark.parametrize("label, count, expires_on, field", [
    ("", 3, None, "label"), ("   ", 3, None, "label"), ("x" * 101, 3, None, "label"), ("a\nb", 3, None, "label"),
    ("活动", 0, None, "count"), ("活动", 10_001, None, "count"),
    ("活动", 3, date(2026, 11, 9), "expires"),
])
def test_labels_counts_and_expiry_are_checked(fakes, label, count, expires_on, field):
    with pytest.raises(InvalidRequest) as err:
        redemption_batches(fakes).generate(label, count, ALICE, credits=10, expires_on=expires_on)
    assert err.value.field == field
    assert fakes.uow.db.state.redemption_batches == {}


# Listing, redemptions, lookup, disabling ------------------------------------------------------------------------
def test_batches_are_listed_newest_first_with_their_counts(fakes, make_user):
    first = generate(fakes, count=3, credits=10)
    second = generate(fakes, count=2, product_sku="monthly_card")
    redemptions(fakes).redeem(make_user(), first.codes[0])
    redemptions(fakes).redeem(make_user(), first.codes[1])
    views, more = redemption_batches(fakes).list()
    assert [(v.batch.id, v.generated, v.redeemed) for v in views] == [(second.view.batch.id, 2, 0),
                                                                       (first.view.batch.id, 3, 2)]
    assert views[0].product.sku == "monthly_card" and views[1].product is None and not more
    page, more = redemption_batches(fakes).list(limit=1)
    assert [v.batch.id for v in page] == [second.view.batch.id] and more
    page, more = redemption_batches(fakes).list(before_id=page[-1].batch.id, limit=1)
    assert [v.batch.id for v in page] == [first.view.batch.id] and not more


def test_an_empty_list_is_empty(fakes):
    assert redemption_batches(fakes).list() == ([], False)


def test_a_batchs_redemptions_say_who_and_when_latest_first(fakes, make_user):
    made = generate(fakes, count=3)
    users = [make_user() for _ in range(3)]
    for user, code in zip(users, made.codes, strict=True):
        redemptions(fakes).redeem(user, code)
        fakes.clock.advance(minutes=1)
    batch_id = made.view.batch.id
    page = redemption_batches(fakes).redemptions(batch_id, limit=2)
    assert [(c.redeemed_by, c.redeemed_at.minute) for c in page.items] == [(users[2], 2), (users[1], 1)]
    assert page.has_more
    rest = redemption_batches(fakes).redemptions(batch_id, before=page.cursor, limit=2)
    assert [c.redeemed_by for c in rest.items] == [users[0]] and not rest.has_more and rest.cursor is None
    assert redemption_batches(fakes).show(batch_id).redeemed == 3
    with pytest.raises(NotFound):
        redemption_batches(fakes).redemptions(batch_id + 1)


def test_support_looks_a_code_up_as_the_user_typed_it(fakes, make_user):
    made = generate(fakes)
    user = make_user()
    redemptions(fakes).redeem(user, made.codes[1])
    found = redemption_batches(fakes).find(made.codes[1].lower().replace("-", " "))
    assert (found.code.redeemed_by, found.code.redeemed_at, found.batch.batch.id) == (user, NOW, made.view.batch.id)
    assert redemption_batches(fakes).find(made.codes[0]).code.redeemed_by is None
    for unknown in ("AAAA-AAAA-AAAA-ZZZZ", "not a code"):
        with pytest.raises(NotFound):
            redemption_batches(fakes).find(unknown)


def test_disabling_is_recorded_once_and_unknown_batches_are_2007(fakes):
    made = generate(fakes)
    view = redemption_batches(fakes).disable(made.view.batch.id, Operator("bob"))
    assert (view.status, view.batch.disabled_at, view.batch.disabled_by) == (BatchStatus.DISABLED, NOW, "bob")
    with pytest.raises(NotAllowed):
        redemption_batches(fakes).disable(made.view.batch.id, ALICE)
    assert redemption_batches(fakes).show(made.view.batch.id).batch.disabled_by == "bob"
    for call in (redemption_batches(fakes).show, lambda i: redemption_batches(fakes).disable(i, ALICE)):
        with pytest.raises(NotFound):
            call(made.view.batch.id + 1)


def test_a_batch_past_its_expiry_shows_as_expired(fakes):
    made = generate(fakes, expires_on=date(2026, 11, 10), credits=5)
    fakes.clock.at = datetime(2026, 11, 10, 16, 0, tzinfo=timezone.utc)  # midnight in Shanghai
    assert redemption_batches(fakes).show(made.view.batch.id).status is BatchStatus.EXPIRED
