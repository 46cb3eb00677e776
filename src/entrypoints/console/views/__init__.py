"""The console's pages and actions, one module per area; importing this package registers them all."""
from . import (  # noqa: F401
    audit, auth, codes, dashboard, moderation, operators, payments, products, settings, tasks, users, withdrawals)
