"""The container labels every stored MP4 with the configured key and service code (embedded: a local key)."""
from __future__ import annotations

import pytest

from adapters.media.aigc import FfmpegAigcLabeler
from entrypoints.container import Container
from entrypoints.settings import Settings


def settings_from(tmp_path, **env) -> Settings:
    return Settings.from_env({"SKYRIFF_DATA_DIR": str(tmp_path), **{f"SKYRIFF_{k}": v for k, v in env.items()}})


def test_embedded_defaults_sign_with_a_local_key_as_skyriff(tmp_path):
    c = Container(settings=settings_from(tmp_path))
    labels = c.aigc_labels()
    assert isinstance(labels.labeler, FfmpegAigcLabeler) and labels.service_code == "skyriff"
    assert labels.key == (tmp_path / ".aigc-secret").read_text().strip().encode()
    assert Container(settings=settings_from(tmp_path)).aigc_labels().key == labels.key  # kept across restarts
    # every path that stores or serves an MP4 labels it
    assert c.task_runner().labels is labels and c.works().play_copies.labels is labels
    assert c.assets().labels is labels


def test_the_key_and_code_are_configurable(tmp_path):
    c = Container(settings=settings_from(tmp_path, AIGC_SECRET="s3cret", AIGC_SERVICE_CODE="SKY-001"))
    assert (c.aigc_labels().key, c.aigc_labels().service_code) == (b"s3cret", "SKY-001")
    assert not (tmp_path / ".aigc-secret").exists()
    assert "s3cret" not in repr(c.settings())


@pytest.mark.parametrize("code", ["sky riff", "天空", "-x"])
def test_a_bad_service_code_stops_the_start(tmp_path, code):
    with pytest.raises(ValueError, match="service code"):
        settings_from(tmp_path, AIGC_SERVICE_CODE=code)
