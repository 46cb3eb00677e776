"""One blueprint per spec module; `ALL` is what the app registers and the OpenAPI document lists."""
from . import auth, payment_callbacks, payments, promoter, subscriptions, users, wallets, withdrawals

ALL = [auth.api, users.api, wallets.api, payments.api, payment_callbacks.api, subscriptions.api, promoter.api,
       withdrawals.api]
