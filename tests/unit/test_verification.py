"""Real-name verification: the resident ID number's rules, masks, and at most three accounts per identity."""
from datetime import date

import pytest

from skyriff_domain.errors import IdentityMismatch, InvalidRequest, NotAllowed, NotFound, TooManyRequests
from skyriff_domain.model.identity import age_on, check_id_number, mask_id_number, mask_name
from tests.support.money_out import ADULT_ID, id_number
from tests.support.usecases import verifications

TODAY = date(2026, 11, 30)


@pytest.mark.parametrize("number, reason", [
    ("11010519491231002", "需为18位居民身份证号码"), ("1101051949123100211", "需为18位居民身份证号码"),
    ("11010519491231002Y", "需为18位居民身份证号码"), ("１１010519491231002X", "需为18位居民身份证号码"),
    ("110105194912310021", "校验码不正确"), ("110105194902300021", "出生日期无效"),
    ("110105203001010021", "出生日期无效"), ("110105189912310021", "出生日期无效"), (12345, "需为字符串"),
])
def test_malformed_numbers_are_2000_naming_the_field(number, reason):
    with pytest.raises(InvalidRequest) as err:
        check_id_number(number, TODAY)
    assert (err.value.field, err.value.data["reason"]) == ("id_number", reason)


def test_a_well_formed_number_gives_its_birth_date_and_a_small_x_reads_as_x():
    assert check_id_number(ADULT_ID, TODAY) == date(1949, 12, 31)
    assert check_id_number(ADULT_ID.lower(), TODAY) == date(1949, 12, 31)
    assert check_id_number(id_number(date(2012, 2, 29)), TODAY) == date(2012, 2, 29)


def test_masks_and_age():
    assert (mask_name("张三"), mask_name("欧阳娜娜"), mask_name("李")) == ("张*", "欧***", "李*")
    assert mask_id_number(ADULT_ID) == "1101**********002X"
    assert age_on(date(2010, 12, 1), TODAY) == 15 and age_on(date(2010, 11, 30), TODAY) == 16
    assert age_on(date(2008, 2, 29), date(2026, 2, 28)) == 17 and age_on(date(2008, 2, 29), date(2026, 3, 1)) == 18


def test_verifying_shows_only_masks_and_keeps_only_tokens(fakes, make_user):
    uid = make_user()
    fakes.clock.at = fakes.clock.at.replace(year=2026, month=11, day=30)
    view = verifications(fakes).verify(uid, " 张三 ", ADULT_ID)
    assert (view.verified, view.real_name_masked, view.id_number_masked, view.age, view.is_minor) == (
        True, "张*", "1101**********002X", 76, False)
    assert verifications(fakes).view(uid) == view
    with fakes.uow() as uow:
        stored = uow.verifications.for_user(uid)
    # only the cipher's tokens and fingerprint are kept (the real cipher's are tested in its own tests)
    assert (stored.name_token, stored.number_token) == (fakes.cipher.encrypt("张三"), fakes.cipher.encrypt(ADULT_ID))
    assert stored.number_fingerprint == fakes.cipher.fingerprint(ADULT_ID)
    assert verifications(fakes).view(make_user()).verified is False


def test_a_mismatch_is_2010_and_nothing_is_kept(fakes, make_user):
    uid = make_user()
    with pytest.raises(IdentityMismatch) as err:
        verifications(fakes).verify(uid, "张三[mismatch]", ADULT_ID)
    assert err.value.code == 2010
    assert verifications(fakes).view(uid).verified is False


def test_a_verification_cannot_be_changed_by_its_user_but_operators_can_reset_it(fakes, make_user):
    uid = make_user()
    verifications(fakes).verify(uid, "张三", ADULT_ID)
    with pytest.raises(NotAllowed):
        verifications(fakes).verify(uid, "李四", id_number(date(1990, 1, 1)))
    verifications(fakes).reset(uid)
    assert verifications(fakes).verify(uid, "李四", id_number(date(1990, 1, 1))).real_name_masked == "李*"
    with pytest.raises(NotFound):
        verifications(fakes).reset(make_user())


def test_one_identity_verifies_at_most_three_accounts(fakes, make_user):
    accounts = [make_user() for _ in range(4)]
    for uid in accounts[:3]:
        verifications(fakes).verify(uid, "张三", ADULT_ID)
    with pytest.raises(IdentityMismatch) as err:
        verifications(fakes).verify(accounts[3], "张三", ADULT_ID)
    assert err.value.message == "该身份已认证的账号数已达上限"
    verifications(fakes).reset(accounts[0])  # a freed slot can be used again
    verifications(fakes).verify(accounts[3], "张三", ADULT_ID)


def test_provider_checks_are_limited_per_day(fakes, make_user):
    uid = make_user()
    for _ in range(5):
        with pytest.raises(IdentityMismatch):
            verifications(fakes).verify(uid, "错名[mismatch]", ADULT_ID)
    with pytest.raises(TooManyRequests):
        verifications(fakes).verify(uid, "张三", ADULT_ID)
    assert fakes.verifier.checks == 5
    fakes.clock.advance(days=1)
    assert verifications(fakes).verify(uid, "张三", ADULT_ID).verified
