"""``Client(proxy=...)``: that client's API requests go through the proxy, another client's do
not (docs/crawling.rst (Many identities))."""

from __future__ import annotations

import http.client
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Iterator, List
from urllib.parse import urlsplit

import pytest

import tiktok
from tiktok.sandbox import BIG_USER_ID, Sandbox

HOP_BY_HOP = {"connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "upgrade"}


class _Forward(BaseHTTPRequestHandler):
    """A plain HTTP forward proxy: the absolute-form target, sent on byte for byte."""

    protocol_version = "HTTP/1.1"
    server: _Proxy

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        self.server.seen.append(self.path)
        target = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        # The exact path and query as the client sent them: the signature covers them.
        raw = self.path[len(f"{target.scheme}://{target.netloc}") :]
        headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
        upstream = http.client.HTTPConnection(target.hostname, target.port, timeout=10)
        try:
            upstream.request(self.command, raw, body=body, headers=headers)
            answer = upstream.getresponse()
            data = answer.read()
        finally:
            upstream.close()
        self.send_response(answer.status)
        for name, value in answer.getheaders():
            if name.lower() not in HOP_BY_HOP and name.lower() != "content-length":
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_POST = do_GET


class _Proxy(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Forward)
        self.seen: List[str] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


@pytest.fixture
def proxy() -> Iterator[_Proxy]:
    server = _Proxy()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def test_a_client_with_a_proxy_sends_through_it(proxy: _Proxy) -> None:
    with Sandbox(seed=0) as sandbox:
        direct = sandbox.client()
        with sandbox.client(proxy=proxy.url) as proxied:
            user = proxied.users.get(BIG_USER_ID)
            followers = list(proxied.follows.followers(BIG_USER_ID, count=20, limit=60))
        assert user.uid == BIG_USER_ID
        assert [tiktok.to_dict(f) for f in followers] == [
            tiktok.to_dict(f) for f in direct.follows.followers(BIG_USER_ID, count=20, limit=60)
        ]
        assert len(proxy.seen) == 4  # the profile and three pages, all through the proxy
        assert all(seen.startswith(sandbox.url) for seen in proxy.seen)
        direct.users.get(BIG_USER_ID)
        assert len(proxy.seen) == 4  # the other client goes direct
        direct.close()


@pytest.mark.parametrize("bad", ["", "not a url", "ftp://127.0.0.1:21", 8080])
def test_a_bad_proxy_is_refused(bad: object) -> None:
    with Sandbox(seed=0) as sandbox, pytest.raises(ValueError, match="proxy"):
        sandbox.client(proxy=bad)
