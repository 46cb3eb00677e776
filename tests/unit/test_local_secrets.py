"""The embedded defaults' generated secrets: private, stable, and one per data directory even when gunicorn's
workers start at the same moment."""
from __future__ import annotations

import os
import stat

from entrypoints import settings


def test_a_generated_secret_is_private_and_kept(tmp_path):
    first = settings._local_secret(str(tmp_path), "jwt")
    assert settings._local_secret(str(tmp_path), "jwt") == first
    path = tmp_path / ".jwt-secret"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == [".jwt-secret"]  # no temporary file left behind


def test_when_another_worker_writes_first_its_secret_is_used(tmp_path, monkeypatch):
    real_link = os.link

    def another_process_wins(source, target):
        (tmp_path / ".jwt-secret").write_text("the-other-workers-secret")
        real_link(source, target)

    monkeypatch.setattr(settings.os, "link", another_process_wins)
    assert settings._local_secret(str(tmp_path), "jwt") == "the-other-workers-secret"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".jwt-secret"]
