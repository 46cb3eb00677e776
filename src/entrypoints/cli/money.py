"""Commands for the money that leaves: reviewing and paying withdrawals, syncing payouts and refunds, refunding
payments, adjusting balances, resetting a verification, and the monthly income statement."""
from __future__ import annotations

import argparse
import csv
import getpass
import sys
from typing import Callable

from skyriff_domain.model.withdrawal import WithdrawalStatus
from skyriff_domain.money import MAX_MINOR, Coins, Credits

from ..container import Container
from .arguments import int_in, row_id

Command = Callable[[Container, argparse.Namespace], int]


def withdrawals_list(container: Container, args: argparse.Namespace) -> int:
    status = None if args.status == "all" else WithdrawalStatus(args.status)
    rows = container.withdrawals().queue(status, args.limit)
    for w in rows:
        account = w.account_info.get("account") or w.account_info.get("card_no", "")
        transfer = f"\t{w.transfer}" if w.transfer else ""
        print(f"{w.id}\tuser {w.user_id}\t{w.amount}\t{w.method}\t{account}\t{w.account_info.get('name', '')}\t"
              f"{w.status}{transfer}\t{w.created_at:%Y-%m-%d %H:%M}Z")
    if not rows:
        print(f"no withdrawals {args.status if args.status != 'all' else 'at all'}")
    return 0


def withdrawal_action(action: str) -> Command:
    def run(container: Container, args: argparse.Namespace) -> int:
        payouts = container.payouts()
        w = {"approve": lambda: payouts.approve(args.withdrawal_id, args.over_cap),
             "reject": lambda: payouts.reject(args.withdrawal_id, args.note),
             "pay": lambda: payouts.mark_paid(args.withdrawal_id, args.reference)}[action]()
        transfer = f" (transfer {w.transfer})" if w.transfer else ""
        print(f"withdrawal {w.id}: {w.status}{transfer}{f' — {w.note}' if w.note else ''}")
        return 0

    return run


def withdrawals_sync(container: Container, args: argparse.Namespace) -> int:
    r = container.payouts().sync()
    print(f"payouts: {r.paid} paid, {r.failed} failed (coins returned), {r.in_flight} in flight, {r.errors} errors")
    return 1 if r.errors else 0


def payments_refund(container: Container, args: argparse.Namespace) -> int:
    refund = container.refunds().refund(args.payment_id, args.reason, args.force, args.operator)
    print(f"refund {refund.refund_no} of payment {refund.payment_id}: {refund.status} — {refund.amount} CNY; took "
          f"{refund.credits_taken.minor} credits (cost {refund.cost_taken}), card claims voided {refund.card_voided}, "
          f"coins {refund.coins_taken}, commission {refund.commission_reversed}; written off {refund.written_off}")
    if refund.failure_reason:
        print(f"the channel refused it: {refund.failure_reason}")
    return 0 if refund.status.value != "failed" else 1


def refunds_sync(container: Container, args: argparse.Namespace) -> int:
    r = container.refunds().sync()
    print(f"refunds: {r.succeeded} succeeded, {r.failed} failed (given back), {r.processing} processing, "
          f"{r.errors} errors")
    return 1 if r.errors else 0


def wallets_adjust(container: Container, args: argparse.Namespace) -> int:
    wallet = container.wallets().adjust(args.user_id, args.reason, Credits(args.credits or 0),
                                        args.coins or Coins(0))
    print(f"user {wallet.user_id}: credits {wallet.credits.minor} (cost {wallet.credits_cost}), coins available "
          f"{wallet.coins_available}, pending {wallet.coins_pending}, held {wallet.coins_held}")
    return 0


def reset_verification(container: Container, args: argparse.Namespace) -> int:
    container.verifications().reset(args.user_id)
    print(f"user {args.user_id}: verification reset; they may verify again")
    return 0


def income_statement(container: Container, args: argparse.Namespace) -> int:
    rows = container.income_statements().month(args.month)
    out = open(args.out, "w", newline="", encoding="utf-8") if args.out else sys.stdout
    try:
        writer = csv.writer(out)
        writer.writerow(["user_id", "real_name", "id_number", "tips", "prompts", "remix", "commission", "income",
                         "withdrawn", "paid"])
        for r in rows:
            writer.writerow([r.user_id, r.real_name or "", r.id_number or "", r.tips, r.prompts, r.remix,
                             r.commission, r.income, r.withdrawn, r.paid])
    finally:
        if args.out:
            out.close()
    if args.out:
        print(f"{len(rows)} earners written to {args.out}")
    return 0


def _signed_coins(text: str) -> Coins:
    try:
        value = Coins.of(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    if not value:
        raise argparse.ArgumentTypeError("an adjustment is not zero")
    return value


def register(sub: argparse._SubParsersAction) -> None:
    wd = sub.add_parser("withdrawals", help="review and pay withdrawals").add_subparsers(dest="wd_command",
                                                                                      required=True)
    listing = wd.add_parser("list", help="the queue (oldest first)")
    listing.add_argument("--status", default="applied", choices=[*(s.value for s in WithdrawalStatus), "all"])
    listing.add_argument("--limit", type=int_in(1, 10_000), default=100)
    listing.set_defaults(run=withdrawals_list)
    approve = wd.add_parser("approve", help="approve and send through WeChat Pay / Alipay (bank cards: by hand)")
    approve.add_argument("withdrawal_id", type=row_id)
    approve.add_argument("--over-cap", action="store_true", help="send even above today's payout caps")
    approve.set_defaults(run=withdrawal_action("approve"))
    reject = wd.add_parser("reject", help="coins back to available (not while a transfer is in flight)")
    reject.add_argument("withdrawal_id", type=row_id)
    reject.add_argument("--note", default="", help="reason shown to the user")
    reject.set_defaults(run=withdrawal_action("reject"))
    pay = wd.add_parser("pay", help="a bank card paid by hand: approved → paid")
    pay.add_argument("withdrawal_id", type=row_id)
    pay.add_argument("--reference", required=True, help="the bank's reference of the transfer")
    pay.set_defaults(run=withdrawal_action("pay"))
    wd.add_parser("sync", help="ask the channels about transfers in flight").set_defaults(run=withdrawals_sync)

    refund = sub.add_parser("refunds", help="refunds of payments").add_subparsers(dest="refund_command", required=True)
    make = refund.add_parser("create", help="refund a settled payment in full (also: payments refund)")
    _refund_arguments(make)
    refund.add_parser("sync", help="ask the channels about refunds still processing").set_defaults(run=refunds_sync)

    wallets = sub.add_parser("wallets", help="balances").add_subparsers(dest="wallets_command", required=True)
    adjust = wallets.add_parser("adjust", help="an operator's correction (admin_adjust) with a reason")
    adjust.add_argument("user_id", type=row_id)
    which = adjust.add_mutually_exclusive_group(required=True)
    which.add_argument("--credits", type=int_in(-(MAX_MINOR - 1), MAX_MINOR - 1), help="e.g. 100 or -50")
    which.add_argument("--coins", type=_signed_coins, help="into available, e.g. 12.34 or -5.00")
    adjust.add_argument("--reason", required=True)
    adjust.set_defaults(run=wallets_adjust)

    income = sub.add_parser("income", help="earners' income").add_subparsers(dest="income_command", required=True)
    statement = income.add_parser("statement", help="one CSV row per earner for a month (decrypted ID numbers)")
    statement.add_argument("--month", required=True, help="YYYY-MM, in the business time zone")
    statement.add_argument("--out", help="a CSV file (default: standard output)")
    statement.set_defaults(run=income_statement)


def _refund_arguments(cmd: argparse.ArgumentParser) -> None:
    cmd.add_argument("payment_id", type=row_id)
    cmd.add_argument("--reason", required=True, help="e.g. 用户申请, guardian (a guardian's request for a minor)")
    cmd.add_argument("--force", action="store_true", help="refund even if credits it delivered were spent "
                                                          "(their cost is written off)")
    cmd.add_argument("--operator", default=getpass.getuser(), help="who decided it (recorded on the refund)")
    cmd.set_defaults(run=payments_refund)


def register_payment_commands(payments: argparse._SubParsersAction) -> None:
    """`skyriff payments refund …` beside `payments reconcile`."""
    _refund_arguments(payments.add_parser("refund", help="refund a settled payment in full"))


def register_user_commands(users: argparse._SubParsersAction) -> None:
    cmd = users.add_parser("reset-verification", help="let a user verify their identity again")
    cmd.add_argument("user_id", type=row_id)
    cmd.set_defaults(run=reset_verification)
