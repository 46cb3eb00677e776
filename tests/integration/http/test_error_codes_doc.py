"""docs/errors.md is the error-code table of the repository: every code the code knows, with the HTTP status the
one table gives it, and the OpenAPI document points there."""
from __future__ import annotations

import re
from pathlib import Path

from entrypoints.http import routes
from entrypoints.http.errors import STATUS_BY_CODE, status_for
from entrypoints.http.openapi import build_openapi
from skyriff_domain import errors

DOC = Path(__file__).resolve().parents[3] / "docs" / "errors.md"


def documented() -> dict[int, int]:
    rows = re.findall(r"^\| (\d+) \| (\d{3}) \|", DOC.read_text(encoding="utf-8"), re.MULTILINE)
    return {int(code): int(status) for code, status in rows}


def domain_codes() -> set[int]:
    found, todo = set(), [errors.DomainError]
    while todo:
        cls = todo.pop()
        found.add(cls.code)
        todo += cls.__subclasses__()
    return found


def test_every_documented_code_has_the_status_the_code_gives_it():
    table = documented()
    assert table[0] == 200
    assert {code: status for code, status in table.items() if code} == {code: status_for(code) for code in table if code}


def test_every_code_of_the_code_is_documented():
    missing = (set(STATUS_BY_CODE) | domain_codes()) - set(documented())
    assert not missing, f"add these to docs/errors.md: {sorted(missing)}"


def test_product_codes_2009_to_2013_are_there():
    assert {2009, 2010, 2011, 2012, 2013} <= set(documented())


def test_the_openapi_document_points_to_the_table_in_the_repository():
    description = build_openapi(routes.ALL)["info"]["description"]
    assert "docs/errors.md" in description and "PRODUCT.md" not in description
