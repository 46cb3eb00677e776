"""Operators' redemption-code commands: generate a batch (its codes are printed or written once, never again),
list batches, show a batch's redemptions, look a code up, disable a batch."""
from __future__ import annotations

import argparse
import os
import sys
from datetime import date, datetime, timezone
from typing import TextIO

from skyriff_domain.model.moderation import Operator
from skyriff_domain.services.redemption_batches import BatchView

from ..container import Container
from .arguments import int_in, row_id
from .moderation import add_operator_argument

ONCE = ("These codes are shown only now: the database keeps only their hashes, so they cannot be listed or "
        "exported again. Keep them safe; if they are lost, disable the batch and generate a new one.")


def expiry_day(text: str) -> date:
    """The last business day (Asia/Shanghai) the codes work: 2026-12-31."""
    try:
        if not text.isascii():
            raise ValueError
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-12-31") from None


def _when(value: datetime | None) -> str:
    return value.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M") + "Z" if value else "-"


def _grant(view: BatchView) -> str:
    if view.product is not None:
        return f"product {view.product.sku} ({view.product.name})"
    return f"{view.batch.credits.minor} credits"


def _line(view: BatchView) -> str:
    b = view.batch
    return (f"#{b.id}\t{view.status.value}\t{_grant(view)}\tredeemed {view.redeemed}/{view.generated}\t"
            f"expires {_when(b.expires_at)}\tcreated {_when(b.created_at)} by {b.created_by}\t{b.label}")


def generate(container: Container, args: argparse.Namespace) -> int:
    out: TextIO | None = None
    if args.out:
        try:  # before generating: codes that cannot be written would be lost
            out = os.fdopen(os.open(args.out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w", encoding="utf-8")
        except OSError as error:
            print(f"error: cannot create {args.out}: {error.strerror} (an existing file is never overwritten)",
                  file=sys.stderr)
            return 2
    try:
        made = container.redemption_batches().generate(args.label, args.count, Operator(args.operator),
                                                       credits=args.credits, product_sku=args.product,
                                                       expires_on=args.expires)
    except BaseException:
        if out is not None:
            out.close()
            os.unlink(args.out)
        raise
    print(_line(made.view))
    if out is not None:
        with out:
            out.write(made.csv())
        print(f"wrote {len(made.codes)} codes to {args.out}")
    else:
        for code in made.codes:
            print(code)
    print(f"warning: {ONCE}", file=sys.stderr)
    return 0


def list_batches(container: Container, args: argparse.Namespace) -> int:
    views, more = container.redemption_batches().list(limit=args.limit)
    if not views:
        print("no redemption batches yet (skyriff codes generate … makes one)")
        return 0
    for view in views:
        print(_line(view))
    print(f"{len(views)} batch(es), newest first" + (f"; more beyond --limit {args.limit}" if more else ""))
    return 0


def show(container: Container, args: argparse.Namespace) -> int:
    service = container.redemption_batches()
    view = service.show(args.batch_id)
    print(_line(view))
    if view.batch.disabled_at:
        print(f"disabled {_when(view.batch.disabled_at)} by {view.batch.disabled_by}")
    page = service.redemptions(args.batch_id, limit=args.limit)
    if not page.items:
        print("no code of this batch has been redeemed yet")
        return 0
    for code in page.items:
        print(f"{code.hint}\tuser {code.redeemed_by}\t{_when(code.redeemed_at)}")
    print(f"{len(page.items)} redemption(s), latest first" + (f"; more beyond --limit {args.limit}" if
                                                                page.has_more else ""))
    return 0


def find(container: Container, args: argparse.Namespace) -> int:
    found = container.redemption_batches().find(args.code)
    code = found.code
    state = f"redeemed by user {code.redeemed_by} at {_when(code.redeemed_at)}" if code.redeemed else "not redeemed"
    print(f"{code.hint}\t{state}")
    print(_line(found.batch))
    return 0


def disable(container: Container, args: argparse.Namespace) -> int:
    view = container.redemption_batches().disable(args.batch_id, Operator(args.operator))
    print(_line(view))
    print(f"{view.generated - view.redeemed} unredeemed code(s) no longer work")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    codes = sub.add_parser("codes", help="redemption codes").add_subparsers(dest="codes_command", required=True)
    cmd = codes.add_parser("generate", help="generate a batch of codes granting credits or a product; the codes "
                                            "are printed (or written with --out) once and never again")
    grant = cmd.add_mutually_exclusive_group(required=True)
    grant.add_argument("--credits", type=int_in(1, 2**31 - 1), metavar="N", help="free credits per code")
    grant.add_argument("--product", metavar="SKU", help="a catalogue product (not a coins pack), free")
    cmd.add_argument("--count", type=int_in(1, 2**31 - 1), required=True, metavar="N", help="how many codes")
    cmd.add_argument("--label", required=True, help="what the batch is for (shown in lists)")
    cmd.add_argument("--expires", type=expiry_day, metavar="YYYY-MM-DD",
                     help="the last day (Asia/Shanghai) the codes work; default: no expiry")
    cmd.add_argument("--out", metavar="FILE", help="write the codes as CSV (a new file, mode 600) instead of "
                                                   "printing them")
    add_operator_argument(cmd)
    cmd.set_defaults(run=generate)
    listing = codes.add_parser("list", help="batches, newest first, with generated and redeemed counts")
    listing.add_argument("--limit", type=int_in(1, 1000), default=50)
    listing.set_defaults(run=list_batches)
    one = codes.add_parser("show", help="a batch and who redeemed its codes when, latest first")
    one.add_argument("batch_id", type=row_id)
    one.add_argument("--limit", type=int_in(1, 10_000), default=100)
    one.set_defaults(run=show)
    lookup = codes.add_parser("find", help="look a code up (as the user typed it): its batch and redemption")
    lookup.add_argument("code")
    lookup.set_defaults(run=find)
    off = codes.add_parser("disable", help="disable a batch for good: its unredeemed codes stop working")
    off.add_argument("batch_id", type=row_id)
    add_operator_argument(off)
    off.set_defaults(run=disable)
