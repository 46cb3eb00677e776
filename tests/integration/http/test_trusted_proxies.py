"""Behind reverse proxies (SKYRIFF_TRUSTED_PROXIES hops) the client address comes from X-Forwarded-For; with
none configured the header is ignored, since any client can write it."""
from __future__ import annotations

import pytest
from dependency_injector import providers

from adapters.payments.sandbox import SandboxGateway
from entrypoints.settings import Settings
from tests.support.fakes import SANDBOX_SECRET
from tests.support.http import make_client

PROXY = "127.0.0.1"  # the test client's peer address: the proxy nearest to the API
FORWARDED = "198.51.100.1, 203.0.113.7"  # what the client wrote, then what the one trusted proxy appended


class RecordingSandbox(SandboxGateway):
    def __init__(self) -> None:
        super().__init__(SANDBOX_SECRET, "http://api.test/v1/payments/callback/sandbox")
        self.client_ips: list[str | None] = []

    def create_order(self, order):
        self.client_ips.append(order.client_ip)
        return super().create_order(order)


@pytest.mark.parametrize(("hops", "payer_ip"), [(0, PROXY), (1, "203.0.113.7"), (2, "198.51.100.1")])
def test_the_payer_ip_sent_to_the_channel_is_the_forwarded_client_only_when_trusted(sqlite_engine, hops, payer_ip):
    client = make_client(sqlite_engine, trusted_proxies=hops)
    container = client.app.extensions["skyriff"]
    container.catalog().seed()
    sandbox = RecordingSandbox()
    container.payment_gateways.override(providers.Object({"sandbox": sandbox}))
    container.payments.reset()
    client.login()
    status, body = client.post("/payments/create", {"product_id": 1, "pay_channel": "sandbox"},
                               headers={"X-Forwarded-For": FORWARDED})
    assert status == 200, body
    assert sandbox.client_ips == [payer_ip]


def send_codes(client, count: int, forwarded_for) -> list[int]:
    return [client.post("/auth/sms/send", {"phone": f"137{n:08d}"},
                        headers={"X-Forwarded-For": forwarded_for(n)})[0] for n in range(count)]


def test_the_per_ip_sms_limit_counts_forwarded_clients_behind_a_trusted_proxy(sqlite_engine):
    client = make_client(sqlite_engine, trusted_proxies=1)
    cap = client.app.extensions["skyriff"].policy().auth.sms_hourly_cap_per_ip
    assert set(send_codes(client, cap, lambda n: "203.0.113.7")) == {200}
    status, body = client.post("/auth/sms/send", {"phone": "13600000001"}, headers={"X-Forwarded-For": "203.0.113.7"})
    assert (status, body["code"]) == (429, 1006)
    status, _ = client.post("/auth/sms/send", {"phone": "13600000002"}, headers={"X-Forwarded-For": "203.0.113.8"})
    assert status == 200  # another client behind the same proxy has its own budget


def test_without_trusted_proxies_a_forged_forwarded_for_changes_nothing(sqlite_engine):
    client = make_client(sqlite_engine)
    cap = client.app.extensions["skyriff"].policy().auth.sms_hourly_cap_per_ip
    assert set(send_codes(client, cap, lambda n: f"10.0.0.{n}")) == {200}
    status, body = client.post("/auth/sms/send", {"phone": "13600000001"}, headers={"X-Forwarded-For": "10.9.9.9"})
    assert (status, body["code"]) == (429, 1006)  # every request came from the one peer address


def test_trusted_proxies_setting():
    assert Settings.from_env({"SKYRIFF_DATA_DIR": "/tmp/skyriff-proxies"}).trusted_proxies == 0
    assert Settings.from_env({"SKYRIFF_DATA_DIR": "/tmp/skyriff-proxies", "SKYRIFF_TRUSTED_PROXIES": ""}).trusted_proxies == 0
    assert Settings.from_env({"SKYRIFF_DATA_DIR": "/tmp/skyriff-proxies", "SKYRIFF_TRUSTED_PROXIES": "2"}).trusted_proxies == 2
    for bad in ("yes", "-1", "11", "\uff12"):
        with pytest.raises(ValueError, match="SKYRIFF_TRUSTED_PROXIES"):
            Settings.from_env({"SKYRIFF_DATA_DIR": "/tmp/skyriff-proxies", "SKYRIFF_TRUSTED_PROXIES": bad})
