"""One blueprint per spec module; `ALL` is what the app registers and the OpenAPI document lists."""
from . import (
    assets,
    auth,
    files,
    media,
    payment_callbacks,
    payments,
    promoter,
    subscriptions,
    tasks,
    users,
    wallets,
    withdrawals,
)

ALL = [auth.api, users.api, wallets.api, media.api, tasks.api, assets.api, files.api, payments.api,
       payment_callbacks.api, subscriptions.api, promoter.api, withdrawals.api]
