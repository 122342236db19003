"""RemoteSigner against hostile signing services (issue 22), and what any signer may set.

A service that drips its answer or sends hundreds of MiB, an endpoint in plain
http on another machine, a signature that sets framing or routing headers, and
what the service receives (only what signing needs).
"""

from __future__ import annotations

import json
import time
import tracemalloc
from http.server import BaseHTTPRequestHandler
from typing import Any, List

import pytest
import responses
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tiktok
from tests.conftest import BASE_URL, envelope, make_device, url
from tests.reliability._scripted import drip
from tiktok import SignerError
from tiktok.signing import (
    MAX_SIGNER_ANSWER,
    RESERVED_HEADERS,
    RemoteSigner,
    RequestSigner,
    SignRequest,
    sign_attempt,
    xor_encode,
)

MiB = 1024 * 1024


def _request(**extra: Any) -> SignRequest:
    return SignRequest.create(
        method="GET",
        url=BASE_URL + "aweme/v1/user/?user_id=1&ts=1700000000",
        headers={"User-Agent": "ua"},
        ts=1700000000,
        rticket=1700000000123,
        device=make_device(),
        **extra,
    )


DRIP_BYTES, DRIP_GAP = 200, 0.05  # the whole answer would take 10 s
DRIPPED = b" " * DRIP_BYTES


# -- bounded in time and size ----------------------------------------------------------


def test_a_dripping_service_is_cut_at_the_signers_timeout(hostile) -> None:
    sent: List[int] = []
    slow = hostile(drip(DRIPPED, DRIP_GAP, sent))
    started = time.monotonic()
    with pytest.raises(SignerError, match=r"did not answer within 0\.5s"):
        RemoteSigner(slow.url + "sign", timeout=0.5).sign_request(_request())
    # A ratio against the drip's own length, not a bare number.
    assert time.monotonic() - started < DRIP_BYTES * DRIP_GAP / 4
    assert not slow.finished.is_set() and sent


def test_a_dripping_service_ends_with_the_calls_deadline(hostile) -> None:
    slow = hostile(drip(DRIPPED, DRIP_GAP))
    with RemoteSigner(slow.url + "sign", timeout=2.0) as signer:
        client = tiktok.Client(
            make_device(), signer, base_url=BASE_URL, deadline=1.0, timeout=2.0, retries=3
        )
        started = time.monotonic()
        with pytest.raises(SignerError, match=r"did not answer within (1|0\.9\d*)s"):
            client.users.get("42")
        elapsed = time.monotonic() - started
    assert elapsed < DRIP_BYTES * DRIP_GAP / 4
    assert not slow.finished.is_set()


def huge(handler: BaseHTTPRequestHandler) -> None:
    """400 MiB announced and sent, 64 KiB at a time (one buffer: the server holds no more)."""
    block = b"0" * 65536
    handler.send_response(200)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("Content-Length", str(400 * MiB))
    handler.end_headers()
    for _ in range(400 * MiB // len(block)):
        handler.wfile.write(block)


def endless_chunked(handler: BaseHTTPRequestHandler) -> None:
    handler.send_response(200)
    handler.send_header("Transfer-Encoding", "chunked")
    handler.end_headers()
    chunk = b"%x\r\n%s\r\n" % (65536, b"1" * 65536)
    for _ in range(400 * MiB // 65536):
        handler.wfile.write(chunk)


@pytest.mark.parametrize("answer", [huge, endless_chunked], ids=["400-MiB", "endless-chunked"])
def test_a_huge_answer_stops_at_the_size_limit_and_costs_no_memory(hostile, answer) -> None:
    big = hostile(answer)
    tracemalloc.start()
    try:
        with pytest.raises(SignerError, match=f"more than {MAX_SIGNER_ANSWER} bytes"):
            RemoteSigner(big.url + "sign", timeout=10.0).sign_request(_request())
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert not big.finished.is_set()  # hung up long before the end
    assert peak < 16 * MAX_SIGNER_ANSWER  # measured in this process: about 1 MiB at most


# -- the endpoint ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "endpoint",
    ["http://signer.test/sign", "http://10.0.0.5:8080/sign", "http://127.0.0.1.evil.test/sign"],
)
def test_plain_http_to_another_machine_is_refused_unless_allowed(endpoint: str) -> None:
    with pytest.raises(ValueError, match="allow_http=True"):
        RemoteSigner(endpoint)
    RemoteSigner(endpoint, allow_http=True).close()


@pytest.mark.parametrize(
    "endpoint",
    [
        "https://signer.test/sign",
        "http://127.0.0.1:8000/sign",
        "http://127.3.4.5/sign",
        "http://localhost:8000/sign",
        "http://[::1]:8000/sign",
    ],
)
def test_https_and_this_machine_are_taken(endpoint: str) -> None:
    RemoteSigner(endpoint).close()


# -- what a signer may set -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("Host", "internal.test"),
        ("Content-Length", "0"),
        ("Transfer-Encoding", "chunked"),
        ("Connection", "close"),
        ("cookie", "sessionid=planted"),
        ("Proxy-Authorization", "Basic eDp5"),
    ],
)
def test_a_signer_never_sets_framing_routing_or_session_headers(
    rsps: responses.RequestsMock, name: str, value: str
) -> None:
    signer = RequestSigner(lambda request: tiktok.Signature(headers={name: value, "X-Gorgon": "1"}))
    client = tiktok.Client(make_device(), signer, base_url=BASE_URL, retries=0)
    with pytest.raises(SignerError, match=f"may not set {name}"):
        client.posts.comment("42", "hi")
    assert len(rsps.calls) == 0  # nothing went on the wire


def test_a_signer_that_gives_back_a_header_unchanged_sets_nothing(
    rsps: responses.RequestsMock,
) -> None:
    def echo(request: SignRequest) -> tiktok.Signature:
        return tiktok.Signature(headers={**request.headers, "X-Gorgon": "8404"})

    rsps.get(url("aweme/v1/user/"), json=envelope(user={"uid": "42"}))
    client = tiktok.Client(make_device(), RequestSigner(echo), base_url=BASE_URL, retries=0)
    client.credentials.cookies.set("sessionid", "s", domain="api.test", path="/")
    client.users.get("42")
    sent = rsps.calls[0].request.headers
    assert sent["X-Gorgon"] == "8404" and sent["Connection"] == "keep-alive"
    assert sent["Cookie"] == "sessionid=s"


# -- what the service receives -----------------------------------------------------------


PASSWORD = "hunter2-Secret"


def test_the_service_receives_what_signing_needs_and_never_the_password_or_token(
    rsps: responses.RequestsMock,
) -> None:
    service_url = "https://signer.test/sign"
    received: List[bytes] = []

    def sign(request: Any) -> Any:
        received.append(request.body)
        return 200, {}, json.dumps({"headers": {"X-Gorgon": "8404"}})

    rsps.add_callback(responses.POST, service_url, callback=sign)
    login = {"message": "success", "data": {"session_key": "the-session", "user_id": "7"}}
    rsps.post(url("passport/user/login/"), json=login, headers={"x-tt-token": "the-token"})
    rsps.post(url("aweme/v1/comment/publish/"), json=envelope(comment={"cid": "1", "text": "x"}))
    with RemoteSigner(service_url) as signer:
        client = tiktok.Client(make_device(), signer, base_url=BASE_URL, retries=0)
        client.login_with_email("someone@example.com", PASSWORD)
        client.posts.comment("42", "a comment with a body")
    payloads = [json.loads(body) for body in received]
    assert len(payloads) == 2
    for raw, payload in zip(received, payloads):
        text = raw.decode()
        assert PASSWORD not in text and "the-token" not in text
        assert "body" not in payload  # the body's MD5 is all a header signature covers
        assert set(payload) == {
            "method", "url", "stub", "headers", "cookie", "ts", "rticket", "device_id", "iid",
        }  # fmt: skip
        assert not {name.lower() for name in payload["headers"]} & {"cookie", "x-tt-token"}
    login_payload, comment_payload = payloads
    # The login is signed over its query, where the password is XOR-encoded as sent.
    assert xor_encode(PASSWORD) in login_payload["url"]
    assert comment_payload["cookie"] == "sessionid=the-session"
    assert comment_payload["stub"] == comment_payload["headers"]["X-SS-STUB"]


# -- a sweep of hostile answers ------------------------------------------------------------


_HEADER_NAMES = st.sampled_from(
    [*sorted(RESERVED_HEADERS), "X-Gorgon", "X-Khronos", "HOST", "Content-length", "X Bad", ""]
)
_VALUES = st.text(max_size=12) | st.sampled_from(["0", "close", "chunked", "keep-alive", "a\r\nb"])
_JSON_ANSWERS = st.fixed_dictionaries(
    {"headers": st.dictionaries(_HEADER_NAMES, _VALUES, max_size=4) | st.none() | st.integers()},
    optional={"url": st.text(max_size=20) | st.integers()},
).map(lambda answer: json.dumps(answer).encode())
_ANSWERS = _JSON_ANSWERS | st.binary(max_size=64) | st.just(b"[]")


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(status=st.sampled_from([200, 200, 200, 201, 302, 500]), body=_ANSWERS)
def test_any_answer_is_a_signature_of_allowed_headers_or_a_signer_error(
    status: int, body: bytes
) -> None:
    request = _request(time_left=5.0)
    with responses.RequestsMock() as mock, RemoteSigner("https://signer.test/sign") as signer:
        mock.post("https://signer.test/sign", status=status, body=body)
        try:
            _, headers = sign_attempt(signer, request)
        except SignerError:
            return
    assert status == 200
    for name, value in headers.items():
        if name.lower() in RESERVED_HEADERS:
            assert request.headers.get(name) == value  # only given back unchanged
