"""The console's pages and actions, one module per area; importing this package registers them all."""
from . import audit, auth, dashboard, moderation, operators, payments, products, tasks, users, withdrawals  # noqa: F401
