"""Operators' accounts and logins: the roles' permissions, the lockout, the second factor, sessions' lifetimes."""
from __future__ import annotations

import attrs
import pytest

from skyriff_domain.errors import InvalidRequest, NotAllowed, OperatorLoginFailed
from skyriff_domain.model.audit import AuditFilter
from skyriff_domain.model.operator import Permission, Role, may
from skyriff_domain.policy import ConsolePolicy, Policy
from tests.support.fakes import Fakes
from tests.support.usecases import console_auth, operators, totp_now

P = Permission
PASSWORD = "correct horse battery"


def fakes(totp_required: bool = True) -> Fakes:
    return Fakes(policy=Policy(console=ConsolePolicy(totp_required=totp_required)))


def audit(f: Fakes, action: str = "") -> list:
    with f.uow() as uow:
        return uow.audit.search(AuditFilter(action=action), None, 100)


@pytest.mark.parametrize("role, allowed", [
    (Role.SUPPORT, {P.DASHBOARD, P.USERS_READ, P.TASKS_READ, P.PAYMENTS_READ, P.PAYMENTS_QUERY}),
    (Role.MODERATOR, {P.DASHBOARD, P.USERS_READ, P.TASKS_READ, P.MODERATION, P.USERS_SANCTION}),
    (Role.FINANCE, {P.DASHBOARD, P.USERS_READ, P.TASKS_READ, P.PAYMENTS_READ, P.PAYMENTS_QUERY, P.PAYMENTS_REFUND,
                    P.WITHDRAWALS, P.WALLET_ADJUST, P.VERIFICATION_RESET, P.TASKS_FAIL}),
    (Role.ADMIN, set(Permission)),
])
def test_each_role_has_exactly_its_permissions(role, allowed):
    assert {p for p in Permission if may(role, p)} == allowed


def test_an_unknown_role_may_do_nothing():
    assert not any(may("cli", p) for p in Permission)


def test_only_admins_manage_operators_products_codes_settings_and_read_the_audit_log():
    for permission in (P.OPERATORS, P.PRODUCTS, P.REDEMPTION, P.SETTINGS, P.AUDIT):
        assert [r for r in Role if may(r, permission)] == [Role.ADMIN]


def test_admin_and_finance_get_a_second_factor_when_it_is_required():
    f = fakes(totp_required=True)
    assert operators(f).add("alice", "admin", PASSWORD).totp is not None
    assert operators(f).add("fred", "finance", PASSWORD).totp is not None
    assert operators(f).add("mona", "moderator", PASSWORD).totp is None
    assert operators(f).add("sue", "support", PASSWORD, totp=True).totp is not None


def test_admin_without_a_second_factor_cannot_log_in_when_one_is_required():
    f = fakes(totp_required=True)
    operators(f).add("alice", "admin", PASSWORD, totp=False)
    with pytest.raises(OperatorLoginFailed):
        console_auth(f).login("alice", PASSWORD)
    assert audit(f, "console.login_failed")[0].reason == "totp_not_enrolled"


def test_where_a_second_factor_is_optional_an_admin_without_one_logs_in_with_the_password():
    f = fakes(totp_required=False)
    operators(f).add("alice", "admin", PASSWORD)
    assert console_auth(f).login("alice", PASSWORD).account.name == "alice"


def test_an_enrolled_second_factor_is_always_asked_for():
    f = fakes(totp_required=False)
    secret = operators(f).add("sue", "support", PASSWORD, totp=True).totp.secret
    with pytest.raises(OperatorLoginFailed):
        console_auth(f).login("sue", PASSWORD)
    assert console_auth(f).login("sue", PASSWORD, totp_now(f, secret)).account.role is Role.SUPPORT


def test_a_code_is_accepted_once_within_its_window():
    f = fakes()
    secret = operators(f).add("alice", "admin", PASSWORD).totp.secret
    code = totp_now(f, secret)
    console_auth(f).login("alice", PASSWORD, code)
    f.clock.advance(seconds=5)
    with pytest.raises(OperatorLoginFailed):
        console_auth(f).login("alice", PASSWORD, code)
    assert audit(f, "console.login_failed")[0].reason == "code_reused"
    f.clock.advance(seconds=30)
    console_auth(f).login("alice", PASSWORD, totp_now(f, secret))


def test_an_older_code_is_refused_after_a_newer_one_was_used():
    f = fakes()
    secret = operators(f).add("alice", "admin", PASSWORD).totp.secret
    previous = totp_now(f, secret, -30)  # still inside the drift window
    console_auth(f).login("alice", PASSWORD, totp_now(f, secret))
    with pytest.raises(OperatorLoginFailed):
        console_auth(f).login("alice", PASSWORD, previous)


def test_five_failures_lock_the_account_for_fifteen_minutes():
    f = fakes(totp_required=False)
    operators(f).add("sue", "support", PASSWORD)
    for _ in range(5):
        with pytest.raises(OperatorLoginFailed):
            console_auth(f).login("sue", "wrong password!")
    with pytest.raises(OperatorLoginFailed):  # the right password, but locked
        console_auth(f).login("sue", PASSWORD)
    f.clock.advance(minutes=14, seconds=59)
    with pytest.raises(OperatorLoginFailed):
        console_auth(f).login("sue", PASSWORD)
    f.clock.advance(seconds=1)
    assert console_auth(f).login("sue", PASSWORD).account.failed_logins == 0


def test_four_failures_then_a_success_start_the_count_afresh():
    f = fakes(totp_required=False)
    operators(f).add("sue", "support", PASSWORD)
    for _ in range(4):
        with pytest.raises(OperatorLoginFailed):
            console_auth(f).login("sue", "wrong password!")
    console_auth(f).login("sue", PASSWORD)
    for _ in range(4):
        with pytest.raises(OperatorLoginFailed):
            console_auth(f).login("sue", "wrong password!")
    console_auth(f).login("sue", PASSWORD)


def test_failures_while_locked_do_not_extend_the_lock():
    f = fakes(totp_required=False)
    operators(f).add("sue", "support", PASSWORD)
    for _ in range(5):
        with pytest.raises(OperatorLoginFailed):
            console_auth(f).login("sue", "wrong password!")
    f.clock.advance(minutes=10)
    with pytest.raises(OperatorLoginFailed):
        console_auth(f).login("sue", "wrong password!")
    f.clock.advance(minutes=5)
    console_auth(f).login("sue", PASSWORD)


def test_an_unknown_name_and_a_wrong_password_get_the_same_answer():
    f = fakes(totp_required=False)
    operators(f).add("sue", "support", PASSWORD)
    errors = []
    for name, password in (("nobody", PASSWORD), ("sue", "wrong password!")):
        with pytest.raises(OperatorLoginFailed) as caught:
            console_auth(f).login(name, password)
        errors.append((caught.value.code, caught.value.message, caught.value.data))
    assert errors[0] == errors[1]


def test_an_unknown_name_still_pays_for_a_password_check():
    f = fakes()
    calls = []
    f.hasher.dummy_verify = lambda password: calls.append(password)
    with pytest.raises(OperatorLoginFailed):
        console_auth(f).login("nobody", PASSWORD)
    assert calls == [PASSWORD]


def test_a_disabled_operator_cannot_log_in_and_their_sessions_end():
    f = fakes(totp_required=False)
    operators(f).add("sue", "support", PASSWORD)
    token = console_auth(f).login("sue", PASSWORD).token
    operators(f).set_disabled("sue", True)
    assert console_auth(f).resume(token) is None
    with pytest.raises(OperatorLoginFailed):
        console_auth(f).login("sue", PASSWORD)


def test_every_login_gets_a_new_session_token():
    f = fakes(totp_required=False)
    operators(f).add("sue", "support", PASSWORD)
    first, second = console_auth(f).login("sue", PASSWORD), console_auth(f).login("sue", PASSWORD)
    assert first.token != second.token and first.session.csrf_token != second.session.csrf_token
    with f.uow() as uow:  # only the token's hash is stored
        assert uow.operator_sessions.get(first.token) is None


def test_a_session_ends_after_thirty_idle_minutes():
    f = fakes(totp_required=False)
    operators(f).add("sue", "support", PASSWORD)
    token = console_auth(f).login("sue", PASSWORD).token
    f.clock.advance(minutes=29)
    assert console_auth(f).resume(token) is not None  # activity restarts the idle clock
    f.clock.advance(minutes=29, seconds=59)
    assert console_auth(f).resume(token) is not None
    f.clock.advance(minutes=30)
    assert console_auth(f).resume(token) is None
    f.clock.advance(seconds=1)
    assert console_auth(f).resume(token) is None  # gone for good


def test_a_session_ends_after_twelve_hours_however_active():
    f = fakes(totp_required=False)
    operators(f).add("sue", "support", PASSWORD)
    token = console_auth(f).login("sue", PASSWORD).token
    for _ in range(24):
        f.clock.advance(minutes=29)
        console_auth(f).resume(token)
    f.clock.advance(minutes=25)
    assert console_auth(f).resume(token) is None


def test_logging_out_ends_the_session():
    f = fakes(totp_required=False)
    operators(f).add("sue", "support", PASSWORD)
    login = console_auth(f).login("sue", PASSWORD)
    console_auth(f).logout(login.token, login.account.actor)
    assert console_auth(f).resume(login.token) is None
    assert [e.action for e in audit(f, "console.")] == ["console.logout", "console.login"]


def test_resetting_a_password_ends_the_sessions_and_lifts_a_lock():
    f = fakes(totp_required=False)
    operators(f).add("sue", "support", PASSWORD)
    token = console_auth(f).login("sue", PASSWORD).token
    for _ in range(5):
        with pytest.raises(OperatorLoginFailed):
            console_auth(f).login("sue", "wrong password!")
    operators(f).reset_password("sue", "a brand new passphrase")
    assert console_auth(f).resume(token) is None
    console_auth(f).login("sue", "a brand new passphrase")


def test_resetting_the_second_factor_makes_the_old_secret_useless():
    f = fakes()
    old = operators(f).add("alice", "admin", PASSWORD).totp.secret
    new = operators(f).reset_totp("alice").secret
    with pytest.raises(OperatorLoginFailed):
        console_auth(f).login("alice", PASSWORD, totp_now(f, old))
    console_auth(f).login("alice", PASSWORD, totp_now(f, new))


@pytest.mark.parametrize("name", ["", "A", "Alice", "1abc", "a b", "x" * 33, "ali\u200bce"])
def test_operator_names_are_plain_login_names(name):
    with pytest.raises(InvalidRequest):
        operators(fakes()).add(name, "support", PASSWORD)


@pytest.mark.parametrize("password", ["short", " leading space1", "x" * 129, "tab\tinside-it"])
def test_passwords_are_long_enough_and_plain(password):
    with pytest.raises(InvalidRequest):
        operators(fakes()).add("sue", "support", password)


def test_names_are_unique_and_nobody_disables_themselves():
    f = fakes(totp_required=False)
    admin = operators(f).add("alice", "admin", PASSWORD).account
    with pytest.raises(NotAllowed):
        operators(f).add("alice", "support", PASSWORD)
    with pytest.raises(NotAllowed):
        operators(f).set_disabled("alice", True, actor=admin.actor)


def test_the_audit_log_keeps_who_did_what_and_cannot_be_changed_through_its_port():
    f = fakes(totp_required=False)
    admin = operators(f).add("alice", "admin", PASSWORD).account
    operators(f).add("sue", "support", PASSWORD, actor=attrs.evolve(admin.actor, ip="10.0.0.1"))
    entry = audit(f, "operator.add")[0]
    assert (entry.operator_name, entry.operator_id, entry.role, entry.object_id, entry.ip, entry.after) == (
        "alice", admin.id, "admin", "sue", "10.0.0.1", {"role": "support", "totp": False})
    with f.uow() as uow:
        assert not any(hasattr(uow.audit, verb) for verb in ("save", "update", "remove", "delete"))
