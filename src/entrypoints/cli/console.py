"""`skyriff operators …`: the console's operator accounts — add, list, disable / enable, reset a password or a
second factor. Passwords come from a prompt (typed twice) or, with --password-stdin, from standard input; a new
second factor's secret is printed once, for the operator's authenticator app."""
from __future__ import annotations

import argparse
import getpass
import os
import sys

from skyriff_domain.model.operator import Operator, Role
from skyriff_domain.services.operators import Enrolment

from ..container import Container


def cli_actor() -> Operator:
    """Who runs the command, as the audit log names them (no operator account: the OS user)."""
    try:
        name = getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name in this environment
        name = str(os.getuid()) if hasattr(os, "getuid") else "unknown"
    return Operator(f"cli:{name}"[:64], None, "cli")


def read_password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("password: ")
    if getpass.getpass("again: ") != first:
        raise SystemExit("the passwords differ")
    return first


def _show(enrolment: Enrolment | None, name: str) -> None:
    if enrolment is None:
        return
    print(f"second factor for {name}: add this to an authenticator app (shown once)")
    print(f"  secret: {enrolment.secret}")
    print(f"  uri:    {enrolment.uri}")


def add(container: Container, args: argparse.Namespace) -> int:
    password = read_password(args)
    added = container.operators().add(args.name, args.role, password, args.totp, actor=cli_actor())
    print(f"operator {added.account.name} ({added.account.role}) added")
    _show(added.totp, added.account.name)
    return 0


def listing(container: Container, args: argparse.Namespace) -> int:
    accounts = container.operators().list()
    for a in accounts:
        state = "disabled" if a.disabled else "active"
        seen = f"{a.last_login_at:%Y-%m-%d %H:%M}Z" if a.last_login_at else "never"
        print(f"{a.id}\t{a.name}\t{a.role}\t{state}\ttotp {'yes' if a.totp_token else 'no'}\tlast login {seen}")
    if not accounts:
        print("no operators (skyriff operators add creates one)")
    return 0


def toggle(disabled: bool):
    def run(container: Container, args: argparse.Namespace) -> int:
        container.operators().set_disabled(args.name, disabled, actor=cli_actor(), reason=args.reason)
        print(f"operator {args.name} {'disabled' if disabled else 'enabled'}")
        return 0

    return run


def reset_password(container: Container, args: argparse.Namespace) -> int:
    container.operators().reset_password(args.name, read_password(args), actor=cli_actor())
    print(f"operator {args.name}: password reset, sessions ended")
    return 0


def reset_totp(container: Container, args: argparse.Namespace) -> int:
    enrolment = container.operators().reset_totp(args.name, enrol=not args.remove, actor=cli_actor())
    print(f"operator {args.name}: second factor {'removed' if args.remove else 'replaced'}, sessions ended")
    _show(enrolment, args.name)
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    ops = sub.add_parser("operators", help="operator accounts of the console (/admin/)").add_subparsers(
        dest="operators_command", required=True)
    new = ops.add_parser("add", help="add an operator (password from a prompt or --password-stdin)")
    new.add_argument("name")
    new.add_argument("--role", required=True, choices=[r.value for r in Role])
    new.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    totp = new.add_mutually_exclusive_group()
    totp.add_argument("--totp", dest="totp", action="store_true", default=None,
                      help="enrol a second factor (default: when SKYRIFF_CONSOLE_TOTP requires one for the role)")
    totp.add_argument("--no-totp", dest="totp", action="store_false")
    new.set_defaults(run=add)
    ops.add_parser("list", help="every operator").set_defaults(run=listing)
    for name, disabled in (("disable", True), ("enable", False)):
        cmd = ops.add_parser(name, help=f"{name} an operator (disabling ends their sessions)")
        cmd.add_argument("name")
        cmd.add_argument("--reason", default="")
        cmd.set_defaults(run=toggle(disabled))
    password = ops.add_parser("reset-password", help="set a new password (ends the operator's sessions)")
    password.add_argument("name")
    password.add_argument("--password-stdin", action="store_true")
    password.set_defaults(run=reset_password)
    second = ops.add_parser("reset-totp", help="replace (or --remove) the operator's second factor")
    second.add_argument("name")
    second.add_argument("--remove", action="store_true")
    second.set_defaults(run=reset_totp)
