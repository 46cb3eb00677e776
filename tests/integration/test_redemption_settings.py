"""The container hashes redemption codes under SKYRIFF_REDEEM_SECRET (embedded: a local secret kept in the data
directory), the same key for the operators' batches and the users' redemptions."""
from __future__ import annotations

import pytest

from entrypoints.container import Container
from entrypoints.settings import Settings
from skyriff_domain.services.redemption_batches import RedemptionBatches


def settings_from(tmp_path, **env) -> Settings:
    return Settings.from_env({"SKYRIFF_DATA_DIR": str(tmp_path), **{f"SKYRIFF_{k}": v for k, v in env.items()}})


def test_embedded_defaults_hash_codes_with_a_local_secret_kept_across_restarts(tmp_path):
    c = Container(settings=settings_from(tmp_path))
    secret = (tmp_path / ".redeem-secret").read_text().strip()
    assert len(secret) >= 32
    assert c.redemption_batches().code_secret == c.redemptions().code_secret == secret
    assert Container(settings=settings_from(tmp_path)).redemptions().code_secret == secret
    assert c.redemptions().throttle is c.throttle()


def test_the_secret_is_configurable_and_never_printed(tmp_path):
    c = Container(settings=settings_from(tmp_path, REDEEM_SECRET="s3cret-redeem"))
    assert c.redemptions().code_secret == "s3cret-redeem" and not (tmp_path / ".redeem-secret").exists()
    assert "s3cret-redeem" not in repr(c.settings()) and "s3cret-redeem" not in repr(c.redemptions())


def test_an_empty_secret_is_refused(tmp_path):
    c = Container(settings=settings_from(tmp_path))
    with pytest.raises(ValueError):
        RedemptionBatches(c.uow(), c.clock(), c.policy(), c.secrets(), "")
