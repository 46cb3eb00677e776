"""Builders of use cases over a `Fakes` set, so tests read like the rule they check: the kit's
(adapters.memory.kit.builders and .funding), under the names the tests have always used."""
from __future__ import annotations

from adapters.memory.kit.builders import (  # noqa: F401  (re-exported for the tests)
    aigc_labels, appeals, assets, audit_trail, authenticator, catalog, console_auth, creation, dashboard,
    download_records, following, home, housekeeping, idempotency, income_statements, ledger_audit, moderation,
    moderation_views, money_views, operators, payments, payouts, people, play_copies, profiles, projects,
    provider_events, quotes, redemption_batches, redemptions, referrals, refunds, remixes, reports, router, runner,
    sanctions, screen, sms_login, subscriptions, task_admin, task_center, task_views, throttle, tipping, totp_now,
    user_admin, verifications, wallets, wechat_flow, withdrawals, withheld_files, works,
)
from adapters.memory.kit.fakes import CODE_SECRET, REDEEM_SECRET  # noqa: F401
from adapters.memory.kit.funding import (  # noqa: F401
    buy_pack, buy_pack_on, finished_video, new_user, pay, sandbox_notice, verify,
)
