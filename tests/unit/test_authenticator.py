import jwt
import pytest

from skyriff_domain.errors import NotLoggedIn, TokenExpired, UnknownUser, UserBanned
from skyriff_domain.services.admin import UserAdmin
from tests.support.usecases import authenticator


def test_valid_token_gives_the_user(fakes, make_user):
    uid = make_user()
    assert authenticator(fakes).authenticate(fakes.tokens.issue(uid, fakes.clock.now())).id == uid


def test_missing_token(fakes):
    with pytest.raises(NotLoggedIn):
        authenticator(fakes).authenticate(None)


def test_expired_token(fakes, make_user):
    token = fakes.tokens.issue(make_user(), fakes.clock.now())
    fakes.clock.advance(days=7, seconds=1)
    with pytest.raises(TokenExpired):
        authenticator(fakes).authenticate(token)


def test_alg_none_is_refused(fakes, make_user):
    uid = make_user()
    forged = jwt.encode({"sub": str(uid), "iss": "skyriff", "iat": 1, "exp": 4_000_000_000}, None, algorithm="none")
    with pytest.raises(NotLoggedIn):
        authenticator(fakes).authenticate(forged)


def test_a_token_signed_with_another_key_is_refused(fakes, make_user):
    uid = make_user()
    forged = jwt.encode({"sub": str(uid), "iss": "skyriff", "iat": 1, "exp": 4_000_000_000}, "another-key-that-is-also-32-bytes-long",
                        algorithm="HS256")
    with pytest.raises(NotLoggedIn):
        authenticator(fakes).authenticate(forged)


@pytest.mark.parametrize("garbage", ["abc", "a.b.c", "Bearer", ""])
def test_garbage_is_not_a_token(fakes, garbage):
    with pytest.raises(NotLoggedIn):
        authenticator(fakes).authenticate(garbage)


def test_unknown_user(fakes):
    with pytest.raises(UnknownUser):
        authenticator(fakes).authenticate(fakes.tokens.issue(999, fakes.clock.now()))


def test_banned_user(fakes, make_user):
    uid = make_user()
    token = fakes.tokens.issue(uid, fakes.clock.now())
    UserAdmin(fakes.uow, fakes.clock).set_banned(uid, True)
    with pytest.raises(UserBanned):
        authenticator(fakes).authenticate(token)
