"""The sandbox's headers mode and signing service, checked against docs/protocol.rst (Request signing)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any, Dict, Optional

import pytest

from tests.sandbox._wire import DEVICE, login
from tiktok import SignRequest
from tiktok.sandbox import Sandbox, SandboxRequestSigner, SandboxSigner, sandbox_device
from tiktok.sandbox._faults import FaultPicker, Stats
from tiktok.sandbox._handlers import App, Request
from tiktok.sandbox._server import Dispatcher, Outcome
from tiktok.sandbox._signing import request_target
from tiktok.sandbox._state import State
from tiktok.sandbox._world import World

TS = 1700000000
QUERY = "&".join(f"{name}={TS if name == 'ts' else value}" for name, value in DEVICE.items())
USER_TARGET = f"/aweme/v1/user/?user_id=1&{QUERY}"
COMMENT_TARGET = f"/aweme/v1/comment/publish/?{QUERY}"
COMMENT_BODY = b"aweme_id=6900000000000000001&text=hi&text_extra=%5B%5D&is_self_see=0"


def written_gorgon(key: str, khronos: str, method: str, target: str, stub: str, cookie: str) -> str:
    """The definition, written out independently of the package."""
    message = f"{khronos}\n{method}\n{target}\n{stub}\n{cookie}".encode()
    return "8404" + hmac.new(key.encode(), message, hashlib.sha256).hexdigest()[:48]


def md5_upper(body: bytes) -> str:
    return hashlib.md5(body).hexdigest().upper()


def sign_request(
    target: str, *, method: str = "GET", body: bytes = b"", cookie: str = "", ts: int = TS
) -> SignRequest:
    headers = {"User-Agent": "ua"}
    if cookie:
        headers["Cookie"] = cookie
    return SignRequest.create(
        method=method,
        url="http://127.0.0.1:8000" + target,
        body=body,
        headers=headers,
        ts=ts,
        rticket=TS * 1000,
        device=sandbox_device(),
    )


def headers_dispatcher(now: float = TS) -> Dispatcher:
    world = World(0)
    return Dispatcher(
        App(world, State(world)),
        "sandbox",
        FaultPicker(0, 0.0),
        Stats(),
        0.05,
        signing="headers",
        clock=lambda: now,
    )


def send_signed(
    dispatcher: Dispatcher,
    target: str,
    *,
    method: str = "GET",
    body: bytes = b"",
    cookie: str = "",
    change: Optional[Dict[str, Optional[str]]] = None,
    send_target: Optional[str] = None,
    send_body: Optional[bytes] = None,
) -> Outcome:
    """Sign with SandboxRequestSigner, then send (optionally tampered) to the dispatcher."""
    request = sign_request(target, method=method, body=body, cookie=cookie)
    signature = SandboxRequestSigner().sign_request(request)
    headers = {name.lower(): value for name, value in signature.headers.items()}
    if cookie:
        headers["cookie"] = cookie
    for name, value in (change or {}).items():
        if value is None:
            headers.pop(name, None)
        else:
            headers[name] = value
    raw_target = target if send_target is None else send_target
    raw_body = body if send_body is None else send_body
    return dispatcher(Request(method, raw_target, headers, raw_body))


# -- the signer against the written definition --------------------------------------------


def test_the_request_signer_follows_the_definition_for_a_get() -> None:
    signature = SandboxRequestSigner("k3y").sign_request(sign_request(USER_TARGET))
    assert dict(signature.headers) == {
        "X-Khronos": str(TS),
        "X-Gorgon": written_gorgon("k3y", str(TS), "GET", USER_TARGET, "", ""),
    }
    assert signature.url is None


def test_the_request_signer_covers_body_stub_and_cookie_for_a_post() -> None:
    body = b"a=1&b=%C3%BC"
    request = sign_request(COMMENT_TARGET, method="POST", body=body, cookie="sessionid=abc")
    signature = SandboxRequestSigner().sign_request(request)
    stub = md5_upper(body)
    assert dict(signature.headers) == {
        "X-Khronos": str(TS),
        "X-SS-STUB": stub,
        "X-Gorgon": written_gorgon(
            "sandbox", str(TS), "POST", COMMENT_TARGET, stub, "sessionid=abc"
        ),
    }


def test_a_request_signer_needs_a_non_empty_key() -> None:
    with pytest.raises(ValueError):
        SandboxRequestSigner("")


# -- the dispatcher in headers mode ----------------------------------------------------------


def test_a_signed_get_is_answered() -> None:
    outcome = send_signed(headers_dispatcher(), USER_TARGET)
    assert outcome.status == 200 and json.loads(outcome.body)["status_code"] == 0


def test_a_signed_post_with_body_and_cookie_is_answered() -> None:
    dispatcher = headers_dispatcher()
    query = "mix_mode=1&username=&email=" + _xor("sandbox@example.com")
    query += "&password=" + _xor("sandbox-pass-123") + "&" + QUERY
    answer = send_signed(dispatcher, f"/passport/user/login/?{query}", method="POST")
    cookie = dict(answer.headers)["Set-Cookie"].split(";")[0]
    outcome = send_signed(
        dispatcher, COMMENT_TARGET, method="POST", body=COMMENT_BODY, cookie=cookie
    )
    assert outcome.status == 200 and json.loads(outcome.body)["comment"]["text"] == "hi"


def _xor(text: str) -> str:
    return "".join(format(ord(c) ^ 5, "x") for c in text)


@pytest.mark.parametrize("skew", [-60, 0, 60])
def test_a_ts_within_60_seconds_of_the_clock_is_accepted(skew: int) -> None:
    outcome = send_signed(headers_dispatcher(now=TS + skew), USER_TARGET)
    assert outcome.body != b""


@pytest.mark.parametrize("skew", [-61, 61, 3600])
def test_a_stale_or_future_ts_gets_the_empty_200(skew: int) -> None:
    dispatcher = headers_dispatcher(now=TS + skew)
    outcome = send_signed(dispatcher, USER_TARGET)
    assert (outcome.status, outcome.body) == (200, b"")
    assert dispatcher.stats.snapshot()["rejected_signature"] == 1


@pytest.mark.parametrize(
    "tamper",
    [
        {"change": {"x-gorgon": None}},
        {"change": {"x-khronos": None}},
        {"change": {"x-khronos": str(TS + 1)}},
        {"change": {"x-gorgon": "8404" + "0" * 48}},
        {"send_target": USER_TARGET.replace("user_id=1", "user_id=2")},
        {"send_target": USER_TARGET + "&as=1&cp=2&mas=3"},
    ],
)
def test_a_tampered_get_gets_the_empty_200(tamper: Dict[str, Any]) -> None:
    outcome = send_signed(headers_dispatcher(), USER_TARGET, **tamper)
    assert (outcome.status, outcome.body) == (200, b"")


@pytest.mark.parametrize(
    "tamper",
    [
        {"send_body": b"x=2"},
        {"change": {"x-ss-stub": None}},
        {"change": {"x-ss-stub": md5_upper(b"x=1").lower()}},
        {"change": {"cookie": "sessionid=other"}},
        {"change": {"cookie": None}},
    ],
)
def test_a_tampered_post_gets_the_empty_200(tamper: Dict[str, Any]) -> None:
    outcome = send_signed(
        headers_dispatcher(),
        COMMENT_TARGET,
        method="POST",
        body=b"x=1",
        cookie="sessionid=abc",
        **tamper,
    )
    assert (outcome.status, outcome.body) == (200, b"")


def test_a_method_other_than_signed_gets_the_empty_200() -> None:
    request = sign_request(USER_TARGET, method="POST")
    headers = {
        k.lower(): v for k, v in SandboxRequestSigner().sign_request(request).headers.items()
    }
    outcome = headers_dispatcher()(Request("GET", USER_TARGET, headers, b""))
    assert outcome.body == b""


def test_a_url_signed_request_gets_the_empty_200_in_headers_mode() -> None:
    signed = SandboxSigner().sign("http://h" + USER_TARGET, TS, "11")
    outcome = headers_dispatcher()(Request("GET", request_target(signed), {}, b""))
    assert outcome.body == b""


def test_the_url_mode_still_refuses_header_signatures() -> None:
    world = World(0)
    dispatcher = Dispatcher(App(world, State(world)), "sandbox", FaultPicker(0, 0.0), Stats(), 0.05)
    signature = SandboxRequestSigner().sign_request(sign_request(USER_TARGET))
    headers = {k.lower(): v for k, v in signature.headers.items()}
    assert dispatcher(Request("GET", USER_TARGET, headers, b"")).body == b""
    assert login(dispatcher)["cookie"].startswith("sessionid=")  # url signatures still work


# -- POST /sign -------------------------------------------------------------------------------


def _payload(target: str, *, method: str = "GET", body: bytes = b"", cookie: str = "") -> bytes:
    return json.dumps(
        {
            "method": method,
            "url": "http://127.0.0.1:8000" + target,
            "body": base64.b64encode(body).decode(),
            "headers": {},
            "cookie": cookie,
            "ts": TS,
            "rticket": TS * 1000,
            "device_id": "11",
            "iid": "22",
        }
    ).encode()


def test_the_signing_service_answers_the_headers_of_the_definition() -> None:
    dispatcher = headers_dispatcher()
    payload = _payload(COMMENT_TARGET, method="POST", body=b"x=1", cookie="sessionid=abc")
    outcome = dispatcher(Request("POST", "/sign", {}, payload))
    assert outcome.status == 200
    stub = md5_upper(b"x=1")
    assert json.loads(outcome.body) == {
        "headers": {
            "X-Khronos": str(TS),
            "X-SS-STUB": stub,
            "X-Gorgon": written_gorgon(
                "sandbox", str(TS), "POST", COMMENT_TARGET, stub, "sessionid=abc"
            ),
        }
    }
    assert dispatcher.stats.snapshot()["requests"] == 0  # not an API request


def test_the_signing_service_in_url_mode_answers_the_signed_url() -> None:
    world = World(0)
    dispatcher = Dispatcher(App(world, State(world)), "k", FaultPicker(0, 0.0), Stats(), 0.05)
    outcome = dispatcher(Request("POST", "/sign", {}, _payload(USER_TARGET)))
    url = "http://127.0.0.1:8000" + USER_TARGET
    assert json.loads(outcome.body) == {"headers": {}, "url": SandboxSigner("k").sign(url, 0, "")}


@pytest.mark.parametrize(
    ("method", "body", "status"),
    [
        ("GET", b"", 405),
        ("POST", b"not json", 400),
        ("POST", b"[]", 400),
        ("POST", b'{"method": "GET", "url": "http://h/", "ts": "1"}', 400),
        ("POST", b'{"method": "GET", "url": "http://h/", "ts": 1, "body": "!!"}', 400),
        ("POST", b"\xff\xfe", 400),
    ],
)
def test_the_signing_service_refuses_a_malformed_request(
    method: str, body: bytes, status: int
) -> None:
    outcome = headers_dispatcher()(Request(method, "/sign", {}, body))
    assert outcome.status == status


def test_a_sandbox_signing_mode_must_be_url_or_headers() -> None:
    with pytest.raises(ValueError, match="'url' or 'headers'"):
        Sandbox(signing="query")


@pytest.mark.parametrize(
    ("mode", "signer"), [("url", SandboxSigner), ("headers", SandboxRequestSigner)]
)
def test_the_sandbox_hands_out_the_signer_of_its_mode(mode: str, signer: type) -> None:
    sandbox = Sandbox(signing=mode, signing_key="k")
    assert type(sandbox.signer()) is signer and sandbox.signer().key == "k"


def test_the_sandbox_counts_a_signature_sent_again() -> None:
    dispatcher = headers_dispatcher()
    send_signed(dispatcher, USER_TARGET)
    send_signed(dispatcher, USER_TARGET.replace("user_id=1", "user_id=3"))
    assert dispatcher.stats.snapshot()["repeated_signature"] == 0
    send_signed(dispatcher, USER_TARGET)
    assert dispatcher.stats.snapshot()["repeated_signature"] == 1


def test_the_signing_service_signs_from_the_stub_alone() -> None:
    # RemoteSigner sends the body's MD5 ("stub"), never the body: the same signature.
    dispatcher = headers_dispatcher()
    with_body = json.loads(
        dispatcher(
            Request("POST", "/sign", {}, _payload(COMMENT_TARGET, method="POST", body=b"x=1"))
        ).body
    )
    payload = json.loads(_payload(COMMENT_TARGET, method="POST"))
    del payload["body"]
    payload["stub"] = md5_upper(b"x=1")
    with_stub = dispatcher(Request("POST", "/sign", {}, json.dumps(payload).encode()))
    assert with_stub.status == 200 and json.loads(with_stub.body) == with_body
    payload["stub"] = "not an md5"
    refused = dispatcher(Request("POST", "/sign", {}, json.dumps(payload).encode()))
    assert refused.status == 400
