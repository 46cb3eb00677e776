"""Builders of use cases over a `Fakes` set, so tests read like the rule they check: the kit's
(adapters.memory.kit.builders and .funding), under the names the tests have always used."""
from __future__ import annotations

from adapters.memory.kit.builders import (  # noqa: F401  (re-exported for the tests)
    aigc_labels, appeals, assets, authenticator, catalog, creation, download_records, following, home,
    housekeeping, idempotency, income_statements, ledger_audit, moderation, payments, payouts, play_copies,
    profiles, projects, provider_events, quotes, referrals, refunds, remixes, reports, router, runner, sanctions,
    screen, sms_login, subscriptions, task_center, throttle, tipping, user_admin, verifications, wallets,
    wechat_flow, withdrawals, withheld_files, works,
)
from adapters.memory.kit.fakes import CODE_SECRET  # noqa: F401
from adapters.memory.kit.funding import (  # noqa: F401
    buy_pack, buy_pack_on, finished_video, new_user, pay, sandbox_notice, verify,
)
