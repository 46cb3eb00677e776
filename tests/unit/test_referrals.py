import pytest

from skyriff_domain.errors import InvalidReferralCode
from skyriff_domain.model.referral import CODE_ALPHABET
from skyriff_domain.money import Coins, Credits
from skyriff_domain.services.registration import NewUser, register
from skyriff_domain.model.user import IdentityKind
from tests.support.usecases import pay, referrals, wallets

pytestmark = pytest.mark.usefixtures("catalog")


def promoter(fakes, make_user):
    uid = make_user()
    pay(fakes, uid, "promoter_activation")
    return uid, referrals(fakes).promoter(uid).referral_code


def test_activation_grants_600_credits_a_code_and_the_flag(fakes, make_user):
    uid, code = promoter(fakes, make_user)
    view = referrals(fakes).promoter(uid)
    assert view.is_promoter and wallets(fakes).overview(uid).credits == Credits(600)
    assert code.startswith("SKY") and len(code) == 10 and all(c in CODE_ALPHABET for c in code[3:])
    assert not set(code[3:]) & set("0O1IL")


def test_binding_gives_the_invitee_50_credits(fakes, make_user):
    pid, code = promoter(fakes, make_user)
    invitee = make_user()
    result = referrals(fakes).bind(invitee, code.lower())
    assert (result.bonus, result.new_balance) == (Credits(50), Credits(50))
    assert referrals(fakes).promoter(pid).total_invites == 1


def test_own_unknown_repeated_or_late_codes_are_2004(fakes, make_user):
    pid, code = promoter(fakes, make_user)
    with pytest.raises(InvalidReferralCode):
        referrals(fakes).bind(pid, code)
    invitee = make_user()
    with pytest.raises(InvalidReferralCode):
        referrals(fakes).bind(invitee, "SKYNOPE99")
    referrals(fakes).bind(invitee, code)
    with pytest.raises(InvalidReferralCode):
        referrals(fakes).bind(invitee, code)
    late = make_user()
    fakes.clock.advance(days=7, seconds=1)
    with pytest.raises(InvalidReferralCode) as err:
        referrals(fakes).bind(late, code)
    assert err.value.code == 2004


def test_the_bonus_is_paid_once_per_phone_ever(fakes, make_user):
    _, code = promoter(fakes, make_user)
    first = make_user()
    referrals(fakes).bind(first, code)
    with fakes.uow() as uow:  # the same phone comes back as a new account (say, after a deletion)
        phone_identity = next(i for i in uow.users.identities(first) if i.kind is IdentityKind.PHONE)
        del fakes.uow.db.state.identities[phone_identity]
        again = register(uow, NewUser("again", phone_identity.key), [phone_identity], fakes.clock.now())
        uow.commit()
    assert referrals(fakes).bind(again.id, code).bonus == Credits(0)


def test_promoter_earns_ten_percent_of_invitee_payments_as_pending_coins(fakes, make_user):
    pid, code = promoter(fakes, make_user)
    invitee = make_user()
    referrals(fakes).bind(invitee, code)
    pay(fakes, invitee, "credits_30")
    pay(fakes, invitee, "credits_68")
    view = wallets(fakes).overview(pid)
    assert (view.coins_pending, view.coins_available) == (Coins.of("9.80"), Coins(0))
    assert referrals(fakes).promoter(pid).total_commission == Coins.of("9.80")


def test_no_commission_without_a_referral(fakes, make_user):
    pid, _ = promoter(fakes, make_user)
    pay(fakes, make_user(), "credits_30")
    assert wallets(fakes).overview(pid).coins_pending == Coins(0)
