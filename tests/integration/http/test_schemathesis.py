"""Property-based run of schemathesis over the whole OpenAPI document: no 5xx, and every response (bodies,
statuses, content types) conforms to the document; invalid input must be refused with a 4xx.

The document is built by the same pure function the app serves (`build_openapi(routes.ALL)`), so every
endpoint added to a blueprint is fuzzed here without touching this file."""
from __future__ import annotations

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import positive_data_acceptance

from entrypoints.http import routes
from entrypoints.http.openapi import build_openapi
from tests.support.databases import migrated_engine
from tests.support.http import make_client

EXAMPLES_PER_OPERATION = int(os.environ.get("SKYRIFF_FUZZ_EXAMPLES", "25"))  # seconds for the whole run

schema = schemathesis.openapi.from_dict(build_openapi(routes.ALL))
# Undeclared query parameters are ignored on purpose (browsers and proxies add cache-busters), so they are
# not "negative data" for this API.
schema.config.generation.update(allow_extra_parameters=False)


@pytest.fixture(scope="module")
def api_client(tmp_path_factory):
    engine = migrated_engine(f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'fuzz.sqlite3'}")
    client = make_client(engine)
    client.login("13900000000", "654321")  # a second user, so follows and profiles find someone
    client.login()
    yield client
    engine.dispose()


@schema.parametrize()
@settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, suppress_health_check=list(HealthCheck),
          database=None)
def test_api_conforms_to_its_openapi_document(case, api_client):
    # Requests go to the app in-process (WSGI), not over a socket.
    case.operation.schema.app = api_client.app
    # Valid-looking input may still be refused for business reasons (a wrong SMS code, an unknown user).
    case.call_and_validate(headers={"Authorization": f"Bearer {api_client.token}"}, app=api_client.app,
                           excluded_checks=[positive_data_acceptance])


def test_the_served_document_is_the_fuzzed_one(api_client):
    assert api_client.raw.get("/v1/openapi.json").get_json() == build_openapi(routes.ALL)
