"""Through a real proxy, the origin receives exactly the request the signer signed.

A local proxy (absolute-form forwarding for http, CONNECT tunnels for https) in
front of a recording front (TLS with a self-signed certificate for https) in
front of the sandbox: the sandbox checks each signature on the raw target, and
the test compares the targets that reached the origin with the signed ones.
"""

from __future__ import annotations

import shutil
import ssl
import subprocess
from pathlib import Path
from typing import Iterator, List, Tuple

import pytest
import requests

import tiktok
from tiktok.sandbox import BIG_USER_ID, SANDBOX_EMAIL, SANDBOX_PASSWORD, Sandbox, SandboxSigner
from tiktok.sandbox._signing import request_target

from ._proxy import Front, Proxy, SocksProxy, request_targets

PROXY_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY")


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> Tuple[Path, Path]:
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("the openssl command is needed to make a self-signed certificate")
    folder = tmp_path_factory.mktemp("proxy-tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    return cert, key


@pytest.fixture(autouse=True)
def no_proxy_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    with Sandbox(seed=0) as sb:
        yield sb


@pytest.fixture
def proxy() -> Iterator[Proxy]:
    with Proxy() as running:
        yield running


class RecordingSigner(SandboxSigner):
    """The sandbox's URL signer, keeping the request target of every URL it signed."""

    def __init__(self) -> None:
        super().__init__()
        self.targets: List[str] = []

    def sign(self, url: str, ts: int, device_id: str) -> str:
        signed = super().sign(url, ts, device_id)
        self.targets.append(request_target(signed))
        return signed


def make_front(scheme: str, sandbox: Sandbox, certificate: Tuple[Path, Path]) -> Front:
    context = None
    if scheme == "https":
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(*certificate)
    return Front(("127.0.0.1", sandbox.port), context)


def exercise(front: Front, session: requests.Session, signer: RecordingSigner) -> List[str]:
    """A GET, a POST with a form body, a login (secrets in the query) and two pages, sent
    to ``front`` by a client on ``session``; the request targets ``front`` received."""
    client = tiktok.Client(
        tiktok.sandbox.sandbox_device(), signer, base_url=front.url, session=session, retries=0
    )
    with client:
        assert client.users.get(BIG_USER_ID).uid == BIG_USER_ID
        client.login_with_email(SANDBOX_EMAIL, SANDBOX_PASSWORD)
        assert client.users.qr_code(BIG_USER_ID).url_list
        assert len(list(client.follows.followers(BIG_USER_ID, count=20, limit=40))) == 40
    return request_targets(front.received)


@pytest.mark.parametrize("scheme", ["http", "https"])
@pytest.mark.parametrize("configured", ["session", "environment"])
def test_the_origin_receives_exactly_the_signed_requests_through_a_proxy(
    scheme: str,
    configured: str,
    sandbox: Sandbox,
    proxy: Proxy,
    certificate: Tuple[Path, Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    signer = RecordingSigner()
    with make_front(scheme, sandbox, certificate) as front:
        session = requests.Session()
        session.verify = str(certificate[0])
        if configured == "session":
            session.proxies = {scheme: proxy.url}
        else:  # read when the client is made, as requests reads it
            monkeypatch.setenv(f"{scheme.upper()}_PROXY", proxy.url)
        received = exercise(front, session, signer)
    assert len(signer.targets) == 5
    assert received == signer.targets  # byte for byte, in order, nothing else
    if scheme == "http":  # forwarded: the proxy saw each request, in absolute form
        assert [target for _, target in proxy.requests] == [
            front.url.rstrip("/") + target for target in signer.targets
        ]
    else:  # tunnelled: the proxy saw only CONNECT to the origin
        assert proxy.requests and {request for request in proxy.requests} == {
            ("CONNECT", f"127.0.0.1:{front.port}")
        }


def test_without_a_proxy_the_front_sees_the_same(
    sandbox: Sandbox, certificate: Tuple[Path, Path]
) -> None:
    """The control: the same calls, direct, give the same origin bytes."""
    signer = RecordingSigner()
    with make_front("https", sandbox, certificate) as front:
        session = requests.Session()
        session.verify = str(certificate[0])
        assert exercise(front, session, signer) == signer.targets


@pytest.mark.parametrize("scheme", ["http", "https"])
@pytest.mark.parametrize("socks", ["socks5", "socks5h"])
def test_the_origin_receives_exactly_the_signed_requests_through_a_socks_proxy(
    scheme: str, socks: str, sandbox: Sandbox, certificate: Tuple[Path, Path]
) -> None:
    """requests speaks SOCKS through PySocks (its ``socks`` extra); with it, nothing changes."""
    pytest.importorskip("socks", reason="SOCKS proxies need PySocks (pip install PySocks)")
    signer = RecordingSigner()
    with make_front(scheme, sandbox, certificate) as front, SocksProxy() as proxy:
        session = requests.Session()
        session.verify = str(certificate[0])
        # socks5h: the proxy resolves the host name; socks5: the client does.
        session.proxies = {scheme: f"{socks}://localhost:{proxy.port}"}
        received = exercise(front, session, signer)
    assert len(signer.targets) == 5
    assert received == signer.targets  # tunnelled: byte for byte, in order, nothing else
    assert proxy.connections and set(proxy.connections) == {("127.0.0.1", front.port)}
