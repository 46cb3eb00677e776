"""Validation answers speak one language in one style: Chinese reasons, choices listed as 取值需为 a、b 或 c (the
HTTP schemas and the domain alike), and a value of the wrong type named by the type it should have."""
from __future__ import annotations

import re

import pytest
from pydantic import BaseModel

from entrypoints.http import routes
from entrypoints.http.validation import validate
from skyriff_domain.errors import InvalidRequest

WRONG_VALUES = ["10", 10, 10.5, True, None, [], {}, "x" * 5000, -1]


def test_a_number_sent_as_a_string_is_asked_for_as_an_integer(client):
    client.login()
    status, body = client.post("/tasks/create", {"prompt": "猫", "duration_sec": "10", "ratio": "9:16", "model": "sora2"})
    assert (status, body["code"], body["data"]) == (400, 2000, {"field": "duration_sec", "reason": "需为整数"})


@pytest.mark.parametrize(("path", "field", "reason"), [
    ("/feed?tab=newest", "tab", "取值需为 discover、hot 或 rank"),
    ("/wallet/ledgers?type=cny", "type", "取值需为 credits 或 coins"),
])
def test_choices_are_listed_one_way(client, path, field, reason):
    client.login()
    status, body = client.get(path)
    assert (status, body["data"]) == (400, {"field": field, "reason": reason})


def test_a_choice_out_of_range_lists_the_choices(client):
    client.login()
    _, body = client.post("/tasks/create", {"prompt": "猫", "duration_sec": 12, "ratio": "9:16", "model": "sora2"})
    assert body["data"] == {"field": "duration_sec", "reason": "取值需为 10、15 或 25"}
    _, body = client.post("/tasks/create", {"prompt": "猫", "duration_sec": 10, "ratio": 916, "model": "sora2"})
    assert body["data"] == {"field": "ratio", "reason": "需为字符串"}


def test_the_domain_lists_choices_the_same_way(client):
    from skyriff_domain.policy import Policy
    from skyriff_domain.services.tipping import Tipping

    with pytest.raises(InvalidRequest) as err:
        Tipping(None, None, Policy()).tip(1, 1, 15)
    assert err.value.data == {"field": "amount_credits", "reason": "取值需为 10、20、50 或 100"}


def models() -> list[type[BaseModel]]:
    found = {m for api in routes.ALL for op in api.operations for m in (op.body, op.query) if m is not None}
    return sorted(found, key=lambda m: m.__name__)


@pytest.mark.parametrize("model", models(), ids=lambda m: m.__name__)
def test_no_reason_is_in_english(model):
    """Every field of every request schema, given values of every wrong type: the reason never carries
    pydantic's English (nor Python's quoting), only field names and the allowed values themselves."""
    for name in model.model_fields:
        for value in WRONG_VALUES:
            try:
                validate(model, {name: value})
            except InvalidRequest as error:
                words = re.findall(r"[A-Za-z_]{3,}", error.data["reason"].replace("JSON", ""))
                allowed = set(re.findall(r"[A-Za-z_]{3,}", str(model.model_json_schema())))
                assert set(words) <= allowed, (name, value, error.data)
                assert "'" not in error.data["reason"], (name, value, error.data)
