"""Secrets stay secret: logs, reprs, exception messages, the session file, TLS.

The secrets: the password (plain and XOR-hex, which is trivially reversed), the
login's ``session_key``, the ``sessionid`` cookie and the ``x-tt-token`` header.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import ssl
import stat
import subprocess
import traceback
from pathlib import Path
from typing import Iterator, List

import pytest
import requests

import tiktok

from ._scripted import CLOSE, DEVICE, ScriptServer, Step, make_client, ok, status, unused_port


def xor_encode(text: str) -> str:
    """The login's encoding (docs/protocol.rst (Login)): each character XOR 5, as lower-case hex."""
    return "".join(format(ord(char) ^ 5, "x") for char in text)


EMAIL = "owner@example.com"
PASSWORD = "Hunter2-Secret!"
SESSION_KEY = "sk5f2b9c0e7d4411aa"
SESSION_COOKIE = "cookie77aa0b1c2d3e"
TOKEN = "tt9e8d7c6b5a4f3e2d"
SECRETS = {
    "password": PASSWORD,
    "xor password": xor_encode(PASSWORD),
    "xor email": xor_encode(EMAIL),
    "session_key": SESSION_KEY,
    "sessionid": SESSION_COOKIE,
    "x-tt-token": TOKEN,
}

LOGIN_OK = ok(
    {
        "data": {"user_id": 6600000000000000001, "session_key": SESSION_KEY, "email": "o***@e.com"},
        "message": "success",
    },
    **{"x-tt-token": TOKEN, "Set-Cookie": f"sessionid={SESSION_COOKIE}; Path=/"},
)
USER_OK = ok({"status_code": 0, "user": {"uid": "42"}})


def leaked(text: str) -> List[str]:
    """The names of the secrets that appear in ``text``."""
    return [name for name, value in SECRETS.items() if value in text]


def exception_text(exc: BaseException) -> str:
    """Everything Python prints for an uncaught ``exc``: the chain, every message."""
    return "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))


def test_the_secrets_are_distinct_from_everything_else_sent() -> None:
    # Guards the other tests: a secret that also appears in harmless text would hide leaks.
    harmless = json.dumps([DEVICE.params(), "127.0.0.1"])
    assert leaked(harmless) == []


# -- logs ---------------------------------------------------------------------------


def test_debug_logs_name_each_request_but_no_secret(
    server: ScriptServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)  # every logger: tiktok, urllib3, requests
    client = make_client(server.url, retries=2)
    # urllib3 logs each request line at DEBUG: the login's carries the XOR password.
    server.script(status(429, **{"Retry-After": "0"}), LOGIN_OK)
    client.login_with_email(EMAIL, PASSWORD)
    # A read error, then an empty body: each retried; the session goes along.
    server.script(CLOSE, USER_OK, ok(b""), USER_OK)
    client.users.get("42")
    client.users.get("42")
    assert server.hits[-1].headers.get("x-tt-token") == TOKEN  # the session was used
    assert f"sessionid={SESSION_COOKIE}" in server.hits[-1].headers.get("Cookie", "")

    messages = [record.getMessage() for record in caplog.records]
    assert any("passport/user/login/?" in m for m in messages)  # urllib3's request line
    assert leaked(caplog.text) == []
    assert leaked("\n".join(messages)) == []

    ours = [r.getMessage() for r in caplog.records if r.name == "tiktok"]
    request_line = re.compile(r"^(GET|POST) (\S+) -> (\d{3}) \(attempt (\d+), \d+\.\d{3}s\)$")
    lines = [m.groups() for m in map(request_line.match, ours) if m]
    assert ("POST", "passport/user/login/", "200", "2") in lines
    assert ("GET", "aweme/v1/user/", "200", "2") in lines
    assert any("retrying GET aweme/v1/user/" in m for m in ours)  # the empty body's retry


def test_a_login_that_cannot_connect_logs_no_secret(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    client = make_client(f"http://127.0.0.1:{unused_port()}/", retries=2)
    with pytest.raises(tiktok.TransportError):
        client.login_with_email(EMAIL, PASSWORD)
    retried = [r for r in caplog.records if r.getMessage().startswith("retrying POST")]
    assert len(retried) == 2  # our loop's, with the path; urllib3 retries nothing
    assert "passport/user/login/" in caplog.text
    assert leaked(caplog.text) == []


def test_records_without_secrets_are_left_alone(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    logging.getLogger("urllib3.connectionpool").debug("GET %s %s", "/a?user_id=1&count=%d", 20)
    (record,) = caplog.records
    assert record.getMessage() == "GET /a?user_id=1&count=%d 20"


# -- reprs --------------------------------------------------------------------------


def test_reprs_show_no_secret(server: ScriptServer) -> None:
    client = make_client(server.url)
    server.script(LOGIN_OK)
    result = client.login_with_email(EMAIL, PASSWORD)
    assert result.session_key == SESSION_KEY  # the secret is there to be used...
    assert client.logged_in
    shown = [repr(client), str(client), repr(result), str(result), repr(client.signer)]
    shown += [repr(getattr(client, n)) for n in ("users", "posts", "follows", "live", "feed")]
    assert "logged_in=True" in repr(client)
    assert "6600000000000000001" in repr(result)  # ...and the rest is shown
    assert leaked("\n".join(shown)) == []


# -- exception messages ---------------------------------------------------------------


def test_a_login_that_cannot_connect_raises_without_secrets() -> None:
    client = make_client(f"http://127.0.0.1:{unused_port()}/", retries=1)
    with pytest.raises(tiktok.TransportError) as caught:
        client.login_with_email(EMAIL, PASSWORD)
    text = exception_text(caught.value)
    assert "Max retries exceeded" in text  # urllib3's URL-bearing message is in the chain
    assert leaked(text) == []
    assert isinstance(caught.value.__cause__, requests.ConnectionError)


@pytest.mark.parametrize(
    "answer, error",
    [
        (CLOSE, tiktok.TransportError),
        (Step(200, json.dumps({"data": {"session_key": SESSION_KEY}}).encode(), action="cut"),
         tiktok.TransportError),
        (ok(json.dumps({"data": {"session_key": SESSION_KEY}}).encode()[:30]), tiktok.DecodeError),
        (ok({"data": {"session_key": SESSION_KEY, "gender": SESSION_KEY}, "message": "success"}),
         tiktok.DecodeError),
        (ok({"data": {"session_key": SESSION_KEY, "connects": {"a": SESSION_KEY}}}),
         tiktok.LoginError),  # no "message": a failure answer (docs/protocol.rst (Login))
        (ok(b""), tiktok.EmptyResponseError),
        (status(429, **{"Retry-After": "0"}), tiktok.RateLimitError),
        (Step(500, json.dumps({"session_key": SESSION_KEY}).encode()), tiktok.APIError),
        (Step(200, b"<html>" + SESSION_KEY.encode() + b"</html>"), tiktok.DecodeError),
        (Step(200, json.dumps({"data": {}}).encode(), delay=1.0), tiktok.TransportError),
    ],
    ids=["reset", "cut-stream", "cut-json", "int-field", "list-field", "empty", "429", "500",
         "html", "timeout"],
)  # fmt: skip
def test_login_errors_carry_no_secret(server: ScriptServer, answer: Step, error: type) -> None:
    server.script(answer)
    client = make_client(server.url, retries=1, timeout=0.3)
    with pytest.raises(error) as caught:
        client.login_with_email(EMAIL, PASSWORD)
    assert leaked(exception_text(caught.value)) == []
    assert leaked(repr(caught.value)) == []


def test_a_signer_that_quotes_the_url_in_its_error_leaks_nothing(server: ScriptServer) -> None:
    def failing_signer(url: str, ts: int, device_id: str) -> str:
        raise RuntimeError(f"cannot sign {url}")

    client = make_client(server.url, signer=failing_signer)
    with pytest.raises(tiktok.SignerError) as caught:
        client.login_with_email(EMAIL, PASSWORD)
    text = exception_text(caught.value)
    assert "cannot sign" in str(caught.value)
    assert "passport/user/login/" in str(caught.value)
    assert leaked(text) == []
    assert server.hits == []


def test_a_signer_that_changes_the_url_is_reported_without_it(server: ScriptServer) -> None:
    client = make_client(server.url, signer=lambda url, ts, d: url.replace("login", "x") + "&as=1")
    with pytest.raises(tiktok.SignerError) as caught:
        client.login_with_email(EMAIL, PASSWORD)
    assert leaked(exception_text(caught.value)) == []
    assert server.hits == []


# -- the session file -----------------------------------------------------------------


@pytest.fixture
def logged_in(server: ScriptServer) -> tiktok.Client:
    client = make_client(server.url)
    server.script(LOGIN_OK)
    client.login_with_email(EMAIL, PASSWORD)
    return client


@pytest.fixture
def open_umask() -> Iterator[None]:
    previous = os.umask(0)  # the worst case: files are created world-readable
    try:
        yield
    finally:
        os.umask(previous)


def test_save_session_writes_mode_0600(
    logged_in: tiktok.Client, tmp_path: Path, open_umask: None
) -> None:
    path = tmp_path / "session.json"
    logged_in.save_session(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert SESSION_COOKIE in path.read_text() and TOKEN in path.read_text()


def test_save_session_replaces_a_readable_file_with_a_private_one(
    logged_in: tiktok.Client, tmp_path: Path
) -> None:
    path = tmp_path / "session.json"
    path.write_text("old")
    path.chmod(0o644)
    logged_in.save_session(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert json.loads(path.read_text())["token"] == TOKEN


def test_save_session_is_atomic(
    logged_in: tiktok.Client, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "session.json"
    logged_in.save_session(path)
    before = path.read_bytes()

    def fail(fd: int) -> None:  # the temporary file is written, not yet synced
        raise OSError("disk full")

    monkeypatch.setattr("tiktok._sessions.os.fsync", fail)
    with pytest.raises(OSError, match="disk full"):
        logged_in.save_session(path)
    assert path.read_bytes() == before  # the old session is intact
    assert sorted(p.name for p in tmp_path.iterdir()) == ["session.json"]  # no temp left


def test_a_saved_session_loads_into_a_new_client(
    logged_in: tiktok.Client, server: ScriptServer, tmp_path: Path
) -> None:
    path = tmp_path / "session.json"
    logged_in.save_session(path)
    fresh = make_client(server.url)
    assert not fresh.logged_in
    fresh.load_session(path)
    assert fresh.logged_in
    server.script(USER_OK)
    fresh.users.get("42")
    (hit,) = server.hits
    assert hit.headers.get("x-tt-token") == TOKEN
    assert f"sessionid={SESSION_COOKIE}" in hit.headers.get("Cookie", "")


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604, 0o660, 0o606, 0o620, 0o602, 0o610, 0o601])
def test_load_session_refuses_a_file_others_can_access(
    logged_in: tiktok.Client, server: ScriptServer, tmp_path: Path, mode: int
) -> None:
    path = tmp_path / "session.json"
    logged_in.save_session(path)
    path.chmod(mode)
    fresh = make_client(server.url)
    with pytest.raises(PermissionError) as caught:
        fresh.load_session(path)
    message = str(caught.value)
    assert str(path) in message
    assert "chmod 600" in message
    assert not fresh.logged_in  # nothing was loaded
    assert leaked(message) == []


@pytest.mark.parametrize("mode", [0o600, 0o400])
def test_load_session_accepts_a_private_file(
    logged_in: tiktok.Client, server: ScriptServer, tmp_path: Path, mode: int
) -> None:
    path = tmp_path / "session.json"
    logged_in.save_session(path)
    path.chmod(mode)
    fresh = make_client(server.url)
    fresh.load_session(path)
    assert fresh.logged_in


def test_a_corrupt_session_file_error_quotes_no_secret(
    tmp_path: Path, server: ScriptServer
) -> None:
    path = tmp_path / "session.json"
    path.write_text(json.dumps({"cookies": [{"value": SESSION_COOKIE}], "token": TOKEN}))
    path.chmod(0o600)
    with pytest.raises(ValueError) as caught:
        make_client(server.url).load_session(path)
    assert "not a session file" in str(caught.value)
    assert leaked(exception_text(caught.value)) == []


# -- TLS ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def self_signed(tmp_path_factory: pytest.TempPathFactory) -> ssl.SSLContext:
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("openssl is needed to make a self-signed certificate")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    return context


@pytest.fixture
def tls_server(self_signed: ssl.SSLContext) -> Iterator[ScriptServer]:
    scripted = ScriptServer(ssl_context=self_signed)
    try:
        yield scripted
    finally:
        scripted.close()


def test_tls_is_verified_by_default(
    tls_server: ScriptServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"):
        monkeypatch.delenv(name, raising=False)
    tls_server.script(USER_OK)
    client = make_client(tls_server.url, retries=2)
    assert client.session.verify is True
    with pytest.raises(tiktok.TransportError) as caught:
        client.users.get("42")
    assert isinstance(caught.value.__cause__, requests.exceptions.SSLError)
    assert tls_server.hits == []  # nothing was sent to the unverified server


def test_tls_verification_is_off_only_when_the_user_turns_it_off(
    tls_server: ScriptServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # requests lets this variable override session.verify = False; the client must not.
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", requests.certs.where())
    tls_server.script(USER_OK)
    session = requests.Session()
    session.verify = False
    client = tiktok.Client(
        DEVICE, lambda u, t, d: u + "&as=1&cp=2&mas=3", base_url=tls_server.url, session=session
    )
    with pytest.warns(Warning):  # urllib3 warns about the unverified request, as it should
        assert client.users.get("42").uid == "42"
    assert len(tls_server.hits) == 1


@pytest.mark.parametrize("password", ["p\u00e4ss\u0100word", "pass\x05word", "\U0001f511key"])
def test_a_password_the_login_encoding_cannot_carry_is_refused_before_sending(
    server: ScriptServer, password: str
) -> None:
    client = make_client(server.url)
    with pytest.raises(ValueError) as caught:
        client.login_with_email(EMAIL, password)
    assert str(caught.value).startswith("password ")
    assert password not in str(caught.value) and xor_encode(password) not in str(caught.value)
    assert server.hits == []
    with pytest.raises(ValueError, match=r"^username "):
        client.login_with_username("\u0130stanbul", PASSWORD)
    assert server.hits == []
