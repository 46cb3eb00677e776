"""Development SMS sender: writes the login code to the log instead of texting it.

Owns nothing but the log line and an in-memory record of the last code per phone (for tests and local
use). The phone is always masked; the code is shown because reading it from the console is the point.
"""
from __future__ import annotations

import logging

from skyriff_domain.model.user import mask_phone
from skyriff_domain.ports.auth import SmsSender

log = logging.getLogger("skyriff.sms")


class ConsoleSmsSender(SmsSender):
    """`SmsSender` for local development: logs `SMS code for 138****8000: 123456 (valid 5 min)`."""

    def __init__(self) -> None:
        self.sent: dict[str, str] = {}  # phone → last code sent

    def send_code(self, phone: str, code: str, ttl_minutes: int) -> None:
        """Record the code and log it with the phone masked; never fails."""
        self.sent[phone] = code
        # WARNING so it shows up under the default log level of a dev server.
        log.warning("SMS code for %s: %s (valid %d min)", mask_phone(phone), code, ttl_minutes)
