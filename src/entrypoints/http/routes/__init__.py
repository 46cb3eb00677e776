"""One blueprint per spec module; `ALL` is what the app registers and the OpenAPI document lists."""
from . import (
    assets,
    auth,
    fans,
    files,
    health,
    me,
    media,
    moderation,
    payment_callbacks,
    payments,
    promoter,
    redeem,
    subscriptions,
    tasks,
    users,
    verification,
    wallets,
    webhooks,
    withdrawals,
    works,
)

ALL = [health.api, auth.api, users.api, wallets.api, media.api, tasks.api, assets.api, files.api, works.api, fans.api, me.api,
       payments.api, payment_callbacks.api, subscriptions.api, promoter.api, verification.api, withdrawals.api,
       webhooks.api, moderation.api, redeem.api]
