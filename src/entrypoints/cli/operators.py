"""Commands for operators: users and the product catalogue (withdrawals and money: cli/money.py)."""
from __future__ import annotations

import argparse
from typing import Callable

from skyriff_domain.model.catalog import Product, ProductType
from skyriff_domain.money import MAX_MINOR, Cny, Coins, Credits

from ..container import Container
from . import moderation
from .arguments import INT32_MAX, amount, int_in, row_id

Command = Callable[[Container, argparse.Namespace], int]


def ban(banned: bool) -> Command:
    def run(container: Container, args: argparse.Namespace) -> int:
        container.user_admin().set_banned(args.user_id, banned)
        print(f"user {args.user_id} {'banned' if banned else 'unbanned'}")
        return 0

    return run


def products_list(container: Container, args: argparse.Namespace) -> int:
    products = container.catalog().list(active_only=False)
    for p in products:
        print(f"{p.id}\t{p.sku}\t{p.type}\t{p.name}\t{p.price}\tcredits {p.credits_amount.minor}\t"
              f"{'active' if p.active else 'disabled'}")
    if not products:
        print("no products (skyriff seed adds the default catalogue)")
    return 0


def products_add(container: Container, args: argparse.Namespace) -> int:
    product = container.catalog().add(Product(
        sku=args.sku, type=ProductType(args.type), name=args.name, price=args.price,
        description=args.description, credits_amount=Credits(args.credits), coins_amount=args.coins,
        duration_days=args.days, daily_credits=Credits(args.daily_credits), sort_order=args.sort))
    print(f"added product {product.id} ({product.sku})")
    return 0


def product_toggle(active: bool) -> Command:
    def run(container: Container, args: argparse.Namespace) -> int:
        product = container.catalog().set_active(args.sku, active)
        print(f"product {product.sku} {'enabled' if active else 'disabled'}")
        return 0

    return run


def register(sub: argparse._SubParsersAction) -> argparse._SubParsersAction:
    """The users and products commands; returns the `users` group for other modules' commands."""
    users = sub.add_parser("users", help="operator actions on users").add_subparsers(dest="users_command",
                                                                                     required=True)
    for name, banned in (("ban", True), ("unban", False)):
        cmd = users.add_parser(name, help=f"{name} a user")
        cmd.add_argument("user_id", type=row_id)
        cmd.set_defaults(run=ban(banned))
    moderation.register_users(users)  # sanction, sanctions

    products = sub.add_parser("products", help="the catalogue").add_subparsers(dest="products_command",
                                                                               required=True)
    products.add_parser("list", help="every product, disabled ones too").set_defaults(run=products_list)
    add = products.add_parser("add", help="add a product")
    add.add_argument("--sku", required=True)
    add.add_argument("--type", required=True, choices=[t.value for t in ProductType])
    add.add_argument("--name", required=True)
    add.add_argument("--price", required=True, type=amount(Cny), help="CNY, e.g. 30.00")
    add.add_argument("--credits", type=int_in(0, MAX_MINOR - 1), default=0)
    add.add_argument("--coins", type=amount(Coins), default=Coins(0), help="coins for a coins_pack, e.g. 10.00")
    add.add_argument("--days", type=int_in(0, 3660), default=0, help="monthly card length")
    add.add_argument("--daily-credits", type=int_in(0, INT32_MAX), default=0)
    add.add_argument("--description", default="")
    add.add_argument("--sort", type=int_in(-INT32_MAX - 1, INT32_MAX), default=100)
    add.set_defaults(run=products_add)
    for name, active in (("disable", False), ("enable", True)):
        cmd = products.add_parser(name, help=f"{name} a product by SKU")
        cmd.add_argument("sku")
        cmd.set_defaults(run=product_toggle(active))
    return users
