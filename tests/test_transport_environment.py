"""tiktok/_transport.py: proxy and CA settings, from the environment and from the session.

The environment is read once, when the client is made (as httpx does); the
session's own ``proxies``, ``verify``, ``cert`` and ``trust_env`` are read at
every call and win over the environment's.
"""

from __future__ import annotations

import base64
import io
from typing import Any, Dict

import pytest
import requests

import tiktok
from tests.conftest import BASE_URL, RecordingSigner, envelope, make_device, url

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


def new_client() -> tiktok.Client:
    return tiktok.Client(make_device(), RecordingSigner(), base_url=BASE_URL, retries=0)


def sent_settings(client: tiktok.Client, rsps: Any) -> Dict[str, Any]:
    """Make one call; the keyword arguments the adapter got (proxies, verify, cert...)."""
    rsps.get(USER, json=envelope(user={"uid": "42"}))
    client.users.get("42")
    return rsps.calls[-1].request.req_kwargs  # type: ignore[no-any-return]


def test_proxies_and_ca_bundle_of_the_environment_are_read_when_the_client_is_made(
    rsps, monkeypatch
) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.test:3128")
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", "/etc/test-ca.pem")
    client = new_client()
    settings = sent_settings(client, rsps)
    assert settings["proxies"]["https"] == "http://proxy.test:3128"
    assert settings["verify"] == "/etc/test-ca.pem"
    # Read once: a change afterwards is for the next client.
    monkeypatch.delenv("HTTPS_PROXY")
    monkeypatch.delenv("REQUESTS_CA_BUNDLE")
    settings = sent_settings(client, rsps)
    assert settings["proxies"]["https"] == "http://proxy.test:3128"
    assert settings["verify"] == "/etc/test-ca.pem"
    settings = sent_settings(new_client(), rsps)
    assert "https" not in settings["proxies"] and settings["verify"] is True


def test_no_proxy_for_the_api_host_is_honoured(rsps, monkeypatch) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.test:3128")
    monkeypatch.setenv("NO_PROXY", "api.test")
    assert "https" not in sent_settings(new_client(), rsps)["proxies"]


def test_session_settings_changed_between_calls_are_used(client, rsps, monkeypatch) -> None:
    sent_settings(client, rsps)
    client.session.proxies["https"] = "http://session-proxy.test:8080"
    client.session.cert = "/etc/client.pem"
    assert sent_settings(client, rsps)["proxies"]["https"] == "http://session-proxy.test:8080"
    assert rsps.calls[-1].request.req_kwargs["cert"] == "/etc/client.pem"
    client.session.verify = False
    assert sent_settings(client, rsps)["verify"] is False


def test_the_sessions_own_settings_win_over_the_environment(rsps, monkeypatch) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "http://env-proxy.test:3128")
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", "/etc/test-ca.pem")
    client = new_client()
    client.session.proxies["https"] = "http://session-proxy.test:8080"
    client.session.verify = False  # requests itself would let the bundle override this
    settings = sent_settings(client, rsps)
    assert settings["proxies"]["https"] == "http://session-proxy.test:8080"
    assert settings["verify"] is False
    client.session.trust_env = False
    client.session.proxies.clear()
    client.session.verify = True
    settings = sent_settings(client, rsps)
    assert "https" not in settings["proxies"] and settings["verify"] is True


def test_the_proxies_a_request_gets_are_its_own_copy(rsps, monkeypatch) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.test:3128")
    client = new_client()
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


def test_a_plain_session_sees_the_same_settings(rsps, monkeypatch) -> None:
    # The reference: what requests itself computes for the same origin.
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.test:3128")
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", "/etc/test-ca.pem")
    ours = sent_settings(new_client(), rsps)
    plain = requests.Session().merge_environment_settings(USER, {}, None, None, None)
    assert {key: ours[key] for key in ("proxies", "verify", "cert")} == {
        key: plain[key] for key in ("proxies", "verify", "cert")
    }


def download_settings(client: tiktok.Client, rsps: Any, media_url: str) -> Dict[str, Any]:
    """Download one file from ``media_url``; the keyword arguments the adapter got."""
    rsps.get(media_url, body=b"video bytes")
    client.media.download(tiktok.models.UrlList(url_list=[media_url]), io.BytesIO())
    return rsps.calls[-1].request.req_kwargs  # type: ignore[no-any-return]


def test_a_media_hosts_settings_are_its_own_and_read_once(rsps, monkeypatch) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.test:3128")
    monkeypatch.setenv("NO_PROXY", "cdn.test")
    client = new_client()
    cdn, other = "https://cdn.test/v/1.mp4", "https://video.test/v/1.mp4"
    assert "https" not in download_settings(client, rsps, cdn)["proxies"]
    assert download_settings(client, rsps, other)["proxies"]["https"] == "http://proxy.test:3128"
    # Streamed: the body is read as it arrives, never whole before the first chunk.
    assert rsps.calls[-1].request.req_kwargs["stream"] is True
    # Read on first use of each host: a change afterwards is for the next client.
    monkeypatch.delenv("NO_PROXY")
    assert "https" not in download_settings(client, rsps, cdn)["proxies"]
    assert (
        download_settings(new_client(), rsps, cdn)["proxies"]["https"] == "http://proxy.test:3128"
    )
    # The session's own settings still win, at each call.
    client.session.proxies["https"] = "http://session-proxy.test:8080"
    assert (
        download_settings(client, rsps, cdn)["proxies"]["https"] == "http://session-proxy.test:8080"
    )
