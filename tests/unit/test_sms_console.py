"""ConsoleSmsSender: the dev sender logs the code with the phone masked and remembers the last code."""
from __future__ import annotations

import logging

import pytest

from adapters.auth.sms_console import ConsoleSmsSender


def test_logs_the_code_with_the_phone_masked(caplog: pytest.LogCaptureFixture) -> None:
    sender = ConsoleSmsSender()
    with caplog.at_level(logging.WARNING, logger="skyriff.sms"):
        sender.send_code("13800138000", "123456", 5)

    assert [r.getMessage() for r in caplog.records] == ["SMS code for 138****8000: 123456 (valid 5 min)"]
    assert caplog.records[0].name == "skyriff.sms"
    assert caplog.records[0].levelno == logging.WARNING
    assert "13800138000" not in caplog.text


def test_keeps_the_last_code_per_phone() -> None:
    sender = ConsoleSmsSender()
    sender.send_code("13800138000", "111111", 5)
    sender.send_code("13900139000", "222222", 5)
    sender.send_code("13800138000", "333333", 5)

    assert sender.sent == {"13800138000": "333333", "13900139000": "222222"}
