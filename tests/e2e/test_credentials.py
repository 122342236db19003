"""Credentials only where they belong (docs/protocol.rst (Retries, limits and pacing)).

After a login on the sandbox, the token, the API's cookies and the signature go
to the API's origin only: another local host reached through ``client.session``
(another port of the same 127.0.0.1, which cookie jars do not tell apart) or
through a redirect from the API sees none of them.
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Dict, Iterator, List

import pytest
import responses

import tiktok
from tests.reliability._scripted import ScriptServer, Step, make_client, ok
from tiktok.sandbox import SANDBOX_EMAIL, SANDBOX_PASSWORD, Sandbox

SECRET_HEADERS = ("x-tt-token", "cookie", "x-gorgon", "x-khronos", "x-ss-stub", "x-argus")


class Elsewhere:
    """A second HTTP server on 127.0.0.1 that records the headers it is sent."""

    def __init__(self) -> None:
        self.seen: List[Dict[str, str]] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                owner.seen.append({k.lower(): v for k, v in self.headers.items()})
                body = b'{"status_code": 0}'
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()


@pytest.fixture
def server() -> Iterator[ScriptServer]:
    """A scripted API on 127.0.0.1 (tests/reliability/_scripted.py)."""
    scripted = ScriptServer()
    try:
        yield scripted
    finally:
        scripted.close()


@pytest.fixture
def elsewhere() -> Iterator[Elsewhere]:
    server = Elsewhere()
    try:
        yield server
    finally:
        server.close()


@pytest.mark.parametrize("signing", ["url", "headers"])
def test_another_host_sees_no_token_cookie_or_signature(elsewhere: Elsewhere, signing: str) -> None:
    with Sandbox(seed=0, signing=signing) as sandbox, sandbox.client() as client:
        client.login_with_email(SANDBOX_EMAIL, SANDBOX_PASSWORD)
        assert client.logged_in and client.credentials.token
        assert "sessionid" in client.credentials.cookies
        assert client.live.can_start() is True  # the API still gets them
        for name in ("x-tt-token", "X-Tt-Token"):
            assert name not in client.session.headers
        assert len(client.session.cookies) == 0
        client.session.get(elsewhere.url + "cdn/video.mp4", timeout=5)
        client.session.get(elsewhere.url + "aweme/v1/user/", timeout=5)
    assert len(elsewhere.seen) == 2
    for headers in elsewhere.seen:
        assert [name for name in SECRET_HEADERS if name in headers] == []


def test_a_redirect_from_the_api_is_not_followed_with_credentials(
    server: ScriptServer, elsewhere: Elsewhere
) -> None:
    login = {"data": {"user_id": 1, "session_key": "sk-1"}, "message": "success"}
    server.script(
        ok(login, **{"x-tt-token": "tok-1", "Set-Cookie": "sessionid=sk-1; Path=/"}),
        Step(302, b"", {"Location": elsewhere.url + "aweme/v1/user/?user_id=42"}),
    )
    client = make_client(server.url, retries=3)
    client.login_with_email("me@example.com", "pw-123")
    with pytest.raises(tiktok.APIError) as caught:
        client.users.get("42")
    assert caught.value.http_status == 302
    assert elsewhere.url.rstrip("/") in str(caught.value)
    assert "not followed" in str(caught.value)
    assert elsewhere.seen == []  # not followed at all, so nothing carried
    assert len(server.hits) == 2  # and not retried
    assert server.hits[1].headers.get("x-tt-token") == "tok-1"


def test_the_session_cookie_is_secure_on_https() -> None:
    client = tiktok.Client(
        tiktok.Device(device_id="1", iid="2", openudid="3", fp="4"),
        lambda url, ts, device_id: url + "&as=1&cp=2&mas=3",
        base_url="https://api.test/",
    )
    with responses.RequestsMock() as rsps:
        rsps.post(
            "https://api.test/passport/user/login/",
            json={"data": {"user_id": 1, "session_key": "sk-9"}, "message": "success"},
        )
        client.login_with_email("me@example.com", "pw")
    (cookie,) = list(client.credentials.cookies)
    assert (cookie.name, cookie.value, cookie.secure, cookie.domain) == (
        "sessionid",
        "sk-9",
        True,
        "api.test",
    )


def test_api_cookies_are_kept_by_origin_not_by_host(server: ScriptServer) -> None:
    # Two servers on 127.0.0.1 differ only by port: the API's cookies must stay with its own.
    server.script(ok({"status_code": 0, "user": {"uid": "42"}}, **{"Set-Cookie": "odin_tt=a"}))
    client = make_client(server.url, retries=0)
    client.users.get("42")
    other = ScriptServer()
    try:
        other.script(ok({"status_code": 0}))
        client.session.get(other.url, timeout=5)
        assert "Cookie" not in other.hits[0].headers
    finally:
        other.close()
    client.users.get("42")
    assert server.hits[-1].headers.get("Cookie") == "odin_tt=a"
