"""The table of error codes (docs/errors.md, where the README points) says what the one table in
entrypoints/http/errors.py does; tests/integration/http/test_error_codes_doc.py checks that it is complete."""
from __future__ import annotations

import re
from pathlib import Path

from entrypoints.http.errors import status_for

TABLE = Path(__file__).resolve().parents[3] / "docs" / "errors.md"


def test_every_documented_code_has_the_documented_status():
    rows = re.findall(r"^\| (\d{4}) \| (\d{3}) \|", TABLE.read_text(encoding="utf-8"), re.MULTILINE)
    assert {"2012", "2013"} <= {code for code, _ in rows}
    assert [(code, int(status)) for code, status in rows] == [(code, status_for(int(code))) for code, _ in rows]
