import pytest

from skyriff_domain.errors import InvalidRequest, SmsCodeInvalid, TooManyRequests, UserBanned
from skyriff_domain.services.admin import UserAdmin
from tests.support.usecases import CODE_SECRET, authenticator, sms_login

PHONE = "13800138000"


def test_first_login_creates_the_user_with_a_wallet(fakes):
    login = sms_login(fakes)
    assert login.send_code(PHONE) == 300
    result = login.verify(PHONE, fakes.sms.last_code(PHONE))
    assert result.is_new_user and result.user.phone == PHONE and result.user.masked_phone == "138****8000"
    assert authenticator(fakes).authenticate(result.token).id == result.user.id
    with fakes.uow() as uow:
        assert uow.wallets.get(result.user.id) is not None


def test_second_login_finds_the_same_user(fakes):
    login = sms_login(fakes)
    login.send_code(PHONE)
    first = login.verify(PHONE, fakes.sms.last_code(PHONE))
    fakes.clock.advance(seconds=61)
    login.send_code(PHONE)
    second = login.verify(PHONE, fakes.sms.last_code(PHONE))
    assert second.user.id == first.user.id and not second.is_new_user


def test_codes_are_stored_hashed(fakes):
    login = sms_login(fakes)
    login.send_code(PHONE)
    stored = fakes.codes.get(PHONE)
    assert fakes.sms.last_code(PHONE) not in stored.code_hash and len(stored.code_hash) == 64
    assert CODE_SECRET not in stored.code_hash


@pytest.mark.parametrize("phone", ["12800138000", "1380013800", "138001380001", "+8613800138000", "abc",
                                   "13800138000\n"])
def test_only_mainland_mobile_numbers(fakes, phone):
    with pytest.raises(InvalidRequest) as err:
        sms_login(fakes).send_code(phone)
    assert err.value.field == "phone"


@pytest.mark.parametrize("phone", [
    "138\uff10\uff10\uff11\uff13\uff18\uff10\uff10\uff10",  # full-width digits (１３８…)
    "138\u0660\u0660\u0661\u0663\u0668\u0660\u0660\u0660",  # Arabic-Indic digits (٠١٣…)
    "138\u06f0\u06f0\u06f1\u06f3\u06f8\u06f0\u06f0\u06f0",  # extended Arabic-Indic digits
])
def test_phone_digits_are_ascii_only(fakes, phone):
    """Other scripts' digits would log in as a second identity of the same number."""
    with pytest.raises(InvalidRequest) as err:
        sms_login(fakes, {PHONE: "123456"}).verify(phone, "123456")
    assert err.value.field == "phone"
    with pytest.raises(InvalidRequest):
        sms_login(fakes).send_code(phone)


def test_code_digits_are_ascii_only(fakes):
    with pytest.raises(InvalidRequest) as err:
        sms_login(fakes, {PHONE: "123456"}).verify(PHONE, "\uff11\uff12\uff13\uff14\uff15\uff16")
    assert err.value.field == "code"


def test_resending_within_sixty_seconds_is_refused_with_the_wait(fakes):
    login = sms_login(fakes)
    login.send_code(PHONE)
    fakes.clock.advance(seconds=20)
    with pytest.raises(TooManyRequests) as err:
        login.send_code(PHONE)
    assert err.value.retry_after == 40 and err.value.code == 1006
    fakes.clock.advance(seconds=40)
    login.send_code(PHONE)
    assert len(fakes.sms.sent) == 2


def test_daily_cap_per_phone(fakes):
    login = sms_login(fakes)
    for _ in range(fakes.policy.auth.sms_daily_cap_per_phone):
        login.send_code(PHONE)
        fakes.clock.advance(seconds=61)
    with pytest.raises(TooManyRequests):
        login.send_code(PHONE)


def test_daily_cap_follows_the_shanghai_business_day(fakes):
    login = sms_login(fakes)
    fakes.clock.at = fakes.clock.at.replace(hour=15, minute=0)  # 23:00 in Shanghai
    for _ in range(fakes.policy.auth.sms_daily_cap_per_phone):
        login.send_code(PHONE)
        fakes.clock.advance(seconds=61)
    with pytest.raises(TooManyRequests) as err:
        login.send_code(PHONE)
    assert err.value.retry_after == 60 * 60 - 61 * 10  # until midnight in Shanghai (16:00 UTC)
    fakes.clock.advance(seconds=err.value.retry_after)
    login.send_code(PHONE)  # a new business day


def test_hourly_cap_per_ip(fakes):
    login = sms_login(fakes)
    for n in range(fakes.policy.auth.sms_hourly_cap_per_ip):
        login.send_code(f"137{n:08d}", client_ip="10.0.0.1")
    with pytest.raises(TooManyRequests):
        login.send_code("13699999999", client_ip="10.0.0.1")
    login.send_code("13699999999", client_ip="10.0.0.2")


def test_a_code_expires_after_five_minutes(fakes):
    login = sms_login(fakes)
    login.send_code(PHONE)
    fakes.clock.advance(seconds=301)
    with pytest.raises(SmsCodeInvalid):
        login.verify(PHONE, fakes.sms.last_code(PHONE))


def test_five_wrong_tries_kill_the_code(fakes):
    login = sms_login(fakes)
    login.send_code(PHONE)
    good = fakes.sms.last_code(PHONE)
    wrong = "000000" if good != "000000" else "111111"
    for _ in range(5):
        with pytest.raises(SmsCodeInvalid):
            login.verify(PHONE, wrong)
    with pytest.raises(SmsCodeInvalid):
        login.verify(PHONE, good)


def test_a_code_works_once(fakes):
    login = sms_login(fakes)
    login.send_code(PHONE)
    code = fakes.sms.last_code(PHONE)
    login.verify(PHONE, code)
    with pytest.raises(SmsCodeInvalid):
        login.verify(PHONE, code)


def test_test_phones_use_their_fixed_code_and_never_send(fakes):
    login = sms_login(fakes, {"13800138000": "123456"})
    login.send_code(PHONE)
    assert fakes.sms.sent == []
    assert login.verify(PHONE, "123456").is_new_user
    with pytest.raises(SmsCodeInvalid):
        login.verify(PHONE, "654321")
    assert not login.verify(PHONE, "123456").is_new_user  # without asking for a code first, too


def test_test_phones_obey_the_send_limits(fakes):
    login = sms_login(fakes, {PHONE: "123456"})
    login.send_code(PHONE)
    with pytest.raises(TooManyRequests) as err:
        login.send_code(PHONE)  # the resend cooldown, though nothing is sent
    assert err.value.retry_after == 60
    for _ in range(fakes.policy.auth.sms_daily_cap_per_phone - 1):
        fakes.clock.advance(seconds=61)
        login.send_code(PHONE)
    fakes.clock.advance(seconds=61)
    with pytest.raises(TooManyRequests):
        login.send_code(PHONE)  # the daily cap


def test_five_wrong_tries_kill_a_test_phones_fixed_code(fakes):
    login = sms_login(fakes, {PHONE: "123456"})
    for _ in range(5):
        with pytest.raises(SmsCodeInvalid):
            login.verify(PHONE, "000000")
    with pytest.raises(SmsCodeInvalid):
        login.verify(PHONE, "123456")  # dead until it expires or a new code is asked for
    fakes.clock.advance(seconds=60)
    login.send_code(PHONE)
    assert login.verify(PHONE, "123456").user.phone == PHONE


def test_a_test_phones_dead_code_comes_back_only_within_the_daily_cap(fakes):
    """Logging in without sending issues the fixed code implicitly; each issue counts like a sent code."""
    login = sms_login(fakes, {PHONE: "123456"})
    for _ in range(fakes.policy.auth.sms_daily_cap_per_phone):
        for _ in range(5):
            with pytest.raises(SmsCodeInvalid):
                login.verify(PHONE, "000000")
        fakes.clock.advance(seconds=3600)  # the dead code expires (and the hourly verify budget renews)
    with pytest.raises(TooManyRequests):
        login.verify(PHONE, "123456")


def test_verification_is_throttled_per_phone(fakes):
    login = sms_login(fakes)
    fakes.clock.at = fakes.clock.at.replace(minute=30, second=0)
    cap = fakes.policy.auth.sms_verify_hourly_cap_per_phone
    for n in range(cap):
        if n % 5 == 0:  # a fresh code before each one dies, so only the throttle can refuse
            fakes.clock.advance(seconds=61)
            login.send_code(PHONE)
        with pytest.raises(SmsCodeInvalid):
            login.verify(PHONE, "000000", client_ip=f"10.0.0.{n}")
    with pytest.raises(TooManyRequests) as err:
        login.verify(PHONE, fakes.sms.last_code(PHONE), client_ip="10.0.1.1")
    assert err.value.code == 1006 and 0 < err.value.retry_after <= 3600


def test_verification_is_throttled_per_ip(fakes):
    login = sms_login(fakes, {PHONE: "123456"})
    for n in range(fakes.policy.auth.sms_verify_hourly_cap_per_ip):
        with pytest.raises(SmsCodeInvalid):
            login.verify(f"137{n:08d}", "000000", client_ip="10.0.0.1")
    with pytest.raises(TooManyRequests):
        login.verify(PHONE, "123456", client_ip="10.0.0.1")
    assert login.verify(PHONE, "123456", client_ip="10.0.0.2").user.phone == PHONE


def test_banned_users_cannot_log_in(fakes):
    login = sms_login(fakes, {PHONE: "123456"})
    user = login.verify(PHONE, "123456").user
    UserAdmin(fakes.uow, fakes.clock).set_banned(user.id, True)
    with pytest.raises(UserBanned):
        login.verify(PHONE, "123456")
