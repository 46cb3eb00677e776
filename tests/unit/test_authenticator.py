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


def test_a_remembered_token_still_expires_and_a_ban_still_counts_at_once(fakes, make_user):
    """The issuer remembers verified tokens; expiry is checked on every call and the user row (bans) is read
    on every authenticated call."""
    uid = make_user()
    token = fakes.tokens.issue(uid, fakes.clock.now())
    auth = authenticator(fakes)
    assert auth.authenticate(token).id == uid and auth.viewer(token) == uid  # remembered now
    UserAdmin(fakes.uow, fakes.clock).set_banned(uid, True)
    with pytest.raises(UserBanned):
        auth.authenticate(token)
    fakes.clock.advance(days=7, seconds=1)
    with pytest.raises(TokenExpired):
        fakes.tokens.verify(token, fakes.clock.now())
    assert auth.viewer(token) is None


def test_a_changed_token_is_checked_not_recalled(fakes, make_user):
    token = fakes.tokens.issue(make_user(), fakes.clock.now())
    fakes.tokens.verify(token, fakes.clock.now())
    head, claims, signature = token.split(".")
    with pytest.raises(NotLoggedIn):
        fakes.tokens.verify(f"{head}.{claims}.{signature[:-2]}AA", fakes.clock.now())
