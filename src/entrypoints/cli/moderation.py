"""Operators' moderation commands: the queue, passing and taking down, sanctions on users, appeals. Every
decision names its operator (--operator, default the OS user), recorded with the decision."""
from __future__ import annotations

import argparse
import getpass
from typing import Callable

from skyriff_domain.ids import parse_id
from skyriff_domain.model.moderation import OPERATOR_NAME_MAX, Operator, QueueItem
from skyriff_domain.model.report import AppealStatus

from ..container import Container
from .arguments import int_in, row_id

Command = Callable[[Container, argparse.Namespace], int]


def default_operator() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (a container running as a bare uid)
        return "operator"


def operator_name(text: str) -> str:
    name = text.strip()
    if not 1 <= len(name) <= OPERATOR_NAME_MAX or not name.isprintable():
        raise argparse.ArgumentTypeError(f"an operator name is 1-{OPERATOR_NAME_MAX} printable characters")
    return name


def case_target(text: str) -> tuple[str, int]:
    """A queue item's id ("12"), or a work to act on directly ("work:34")."""
    kind, _, number = text.rpartition(":")
    value = parse_id(number)
    if kind not in ("", "work") or value is None:
        raise argparse.ArgumentTypeError(f"{text!r} is neither a case id nor work:ID")
    return kind or "case", value


def _operator(args: argparse.Namespace) -> Operator:
    return Operator(args.operator)


def _waited(seconds: int) -> str:
    hours, minutes = divmod(seconds // 60, 60)
    return f"{hours}h{minutes:02d}m"


def _line(item: QueueItem) -> str:
    c = item.case
    subject = (f"work {c.work_id}" if c.work_id else f"video {c.video_id}" if c.video_id else f"task {c.task_id}")
    reports = ", ".join(f"{reason}×{n}" for reason, n in sorted(item.reports.items())) or "-"
    return (f"#{c.id}\t{c.kind.value}\t{subject}\tuser {c.user_id}\twaited {_waited(item.waited_seconds)}"
            f"{'  OVERDUE' if item.overdue else ''}\treports: {reports}\tlabels: {','.join(c.labels) or '-'}"
            f"\t{c.excerpt[:60]!r}")


def queue(container: Container, args: argparse.Namespace) -> int:
    items = container.moderation().queue(args.limit)
    overdue = sum(item.overdue for item in items)
    print(f"{len(items)} open item(s), {overdue} waiting longer than "
          f"{container.policy().moderation.overdue_after.total_seconds() / 3600:g} h (oldest first)")
    for item in items:
        print(_line(item))
    return 0


def pass_case(container: Container, args: argparse.Namespace) -> int:
    return _report(container.moderation().pass_case(args.case_id, _operator(args), args.reason))


def takedown(container: Container, args: argparse.Namespace) -> int:
    kind, target = args.target
    service = container.moderation()
    if kind == "work":
        return _report(service.take_down_work(target, _operator(args), args.reason))
    return _report(service.take_down(target, _operator(args), args.reason))


def _report(case) -> int:
    subject = f" (work {case.work_id})" if case.work_id else ""
    print(f"case {case.id}{subject}: {case.status.value} by {case.decided_by}")
    return 0


def sanction(container: Container, args: argparse.Namespace) -> int:
    service = container.sanctions()
    if args.warn:
        record = service.warn(args.user_id, _operator(args), args.reason)
    elif args.ban:
        record = service.ban(args.user_id, _operator(args), args.reason)
    else:
        record = service.suspend(args.user_id, args.suspend_days, _operator(args), args.reason)
    until = f" until {record.until:%Y-%m-%d %H:%M}Z" if record.until else ""
    print(f"user {record.user_id}: {record.kind.value}{until} by {record.decided_by}")
    return 0


def sanctions_list(container: Container, args: argparse.Namespace) -> int:
    history = container.sanctions().history(args.user_id)
    for s in history:
        until = f"\tuntil {s.until:%Y-%m-%d %H:%M}Z" if s.until else ""
        print(f"{s.id}\t{s.kind.value}{until}\t{s.created_at:%Y-%m-%d %H:%M}Z\tby {s.decided_by}\t{s.reason}")
    if not history:
        print(f"no sanctions for user {args.user_id}")
    return 0


def appeals_list(container: Container, args: argparse.Namespace) -> int:
    status = None if args.status == "all" else AppealStatus(args.status)
    appeals = container.appeals().list(status, args.limit)
    for a in appeals:
        print(f"{a.id}\twork {a.work_id}\tuser {a.user_id}\tcase {a.case_id}\t{a.status.value}\t"
              f"{a.created_at:%Y-%m-%d %H:%M}Z\t{a.reason[:80]!r}")
    if not appeals:
        print(f"no appeals {args.status if args.status != 'all' else 'at all'}")
    return 0


def appeal_decision(action: str) -> Command:
    def run(container: Container, args: argparse.Namespace) -> int:
        service = container.appeals()
        decide_appeal = service.grant if action == "grant" else service.deny
        appeal = decide_appeal(args.appeal_id, _operator(args), args.reason)
        print(f"appeal {appeal.id} (work {appeal.work_id}): {appeal.status.value} by {appeal.decided_by}")
        return 0

    return run


def add_operator_argument(cmd: argparse.ArgumentParser) -> None:
    cmd.add_argument("--operator", type=operator_name, default=default_operator(),
                     help="who decides (recorded with the decision; default: the OS user)")


def register(sub: argparse._SubParsersAction) -> None:
    mod = sub.add_parser("moderation", help="the moderation queue and decisions").add_subparsers(
        dest="moderation_command", required=True)
    listing = mod.add_parser("queue", help="open items, the longest waiting first")
    listing.add_argument("--limit", type=int_in(1, 1000), default=100)
    listing.set_defaults(run=queue)
    passing = mod.add_parser("pass", help="the content is fine: a work in review is shown, reports dismissed")
    passing.add_argument("case_id", type=row_id)
    passing.add_argument("--reason", default="", help="why (optional)")
    add_operator_argument(passing)
    passing.set_defaults(run=pass_case)
    down = mod.add_parser("takedown", help="take the content down: gone from feeds, reports upheld")
    down.add_argument("target", type=case_target, metavar="CASE_ID|work:WORK_ID")
    down.add_argument("--reason", required=True, help="why (shown to the creator)")
    add_operator_argument(down)
    down.set_defaults(run=takedown)

    appeals = sub.add_parser("appeals", help="creators' appeals against takedowns").add_subparsers(
        dest="appeals_command", required=True)
    listing = appeals.add_parser("list", help="appeals, oldest first")
    listing.add_argument("--status", default="open", choices=[*(s.value for s in AppealStatus), "all"])
    listing.add_argument("--limit", type=int_in(1, 1000), default=100)
    listing.set_defaults(run=appeals_list)
    for action, help_text in (("grant", "the takedown was wrong: restore the work"),
                              ("deny", "the takedown stands")):
        cmd = appeals.add_parser(action, help=help_text)
        cmd.add_argument("appeal_id", type=row_id)
        cmd.add_argument("--reason", required=action == "deny", default="", help="why")
        add_operator_argument(cmd)
        cmd.set_defaults(run=appeal_decision(action))


def register_users(users: argparse._SubParsersAction) -> None:
    """`skyriff users sanction|sanctions`, beside ban and unban."""
    cmd = users.add_parser("sanction", help="warn a user, suspend their publishing, or ban them")
    cmd.add_argument("user_id", type=row_id)
    kind = cmd.add_mutually_exclusive_group(required=True)
    kind.add_argument("--warn", action="store_true")
    kind.add_argument("--suspend-days", type=int_in(1, 3650), metavar="N", help="no publishing for N days")
    kind.add_argument("--ban", action="store_true", help="tokens stop working at once (1004)")
    cmd.add_argument("--reason", required=True, help="why")
    add_operator_argument(cmd)
    cmd.set_defaults(run=sanction)
    history = users.add_parser("sanctions", help="a user's sanctions, oldest first")
    history.add_argument("user_id", type=row_id)
    history.set_defaults(run=sanctions_list)
