"""/v1/openapi.json is a valid OpenAPI 3.1 document (checked by openapi-spec-validator), as code generators
and gateways need it to be, not just something schemathesis manages to read."""
from __future__ import annotations

from collections import Counter

import pytest
from openapi_spec_validator import OpenAPIV31SpecValidator

from entrypoints.http import routes
from entrypoints.http.api import Api
from entrypoints.http.openapi import build_openapi


def test_the_served_document_is_valid_openapi(client):
    document = client.raw.get("/v1/openapi.json").get_json()
    errors = [str(e).splitlines()[0] for e in OpenAPIV31SpecValidator(document).iter_errors()]
    assert errors == []


def test_operation_ids_are_unique():
    document = build_openapi(routes.ALL)
    ids = Counter(op["operationId"] for path in document["paths"].values() for op in path.values())
    assert [i for i, n in ids.items() if n > 1] == []
    assert {"tasks_create", "withdrawals_create"} <= set(ids)


def test_a_repeated_operation_id_is_refused_when_the_document_is_built():
    twin = Api("tasks", tag="test")  # the same blueprint name as the real tasks module

    @twin.route("GET", "/twin", summary="twin")
    def create(call):
        return {}

    with pytest.raises(ValueError, match="tasks_create"):
        build_openapi([*routes.ALL, twin])
