"""tiktok._transport: what requests reads per request (environment, session settings) still counts.

The transport reuses ``merge_environment_settings`` while nothing it reads has
changed, and prepares requests without their query (docs/performance.rst):
these tests change each input between calls and check that the next request
sees the change, exactly as a plain ``requests.Session`` would.
"""

from __future__ import annotations

import base64
from typing import Any, Dict

import pytest
import requests

import tiktok
from tests.conftest import envelope, url

USER = url("aweme/v1/user/")
PROXY_VARIABLES = (
    "https_proxy",
    "HTTPS_PROXY",
    "http_proxy",
    "HTTP_PROXY",
    "all_proxy",
    "ALL_PROXY",
)


@pytest.fixture(autouse=True)
def no_proxy_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (*PROXY_VARIABLES, "no_proxy", "NO_PROXY", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"):
        monkeypatch.delenv(name, raising=False)


def sent_settings(client: tiktok.Client, rsps: Any) -> Dict[str, Any]:
    """Make one call; the keyword arguments the adapter got (proxies, verify, cert...)."""
    rsps.get(USER, json=envelope(user={"uid": "42"}))
    client.users.get("42")
    return rsps.calls[-1].request.req_kwargs  # type: ignore[no-any-return]


def test_a_proxy_set_in_the_environment_between_calls_is_used(client, rsps, monkeypatch) -> None:
    assert "https" not in sent_settings(client, rsps)["proxies"]
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.test:3128")
    assert sent_settings(client, rsps)["proxies"]["https"] == "http://proxy.test:3128"
    monkeypatch.setenv("NO_PROXY", "api.test")
    assert "https" not in sent_settings(client, rsps)["proxies"]
    monkeypatch.delenv("NO_PROXY")
    monkeypatch.delenv("HTTPS_PROXY")
    assert "https" not in sent_settings(client, rsps)["proxies"]


def test_a_ca_bundle_set_in_the_environment_between_calls_is_used(
    client, rsps, monkeypatch
) -> None:
    assert sent_settings(client, rsps)["verify"] is True
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", "/etc/test-ca.pem")
    assert sent_settings(client, rsps)["verify"] == "/etc/test-ca.pem"


def test_session_settings_changed_between_calls_are_used(client, rsps, monkeypatch) -> None:
    sent_settings(client, rsps)
    client.session.proxies["https"] = "http://session-proxy.test:8080"
    client.session.cert = "/etc/client.pem"
    assert sent_settings(client, rsps)["proxies"]["https"] == "http://session-proxy.test:8080"
    assert rsps.calls[-1].request.req_kwargs["cert"] == "/etc/client.pem"
    client.session.verify = False
    assert sent_settings(client, rsps)["verify"] is False
    monkeypatch.setenv("HTTP_PROXY", "http://env-proxy.test:3128")
    client.session.trust_env = False
    assert "http" not in sent_settings(client, rsps)["proxies"]


def test_the_proxies_a_request_gets_are_its_own_copy(client, rsps, monkeypatch) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.test:3128")
    first = sent_settings(client, rsps)["proxies"]
    first["https"] = "http://changed.test:1"  # what a hook or adapter might do to its argument
    assert sent_settings(client, rsps)["proxies"]["https"] == "http://proxy.test:3128"


def test_session_auth_and_path_scoped_cookies_still_apply(client, rsps) -> None:
    # The request is prepared on scheme, host and path: auth and cookies must not notice.
    client.session.auth = ("user", "secret")
    client.session.cookies.set("scoped", "yes", domain="api.test", path="/aweme/v1/user/")
    client.session.cookies.set("elsewhere", "no", domain="api.test", path="/other/")
    rsps.get(USER, json=envelope(user={"uid": "42"}))
    client.users.get("42")
    headers = rsps.calls[-1].request.headers
    assert headers["Authorization"] == "Basic " + base64.b64encode(b"user:secret").decode()
    assert headers["Cookie"] == "scoped=yes"
    assert rsps.calls[-1].request.url.startswith(USER + "?user_id=42&")


def test_a_plain_session_sees_the_same_settings(client, rsps, monkeypatch) -> None:
    # The reference: what requests itself computes for the same origin.
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.test:3128")
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", "/etc/test-ca.pem")
    ours = sent_settings(client, rsps)
    plain = requests.Session().merge_environment_settings(USER, {}, None, None, None)
    assert {key: ours[key] for key in ("proxies", "verify", "cert")} == {
        key: plain[key] for key in ("proxies", "verify", "cert")
    }
