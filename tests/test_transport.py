"""tiktok/_transport.py (one attempt) and tiktok/_answers.py (what an answer means): signing
on the wire, headers, token and cookies, error mapping, decoding."""

from __future__ import annotations

import contextlib
import http.server
import json
import threading
from typing import Any, Iterator, List

import pytest
import requests
import responses
from hypothesis import given, settings
from hypothesis import strategies as st

import tiktok
from tests.conftest import (
    BASE_URL,
    RecordingSigner,
    check_wire,
    envelope,
    examples,
    make_device,
    url,
)

USER = url("aweme/v1/user/")
USER_BODY = envelope(user={"uid": "42", "nickname": "n"})


def get_user(client: tiktok.Client) -> tiktok.User:
    return client.users.get("42")


# -- the URL on the wire ------------------------------------------------------------


def test_the_url_sent_is_the_signed_url_byte_for_byte(client, rsps, signer) -> None:
    rsps.get(USER, json=USER_BODY)
    get_user(client)
    check_wire(
        rsps.calls[0],
        signer.calls[0],
        method="GET",
        path="aweme/v1/user/",
        params=[("user_id", "42")],
    )


@pytest.mark.parametrize(
    "suffix",
    [
        "&as=a%2fb%3d&cp=c%2Bd&mas=%e2%82%ac",  # lower-case escapes: legal, and must not be "fixed"
        "&as=a1b2c3&cp=~x*y,z&mas=(m)!$'",  # sub-delims: legal in a query, must not be encoded
        "&as=&cp=&mas=",
    ],
)
def test_odd_but_legal_signatures_are_not_re_encoded(device, rsps, suffix: str) -> None:
    signer = RecordingSigner(suffix=suffix)
    client = tiktok.Client(device, signer, base_url=BASE_URL, retries=0, backoff=0)
    rsps.get(USER, json=USER_BODY)
    get_user(client)
    assert rsps.calls[0].request.url == signer.calls[0].url + suffix


def test_every_request_gets_its_own_ts_and_rticket(device, rsps, signer) -> None:
    wall = iter([1700000000.25, 1700000100.75])
    clock = tiktok.Clock(wall=lambda: next(wall))
    client = tiktok.Client(device, signer, base_url=BASE_URL, retries=0, clock=clock)
    rsps.get(USER, json=USER_BODY)
    get_user(client)
    get_user(client)
    sent = [call.request.url for call in rsps.calls]
    assert "&_rticket=1700000000250&ts=1700000000&as=" in sent[0]
    assert "&_rticket=1700000100750&ts=1700000100&as=" in sent[1]
    assert [c.ts for c in signer.calls] == [1700000000, 1700000100]


def test_base_url_without_trailing_slash_and_another_host(device, rsps) -> None:
    signer = RecordingSigner()
    host = "https://api16-normal-c-useast1a.tiktokv.com"
    client = tiktok.Client(device, signer, base_url=host, retries=0, backoff=0)
    rsps.get(host + "/aweme/v1/user/", json=USER_BODY)
    get_user(client)
    check_wire(
        rsps.calls[0],
        signer.calls[0],
        method="GET",
        path="aweme/v1/user/",
        params=[("user_id", "42")],
        base_url=host + "/",
    )


# -- headers, token, cookies -----------------------------------------------------------


def test_protocol_headers_on_every_request(client, rsps) -> None:
    rsps.get(USER, json=USER_BODY)
    get_user(client)
    headers = rsps.calls[0].request.headers
    assert headers["User-Agent"] == make_device().user_agent()
    assert headers["Accept-Encoding"] == "gzip"
    assert headers["Connection"] == "keep-alive"
    assert headers["sdk-version"] == "1"
    assert headers["x-ss-tc"] == "0"
    assert "x-tt-token" not in headers


def test_a_custom_user_agent_replaces_the_default(device, signer, rsps) -> None:
    client = tiktok.Client(device, signer, base_url=BASE_URL, retries=0, user_agent="ua/1")
    rsps.get(USER, json=USER_BODY)
    get_user(client)
    assert rsps.calls[0].request.headers["User-Agent"] == "ua/1"


@pytest.mark.parametrize("header", ["x-tt-token", "X-Tt-Token", "X-TT-TOKEN"])
def test_a_token_from_any_response_is_sent_on_later_requests(client, rsps, header: str) -> None:
    rsps.get(USER, json=USER_BODY, headers={header: "tok-1"})
    rsps.get(USER, json=USER_BODY, headers={header: "tok-2"})
    rsps.get(USER, json=USER_BODY)
    for _ in range(3):
        get_user(client)
    sent = [call.request.headers.get("x-tt-token") for call in rsps.calls]
    assert sent == [None, "tok-1", "tok-2"]
    assert client.logged_in


def test_cookies_set_by_the_server_are_sent_back(client, rsps) -> None:
    rsps.get(USER, json=USER_BODY, headers={"Set-Cookie": "odin_tt=abc; Path=/"})
    rsps.get(USER, json=USER_BODY)
    get_user(client)
    get_user(client)
    assert "Cookie" not in rsps.calls[0].request.headers
    assert rsps.calls[1].request.headers["Cookie"] == "odin_tt=abc"


def test_timeout_is_passed_to_every_request(device, signer, rsps) -> None:
    client = tiktok.Client(device, signer, base_url=BASE_URL, retries=0, timeout=(3.0, 7.5))
    rsps.get(USER, json=USER_BODY)
    get_user(client)
    assert rsps.calls[0].request.req_kwargs["timeout"] == (3.0, 7.5)


# -- API errors ---------------------------------------------------------------------------


def test_a_non_zero_status_code_is_an_api_error_with_the_body(client, rsps) -> None:
    body = {"status_code": 2065, "status_msg": "This user does not exist", "extra": {}}
    rsps.get(USER, json=body)
    with pytest.raises(tiktok.APIError) as caught:
        get_user(client)
    error = caught.value
    assert type(error) is tiktok.APIError
    assert (error.status_code, error.status_msg, error.http_status) == (
        2065,
        "This user does not exist",
        200,
    )
    assert error.body == body
    assert "2065" in str(error) and "This user does not exist" in str(error)


def test_a_status_code_sent_as_text_is_still_read(client, rsps) -> None:
    rsps.get(USER, json={"status_code": "5"})
    with pytest.raises(tiktok.APIError) as caught:
        get_user(client)
    assert caught.value.status_code == 5 and caught.value.status_msg is None


def test_status_code_8_is_login_required(client, rsps) -> None:
    rsps.get(USER, json={"status_code": 8, "status_msg": "Please login first"})
    with pytest.raises(tiktok.LoginRequiredError) as caught:
        get_user(client)
    assert isinstance(caught.value, tiktok.APIError)
    assert caught.value.status_code == 8
    assert "log in" in str(caught.value)


@pytest.mark.parametrize("status", [400, 403, 404, 500, 502])
def test_an_http_error_carries_the_http_status_and_the_json_status(
    client, rsps, status: int
) -> None:
    rsps.get(USER, status=status, json={"status_code": 9, "status_msg": "bad"})
    with pytest.raises(tiktok.APIError) as caught:
        get_user(client)
    error = caught.value
    assert type(error) is tiktok.APIError
    assert (error.http_status, error.status_code, error.status_msg) == (status, 9, "bad")
    assert str(status) in str(error)


def test_an_http_error_with_an_html_body_is_an_api_error_without_status(client, rsps) -> None:
    rsps.get(USER, status=502, body="<html>Bad Gateway</html>", content_type="text/html")
    with pytest.raises(tiktok.APIError) as caught:
        get_user(client)
    assert (caught.value.http_status, caught.value.status_code, caught.value.body) == (
        502,
        None,
        None,
    )


def test_429_is_a_rate_limit_error_with_retry_after(client, rsps) -> None:
    rsps.get(USER, status=429, headers={"Retry-After": "7"}, json={"status_code": 429})
    with pytest.raises(tiktok.RateLimitError) as caught:
        get_user(client)
    error = caught.value
    assert isinstance(error, tiktok.APIError)
    assert (error.retry_after, error.http_status) == (7.0, 429)
    assert "retry after 7s" in str(error)


def test_429_without_retry_after_has_none(client, rsps) -> None:
    rsps.get(USER, status=429)
    with pytest.raises(tiktok.RateLimitError) as caught:
        get_user(client)
    assert caught.value.retry_after is None


def test_429s_are_retried_then_raised_as_rate_limit_error(device, signer, rsps) -> None:
    client = tiktok.Client(device, signer, base_url=BASE_URL, retries=2, backoff=0)
    for _ in range(3):
        rsps.get(USER, status=429, headers={"Retry-After": "0"})
    with pytest.raises(tiktok.RateLimitError) as caught:
        get_user(client)
    assert len(rsps.calls) == 3
    assert caught.value.retry_after == 0.0
    assert "after 3 attempts" in str(caught.value)


def test_a_429_then_success_is_resent_signed_afresh(device, signer, rsps) -> None:
    # docs/protocol.rst (Retries, limits and pacing): a signature is never sent twice.
    wall = iter([1700000000.25, 1700000001.5])
    clock = tiktok.Clock(wall=lambda: next(wall))
    client = tiktok.Client(device, signer, base_url=BASE_URL, retries=2, backoff=0, clock=clock)
    rsps.get(USER, status=429, headers={"Retry-After": "0"})
    rsps.get(USER, json=USER_BODY)
    assert get_user(client).uid == "42"
    sent = [call.request.url for call in rsps.calls]
    assert sent == [c.returned for c in signer.calls]
    assert [c.ts for c in signer.calls] == [1700000000, 1700000001]
    assert "&_rticket=1700000001500&ts=1700000001&" in sent[1]
    assert sent[0] != sent[1]


def rtickets(signer: RecordingSigner) -> List[int]:
    """The ``_rticket`` of each URL the signer was given, checking ``ts`` is its second."""
    found = []
    for call in signer.calls:
        query = dict(part.split("=", 1) for part in call.url.split("?", 1)[1].split("&"))
        assert int(query["ts"]) == call.ts == int(query["_rticket"]) // 1000
        found.append(int(query["_rticket"]))
    return found


def test_attempts_in_the_same_millisecond_are_never_signed_alike(device, signer, rsps) -> None:
    # A retry after an instant 503 can come in the same millisecond as the attempt
    # before; the same URL would then be signed the same (issue 22's flaky test).
    clock = tiktok.Clock(wall=lambda: 1700000000.25)  # the clock never moves on
    client = tiktok.Client(device, signer, base_url=BASE_URL, retries=2, backoff=0, clock=clock)
    rsps.get(USER, status=503)
    rsps.get(USER, json=USER_BODY)
    get_user(client)
    get_user(client)
    assert rtickets(signer) == [1700000000250, 1700000000251, 1700000000252]
    assert len({call.url for call in signer.calls}) == 3


def test_the_rticket_moves_on_when_the_clock_goes_back_or_crosses_a_second(
    device, signer, rsps
) -> None:
    wall = iter([1700000000.999, 1700000000.5, 1700000000.999, 1700000003.0])
    clock = tiktok.Clock(wall=lambda: next(wall))
    client = tiktok.Client(device, signer, base_url=BASE_URL, retries=0, clock=clock)
    rsps.get(USER, json=USER_BODY)
    for _ in range(4):
        get_user(client)
    # ts follows the ticket into the next second; a clock ahead again is taken as it is.
    assert rtickets(signer) == [1700000000999, 1700000001000, 1700000001001, 1700000003000]


def test_threads_sharing_a_client_never_share_an_rticket(device, signer, rsps) -> None:
    clock = tiktok.Clock(wall=lambda: 1700000000.0)
    client = tiktok.Client(device, signer, base_url=BASE_URL, retries=0, clock=clock)
    rsps.get(USER, json=USER_BODY)
    threads = [
        threading.Thread(target=lambda: [get_user(client) for _ in range(25)]) for _ in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(rtickets(signer)) == list(range(1700000000000, 1700000000100))


# -- empty and undecodable bodies --------------------------------------------------------------


def test_an_empty_200_points_at_the_signer_and_the_device(client, rsps) -> None:
    rsps.get(USER, body="")
    with pytest.raises(tiktok.EmptyResponseError) as caught:
        get_user(client)
    message = str(caught.value)
    assert "signer" in message
    assert all(name in message for name in ("device_id", "iid", "openudid", "fp"))
    assert caught.value.path == "aweme/v1/user/"


def test_an_empty_body_of_a_get_is_retried(device, signer, rsps) -> None:
    client = tiktok.Client(device, signer, base_url=BASE_URL, retries=1, backoff=0)
    rsps.get(USER, body="")
    rsps.get(USER, json=USER_BODY)
    assert get_user(client).uid == "42"
    assert len(rsps.calls) == 2
    # A resend is a new request: signed again, with its own ts.
    assert len(signer.calls) == 2


def test_an_empty_body_of_a_write_is_not_retried(device, signer, rsps) -> None:
    client = tiktok.Client(device, signer, base_url=BASE_URL, retries=3, backoff=0)
    rsps.post(url("aweme/v1/comment/publish/"), body="")
    with pytest.raises(tiktok.EmptyResponseError):
        client.posts.comment("1", "hi")
    assert len(rsps.calls) == 1


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("<html><body>Access denied</body></html>", "not JSON"),
        ('{"status_code": 0, "user": {', "not JSON"),
        ("[1, 2]", "not an object"),
        ('"text"', "not an object"),
        ("null", "not an object"),
        ('{"user": {"uid": "1"}}', "without a status_code"),
        ('{"status_code": "zero"}', "not a number"),
        ('{"status_code": 0, "user": [1]}', "unexpected shape"),  # [] is an empty object
        ('{"status_code": 0, "user": {"uid": 1.5}}', "unexpected shape"),
        ('{"status_code": 0, "user": {"follower_count": "many"}}', "unexpected shape"),
        ('{"status_code": 0, "user": {"nickname": {"a": 1}}}', "unexpected shape"),
        ('{"status_code": 0, "extra": "now"}', "unexpected shape"),
        ('{"status_code": 0}', "without 'user'"),
    ],
)
def test_bodies_that_are_not_the_expected_json_are_decode_errors(
    client, rsps, body: str, message: str
) -> None:
    rsps.get(USER, body=body)
    with pytest.raises(tiktok.DecodeError, match=message):
        get_user(client)


def test_a_decode_error_keeps_the_body(client, rsps) -> None:
    rsps.get(USER, body=b"<html>")
    with pytest.raises(tiktok.DecodeError) as caught:
        get_user(client)
    assert caught.value.body == b"<html>"


# -- transport and signer failures ---------------------------------------------------------


@pytest.mark.parametrize(
    "failure",
    [
        requests.ConnectionError("connection refused"),
        requests.Timeout("read timed out"),
        requests.exceptions.ChunkedEncodingError("cut"),
        requests.exceptions.SSLError("bad cert"),
    ],
)
def test_requests_failures_are_transport_errors(client, rsps, failure: Exception) -> None:
    rsps.get(USER, body=failure)
    with pytest.raises(tiktok.TransportError) as caught:
        get_user(client)
    # The cause is a detached copy: same class and message, without the prepared request.
    cause = caught.value.__cause__
    assert type(cause) is type(failure) and str(cause) == str(failure)
    assert cause.request is None and cause.response is None  # type: ignore[union-attr]
    assert caught.value.__context__ is None  # the original is not kept as the context either
    assert "aweme/v1/user/" in str(caught.value)


def test_an_unreachable_host_is_a_transport_error(client, rsps) -> None:
    with pytest.raises(tiktok.TransportError):
        get_user(client)  # nothing registered: responses refuses the connection


class _Raising:
    def sign(self, url: str, ts: int, device_id: str) -> str:
        raise KeyError("signing key")


@pytest.mark.parametrize(
    ("signer", "message"),
    [
        (_Raising(), "raised KeyError"),
        (lambda url, ts, device_id: 42, "not int"),
        (
            lambda url, ts, device_id: url.replace("user_id=42", "user_id=43") + "&as=1",
            "changed the URL",
        ),
        (lambda url, ts, device_id: url + "&as=1&cp=2&mas=3 junk", "not '&name=value'"),
        (lambda url, ts, device_id: url + "junk", "not '&name=value'"),
    ],
)
def test_signer_failures_are_signer_errors_and_nothing_is_sent(
    device, rsps, signer: Any, message: str
) -> None:
    client = tiktok.Client(device, signer, base_url=BASE_URL, retries=0, backoff=0)
    with pytest.raises(tiktok.SignerError, match=message):
        get_user(client)
    assert len(rsps.calls) == 0


def test_every_error_is_a_tiktok_error() -> None:
    for name in (
        "APIError", "LoginRequiredError", "LoginError", "EmptyResponseError", "RateLimitError",
        "DecodeError", "TransportError", "SignerError", "LiveStartError",
    ):  # fmt: skip
        assert issubclass(getattr(tiktok, name), tiktok.TikTokError), name


# -- nothing but TikTokError escapes, whatever the body ------------------------------------------

JSON_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats()
    | st.text(max_size=8)
)
KEYS = st.sampled_from(
    ["status_code", "status_msg", "extra", "user", "uid", "nickname", "aweme_list", "has_more",
     "max_cursor", "cursor", "aweme_detail", "statistics", "author", "now", "x"]
)  # fmt: skip
JSON = st.recursive(
    JSON_SCALARS,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(KEYS, children, max_size=5),
    max_leaves=12,
)
BODIES = st.one_of(
    st.dictionaries(KEYS, JSON, max_size=6).map(json.dumps),
    st.fixed_dictionaries(
        {"status_code": st.just(0)},
        optional={
            "user": JSON,
            "aweme_list": JSON,
            "aweme_detail": JSON,
            "has_more": JSON,
            "max_cursor": JSON,
        },
    ).map(json.dumps),
    JSON.map(json.dumps),
    st.binary(max_size=20).map(lambda b: b.decode("latin-1")),
)


@settings(max_examples=examples(150))
@given(body=BODIES, status=st.sampled_from([200, 200, 200, 404, 500]))
def test_no_body_lets_anything_but_a_tiktok_error_escape(body: str, status: int) -> None:
    client = tiktok.Client(
        make_device(), RecordingSigner(), base_url=BASE_URL, retries=0, backoff=0
    )
    calls: List[Any] = [
        lambda: client.users.get("1"),
        lambda: client.posts.get("1"),
        lambda: list(client.users.posts("1", limit=3)),
    ]
    for call in calls:
        with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
            mock.get(url("aweme/v1/user/"), body=body, status=status)
            mock.get(url("aweme/v1/aweme/detail/"), body=body, status=status)
            mock.get(url("aweme/v1/aweme/post/"), body=body, status=status)
            with contextlib.suppress(tiktok.TikTokError):
                call()


@pytest.mark.parametrize("status_code", ["Infinity", "-Infinity", "NaN", "0.5", "1e400"])
def test_a_status_code_that_is_not_an_integer_is_a_decode_error(
    client, rsps, status_code: str
) -> None:
    # Python's json reads Infinity and NaN; int(inf) raises OverflowError, which must not
    # escape, and 0.5 must not pass for success.
    rsps.get(USER, body=f'{{"status_code": {status_code}}}')
    with pytest.raises(tiktok.DecodeError):
        get_user(client)


# -- the exact bytes over a real socket (127.0.0.1) ---------------------------------------------


class _Loopback(http.server.ThreadingHTTPServer):
    """Records raw request targets; answers with the queued statuses, then 200 + a user."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _LoopbackHandler)
        self.targets: List[str] = []
        self.statuses: List[int] = []


class _LoopbackHandler(http.server.BaseHTTPRequestHandler):
    server: _Loopback

    def do_GET(self) -> None:
        self.server.targets.append(self.path)  # the request target exactly as sent
        status = self.server.statuses.pop(0) if self.server.statuses else 200
        body = json.dumps(USER_BODY).encode() if status == 200 else b""
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        if status == 503:
            self.send_header("Retry-After", "0")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def loopback() -> Iterator[_Loopback]:
    server = _Loopback()
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.mark.parametrize("retries", [0, 2])
def test_each_attempt_reaches_the_socket_exactly_as_signed(device, loopback, retries: int) -> None:
    # responses sees the prepared URL; only a socket shows what urllib3 writes.
    # Upper-case escapes and sub-delims are already in the form urllib3 writes
    # (docs/protocol.rst (Retries, limits and pacing)): nothing may change.
    suffix = "&as=a%2Fb%3D~&cp=c*d,e&mas=%E2%82%AC"
    signer = RecordingSigner(suffix=suffix)
    base = f"http://127.0.0.1:{loopback.server_address[1]}/"
    wall = iter(1700000000.0 + n for n in range(10))
    clock = tiktok.Clock(wall=lambda: next(wall))
    client = tiktok.Client(device, signer, base_url=base, retries=retries, backoff=0, clock=clock)
    loopback.statuses = [503] * retries
    assert client.users.get("42").uid == "42"
    assert loopback.targets == [c.returned[len(base) - 1 :] for c in signer.calls]
    assert len(set(loopback.targets)) == retries + 1  # each attempt signed afresh
    assert all(target.endswith(suffix) for target in loopback.targets)


def test_a_signers_lower_case_escapes_arrive_upper_cased(device, loopback) -> None:
    # urllib3 normalises percent escapes to upper case as it writes the request line;
    # a signer must sign upper-case escapes (docs/protocol.rst (Retries, limits and
    # pacing)). If this starts failing, urllib3 changed and the docs must say so.
    signer = RecordingSigner(suffix="&as=a%2fb&cp=%e2%82%ac&mas=m")
    base = f"http://127.0.0.1:{loopback.server_address[1]}/"
    client = tiktok.Client(device, signer, base_url=base, retries=0, backoff=0)
    assert client.users.get("42").uid == "42"
    (target,) = loopback.targets
    assert target == signer.calls[0].url[len(base) - 1 :] + "&as=a%2Fb&cp=%E2%82%AC&mas=m"
