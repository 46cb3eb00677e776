"""The testing kit builds every use case the container builds, over one shared set of fakes, in one call."""
from __future__ import annotations

import re
from pathlib import Path

import attrs

from adapters.memory.kit import Fakes, UseCases, build_use_cases, new_user, pay
from entrypoints.container import Container
from skyriff_domain.money import Credits


def test_one_call_builds_every_use_case_the_container_has():
    uc = build_use_cases()
    for field in attrs.fields(UseCases):
        if field.name == "fakes":
            continue
        built = getattr(uc, field.name)
        assert type(built) is getattr(Container, field.name).provides, field.name
        if hasattr(built, "uow"):
            assert built.uow is uc.fakes.uow, field.name
        if hasattr(built, "clock"):
            assert built.clock is uc.fakes.clock, field.name


def test_the_kit_covers_every_use_case_of_the_container():
    """A use case added to the container must be added to the kit too, or other services cannot test with it."""
    services = {name for name in dir(Container) if getattr(getattr(Container, name), "provides", None) is not None
                and getattr(getattr(Container, name).provides, "__module__", "").startswith(
                    ("skyriff_domain.services", "skyriff_domain.queries"))}
    parts = {"play_copies", "screen", "router", "withheld_files"}  # what use cases are built with
    assert services - {f.name for f in attrs.fields(UseCases)} == parts


def test_the_catalogue_is_seeded_and_money_flows_through_the_sandbox():
    uc = build_use_cases()
    alice = new_user(uc.fakes, "13800138000")
    pay(uc.fakes, alice, "credits_30")
    assert uc.wallets.overview(alice).credits == Credits(600)
    assert uc.ledger_audit.verify() == []


def test_fakes_can_be_passed_in_and_test_phones_log_in():
    fakes = Fakes()
    uc = build_use_cases(fakes, test_phones={"13800138000": "123456"}, seed_catalog=False)
    assert uc.fakes is fakes and uc.catalog.list(active_only=False) == []
    uc.sms_login.send_code("13800138000")
    login = uc.sms_login.verify("13800138000", "123456")
    assert fakes.sms.sent == [] and uc.authenticator.authenticate(login.token).id == login.user.id


def test_the_quick_example_of_docs_library_md_runs():
    doc = (Path(__file__).resolve().parents[2] / "docs" / "library.md").read_text(encoding="utf-8")
    first = re.search(r"```python\n(.*?)```", doc, re.DOTALL)[1]
    namespace: dict = {}
    exec(compile(first, "docs/library.md", "exec"), namespace)
    assert namespace["uc"].wallets.overview(namespace["alice"]).credits == Credits(600)
