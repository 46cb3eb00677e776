"""The README's table of error codes says what the one table in entrypoints/http/errors.py does."""
from __future__ import annotations

import re
from pathlib import Path

from entrypoints.http.errors import status_for

README = Path(__file__).resolve().parents[3] / "README.md"


def test_every_documented_code_has_the_documented_status():
    rows = re.findall(r"^\| (\d{4}) \| (\d{3}) \|", README.read_text(encoding="utf-8"), re.MULTILINE)
    assert {"2012", "2013"} <= {code for code, _ in rows}
    assert [(code, int(status)) for code, status in rows] == [(code, status_for(int(code))) for code, _ in rows]
