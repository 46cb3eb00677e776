"""`skyriff aigc inspect FILE` and `skyriff aigc downloads` against real files and a real database."""
from __future__ import annotations

import attrs
import pytest

from adapters.media.aigc import FfmpegAigcLabeler
from adapters.media.ffmpeg import make_test_mp4
from entrypoints.cli import main
from skyriff_domain.model.media import CleanDownloadRecord
from tests.support.http import make_client, make_container
from tests.support.rows import stored_video


@pytest.fixture(scope="module")
def clip() -> bytes:
    return make_test_mp4(seconds=0.5, width=160, height=284)


@pytest.fixture
def container(sqlite_engine):
    return make_container(sqlite_engine)


def test_inspect_prints_the_label_and_that_it_verifies(container, clip, tmp_path, capsys):
    label = container.aigc_labels().for_video(3)
    path = tmp_path / "play.mp4"
    path.write_bytes(container.aigc_labels().relabel(clip, label))
    assert main(["aigc", "inspect", str(path)], container) == 0
    out = capsys.readouterr().out
    assert f"AIGC: {label.to_json()}" in out
    assert f"  ProduceID: {label.produce_id}" in out and "  ContentPropagator: skyriff" in out
    assert "ReservedCode1: verified" in out


def test_inspect_exits_1_for_a_tampered_or_missing_label(container, clip, tmp_path, capsys):
    label = container.aigc_labels().for_video(3)
    tampered = tmp_path / "tampered.mp4"
    tampered.write_bytes(FfmpegAigcLabeler().label(clip, attrs.evolve(label, label="3").to_json()))
    assert main(["aigc", "inspect", str(tampered)], container) == 1
    assert "ReservedCode1: DOES NOT VERIFY" in capsys.readouterr().out
    plain = tmp_path / "plain.mp4"
    plain.write_bytes(clip)
    assert main(["aigc", "inspect", str(plain)], container) == 1
    assert "no AIGC label" in capsys.readouterr().out
    malformed = tmp_path / "malformed.mp4"
    malformed.write_bytes(FfmpegAigcLabeler().label(clip, '{"Label":"1"}'))
    assert main(["aigc", "inspect", str(malformed)], container) == 1
    assert "not a well-formed label" in capsys.readouterr().out


def test_inspect_exits_2_for_what_is_not_a_video(container, tmp_path, capsys):
    garbage = tmp_path / "broken.mp4"
    garbage.write_bytes(b"not an mp4 at all" * 100)
    assert main(["aigc", "inspect", str(garbage)], container) == 2
    assert main(["aigc", "inspect", str(tmp_path / "missing.mp4")], container) == 2
    assert "is not a media file" in capsys.readouterr().err


def test_downloads_lists_the_log_newest_first(sqlite_engine, capsys):
    client = make_client(sqlite_engine)
    container = client.app.extensions["skyriff"]
    me = client.login()
    first = stored_video(container.uow(), me["user_id"]).id
    with container.uow()() as uow:
        uow.clean_downloads.add(CleanDownloadRecord(me["user_id"], first, container.clock().now(), "203.0.113.7"))
        uow.commit()
    assert main(["aigc", "downloads", "--video", str(first)], container) == 0
    out = capsys.readouterr().out
    assert f"user {me['user_id']}\tvideo {first}\t203.0.113.7" in out and "1 clean downloads" in out
    assert main(["aigc", "downloads", "--user", str(me["user_id"] + 1)], container) == 0
    assert "0 clean downloads" in capsys.readouterr().out
