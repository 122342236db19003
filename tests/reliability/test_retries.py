"""Retries, backoff, Retry-After, write safety and timeouts over a real socket.

Every test runs the client against the scripted server of ``_scripted.py`` and
checks what the server saw (how many requests, and when), not just the result.
"""

from __future__ import annotations

import email.utils
import json
import time
from typing import Any, Callable, Dict

import pytest
import requests

import tiktok

from ._scripted import (
    CLOSE,
    ScriptServer,
    Step,
    Waits,
    make_client,
    ok,
    status,
    unused_port,
)

USER_BODY = {"status_code": 0, "user": {"uid": "42", "nickname": "someone"}}


def get_user(client: tiktok.Client) -> Any:
    return client.users.get("42")


# The four writes of the API and a good answer to each.
WRITES: Dict[str, tuple] = {
    "login": (
        lambda c: c.login_with_email("me@example.com", "pw-123"),
        {"data": {"user_id": 1, "session_key": "k1"}, "message": "success"},
    ),
    "comment": (
        lambda c: c.posts.comment("5", "hello"),
        {"status_code": 0, "comment": {"cid": "7", "text": "hello"}},
    ),
    "qr_code": (
        lambda c: c.users.qr_code("5"),
        {"status_code": 0, "qrcode_url": {"uri": "u", "url_list": ["http://q"]}},
    ),
    "create_room": (
        lambda c: c.live.create_room("my stream"),
        {"status_code": 0, "room": {"room_id": 1, "stream_id": 2}},
    ),
}
WRITE_NAMES = sorted(WRITES)


def write_call(name: str) -> Callable[[tiktok.Client], Any]:
    return WRITES[name][0]  # type: ignore[no-any-return]


def write_ok(name: str) -> Step:
    return ok(WRITES[name][1])


def cut_json(payload: Dict[str, Any]) -> bytes:
    text = json.dumps(payload).encode()
    return text[: len(text) // 2]


# -- GET: what is retried ------------------------------------------------------------


def test_get_is_resent_after_the_connection_closes_without_an_answer(server: ScriptServer) -> None:
    server.script(CLOSE, CLOSE, ok(USER_BODY))
    user = get_user(make_client(server.url, retries=2))
    assert user.uid == "42"
    assert len(server.hits) == 3


def test_get_read_errors_outlasting_the_retries_raise_transport_error(server: ScriptServer) -> None:
    server.script(CLOSE)
    with pytest.raises(tiktok.TransportError):
        get_user(make_client(server.url, retries=2))
    assert len(server.hits) == 3


@pytest.mark.parametrize("code", [429, 500, 502, 503, 504])
def test_get_is_resent_after_a_transient_status(server: ScriptServer, code: int) -> None:
    server.script(status(code), ok(USER_BODY))
    assert get_user(make_client(server.url, retries=1)).uid == "42"
    assert len(server.hits) == 2


@pytest.mark.parametrize("code", [500, 502, 503, 504])
def test_a_status_outlasting_the_retries_raises_api_error(server: ScriptServer, code: int) -> None:
    server.script(status(code))
    with pytest.raises(tiktok.APIError) as caught:
        get_user(make_client(server.url, retries=2))
    assert type(caught.value) is tiktok.APIError
    assert caught.value.http_status == code
    assert caught.value.status_code == 9  # the JSON body's own status is kept
    assert len(server.hits) == 3


@pytest.mark.parametrize("code", [400, 403, 404])
def test_a_client_error_status_is_not_retried(server: ScriptServer, code: int) -> None:
    server.script(status(code))
    with pytest.raises(tiktok.APIError) as caught:
        get_user(make_client(server.url, retries=3))
    assert caught.value.http_status == code
    assert len(server.hits) == 1


def test_an_api_failure_in_a_200_is_not_retried(server: ScriptServer) -> None:
    server.script(ok({"status_code": 2154, "status_msg": "nope"}))
    with pytest.raises(tiktok.APIError) as caught:
        get_user(make_client(server.url, retries=3))
    assert caught.value.status_code == 2154
    assert len(server.hits) == 1


def test_429_outlasting_the_retries_raises_rate_limit_error(server: ScriptServer) -> None:
    server.script(status(429, **{"Retry-After": "0"}))
    with pytest.raises(tiktok.RateLimitError) as caught:
        get_user(make_client(server.url, retries=2))
    assert caught.value.http_status == 429
    assert caught.value.retry_after == 0.0
    assert len(server.hits) == 3


def test_rate_limit_error_carries_the_servers_retry_after(server: ScriptServer) -> None:
    # retries=0: the last answer is not waited for, its hint goes to the caller.
    server.script(status(429, **{"Retry-After": "7"}))
    started = time.monotonic()
    with pytest.raises(tiktok.RateLimitError) as caught:
        get_user(make_client(server.url, retries=0))
    assert caught.value.retry_after == 7.0
    assert "7" in str(caught.value)
    assert time.monotonic() - started < 7.0  # the hint is reported, not slept on
    assert len(server.hits) == 1


def test_rate_limit_error_reads_a_retry_after_date(server: ScriptServer) -> None:
    in_a_minute = email.utils.formatdate(time.time() + 60, usegmt=True)
    server.script(status(429, **{"Retry-After": in_a_minute}))
    with pytest.raises(tiktok.RateLimitError) as caught:
        get_user(make_client(server.url, retries=0))
    assert caught.value.retry_after is not None
    assert 55 <= caught.value.retry_after <= 60


def test_rate_limit_error_without_retry_after(server: ScriptServer) -> None:
    server.script(status(429))
    with pytest.raises(tiktok.RateLimitError) as caught:
        get_user(make_client(server.url, retries=1))
    assert caught.value.retry_after is None
    assert len(server.hits) == 2


def test_retry_after_is_honoured(server: ScriptServer) -> None:
    waits = Waits(jitter=0.5)
    client = make_client(server.url, retries=1, backoff=0.5, clock=waits.clock())
    server.script(status(429), ok(USER_BODY))
    get_user(client)
    server.script(status(429, **{"Retry-After": "1.5"}), ok(USER_BODY))
    get_user(client)
    assert waits == [0.25, 1.5]  # the backoff's jittered step, then what the server asked
    assert len(server.hits) == 2


def test_an_unparsable_retry_after_falls_back_to_backoff(server: ScriptServer) -> None:
    server.script(status(503, **{"Retry-After": "soon, maybe"}), ok(USER_BODY))
    assert get_user(make_client(server.url, retries=1)).uid == "42"
    assert len(server.hits) == 2


def test_backoff_is_exponential_jittered_and_capped(server: ScriptServer) -> None:
    server.script(status(500))
    waits = Waits()  # the top of each jitter range
    client = make_client(server.url, retries=5, backoff=4.0, clock=waits.clock())
    with pytest.raises(tiktok.APIError):
        get_user(client)
    assert waits == [4.0, 8.0, 16.0, 30.0, 30.0]  # capped at 30 s
    server.script(status(500))
    waits.clear()
    waits.jitter = 0.25
    with pytest.raises(tiktok.APIError):
        get_user(client)
    assert waits == [1.0, 2.0, 4.0, 7.5, 7.5]


def test_the_jitter_draws_from_the_random_source(server: ScriptServer) -> None:
    server.script(status(502), status(502), ok(USER_BODY))
    draws = iter([0.1, 0.9])
    waits = Waits()
    client = make_client(
        server.url, retries=2, backoff=1.0, clock=waits.clock(random=lambda: next(draws))
    )
    get_user(client)
    assert waits == pytest.approx([0.1, 1.8])


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_connect_errors_are_retried_for_reads_and_writes(method: str) -> None:
    waits = Waits()
    client = make_client(f"http://127.0.0.1:{unused_port()}/", retries=2, clock=waits.clock())
    call = get_user if method == "GET" else write_call("comment")
    with pytest.raises(tiktok.TransportError) as caught:
        call(client)
    assert len(waits) == 2
    assert "after 3 attempts" in str(caught.value)
    assert isinstance(caught.value.__cause__, requests.ConnectionError)


# -- GET: bad bodies ---------------------------------------------------------------


def test_empty_200_on_a_get_is_retried(server: ScriptServer) -> None:
    server.script(ok(b""), ok(b""), ok(USER_BODY))
    assert get_user(make_client(server.url, retries=2)).uid == "42"
    assert len(server.hits) == 3


def test_empty_200_raises_only_after_the_last_try(server: ScriptServer) -> None:
    server.script(ok(b""))
    with pytest.raises(tiktok.EmptyResponseError) as caught:
        get_user(make_client(server.url, retries=2))
    assert "signer" in str(caught.value)
    assert len(server.hits) == 3


def test_cut_json_on_a_get_is_retried(server: ScriptServer) -> None:
    server.script(ok(cut_json(USER_BODY)), ok(USER_BODY))
    assert get_user(make_client(server.url, retries=1)).uid == "42"
    assert len(server.hits) == 2


def test_cut_json_raises_decode_error_only_after_the_last_try(server: ScriptServer) -> None:
    server.script(ok(cut_json(USER_BODY)))
    with pytest.raises(tiktok.DecodeError):
        get_user(make_client(server.url, retries=2))
    assert len(server.hits) == 3


def test_html_on_a_get_is_retried_then_raises_decode_error(server: ScriptServer) -> None:
    server.script(Step(200, b"<html><body>502 Bad Gateway</body></html>"))
    with pytest.raises(tiktok.DecodeError):
        get_user(make_client(server.url, retries=1))
    assert len(server.hits) == 2


def test_connection_cut_mid_body_on_a_get_is_retried(server: ScriptServer) -> None:
    server.script(Step(body=json.dumps(USER_BODY).encode(), action="cut"), ok(USER_BODY))
    assert get_user(make_client(server.url, retries=1)).uid == "42"
    assert len(server.hits) == 2


def test_connection_cut_mid_body_raises_transport_error_after_the_last_try(
    server: ScriptServer,
) -> None:
    server.script(Step(body=json.dumps(USER_BODY).encode(), action="cut"))
    with pytest.raises(tiktok.TransportError):
        get_user(make_client(server.url, retries=2))
    assert len(server.hits) == 3


def test_well_formed_json_of_the_wrong_shape_is_not_retried(server: ScriptServer) -> None:
    # Not transient: asking again gives the same answer.
    server.script(ok({"status_code": 0, "user": [1, 2, 3]}))
    with pytest.raises(tiktok.DecodeError):
        get_user(make_client(server.url, retries=3))
    assert len(server.hits) == 1


def test_bad_body_retries_back_off(server: ScriptServer) -> None:
    server.script(ok(b""), ok(b""), ok(USER_BODY))
    waits = Waits()
    client = make_client(server.url, retries=2, backoff=0.1, clock=waits.clock())
    get_user(client)
    assert waits == pytest.approx([0.1, 0.2])


# -- writes: never doubled -----------------------------------------------------------


@pytest.mark.parametrize("name", WRITE_NAMES)
def test_a_write_works_through_the_scripted_server(server: ScriptServer, name: str) -> None:
    server.script(write_ok(name))
    assert write_call(name)(make_client(server.url)) is not None
    assert [h.method for h in server.hits] == ["POST"]


@pytest.mark.parametrize("name", WRITE_NAMES)
def test_a_write_is_not_resent_after_a_read_error(server: ScriptServer, name: str) -> None:
    server.script(CLOSE, write_ok(name))
    with pytest.raises(tiktok.TransportError):
        write_call(name)(make_client(server.url, retries=3))
    assert len(server.hits) == 1


@pytest.mark.parametrize("name", WRITE_NAMES)
def test_a_write_is_not_resent_after_a_body_cut_mid_stream(server: ScriptServer, name: str) -> None:
    body = json.dumps(WRITES[name][1]).encode()
    server.script(Step(body=body, action="cut"), write_ok(name))
    with pytest.raises(tiktok.TransportError):
        write_call(name)(make_client(server.url, retries=3))
    assert len(server.hits) == 1


@pytest.mark.parametrize("name", WRITE_NAMES)
def test_a_write_is_not_resent_after_a_timeout(server: ScriptServer, name: str) -> None:
    server.script(Step(200, json.dumps(WRITES[name][1]).encode(), delay=1.0), write_ok(name))
    with pytest.raises(tiktok.TransportError):
        write_call(name)(make_client(server.url, retries=3, timeout=0.2))
    assert len(server.hits) == 1


@pytest.mark.parametrize("name", WRITE_NAMES)
@pytest.mark.parametrize(
    "answer, error",
    [
        (ok(b""), tiktok.EmptyResponseError),
        (ok(b'{"status_code": 0, "comm'), tiktok.DecodeError),
        (status(500), tiktok.APIError),
        (status(502), tiktok.APIError),
        (status(504), tiktok.APIError),
    ],
    ids=["empty", "cut-json", "500", "502", "504"],
)
def test_a_write_is_not_resent_after_an_answer_that_may_follow_processing(
    server: ScriptServer, name: str, answer: Step, error: type
) -> None:
    server.script(answer, write_ok(name))
    with pytest.raises(error):
        write_call(name)(make_client(server.url, retries=3))
    assert len(server.hits) == 1


@pytest.mark.parametrize("name", WRITE_NAMES)
@pytest.mark.parametrize("code", [429, 503])
def test_a_write_is_resent_after_429_or_503(server: ScriptServer, name: str, code: int) -> None:
    # Both are answered before the server does anything: resending cannot double.
    server.script(status(code), write_ok(name))
    assert write_call(name)(make_client(server.url, retries=2)) is not None
    assert len(server.hits) == 2
    first, second = server.hits
    assert first.body == second.body
    assert first.path == second.path


def test_a_write_honours_retry_after(server: ScriptServer) -> None:
    waits = Waits()
    client = make_client(server.url, retries=1, clock=waits.clock())
    server.script(status(429, **{"Retry-After": "2"}), write_ok("comment"))
    write_call("comment")(client)
    assert waits == [2.0]
    assert len(server.hits) == 2


def test_a_write_429_outlasting_the_retries_raises_rate_limit_error(server: ScriptServer) -> None:
    server.script(status(429, **{"Retry-After": "0"}))
    with pytest.raises(tiktok.RateLimitError):
        write_call("comment")(make_client(server.url, retries=2))
    assert len(server.hits) == 3


# -- timeouts ------------------------------------------------------------------------


def test_a_slow_server_raises_transport_error_after_the_retries(server: ScriptServer) -> None:
    server_delay = 3.0
    server.script(Step(200, json.dumps(USER_BODY).encode(), delay=server_delay))
    started = time.monotonic()
    with pytest.raises(tiktok.TransportError) as caught:
        get_user(make_client(server.url, retries=2, timeout=0.2))
    elapsed = time.monotonic() - started
    assert len(server.hits) == 3
    assert elapsed < server_delay  # three timed-out tries, not one full wait
    assert "timed out" in str(caught.value.__cause__).lower()


def test_a_connect_and_read_timeout_pair_applies(server: ScriptServer) -> None:
    server.script(Step(200, json.dumps(USER_BODY).encode(), delay=3.0))
    started = time.monotonic()
    with pytest.raises(tiktok.TransportError):
        get_user(make_client(server.url, retries=0, timeout=(1.0, 0.2)))
    assert time.monotonic() - started < 3.0
    assert len(server.hits) == 1


def test_a_slow_answer_within_the_timeout_succeeds(server: ScriptServer) -> None:
    server.script(Step(200, json.dumps(USER_BODY).encode(), delay=0.2))
    assert get_user(make_client(server.url, retries=0, timeout=2.0)).uid == "42"


def test_a_slow_then_fast_server_is_retried_to_success(server: ScriptServer) -> None:
    server.script(Step(200, json.dumps(USER_BODY).encode(), delay=1.0), ok(USER_BODY))
    assert get_user(make_client(server.url, retries=1, timeout=0.2)).uid == "42"
    assert len(server.hits) == 2


# -- listings through faults -----------------------------------------------------------


def test_a_listing_through_faults_yields_every_item_once(server: ScriptServer) -> None:
    def page(start: int, has_more: bool) -> Dict[str, Any]:
        return {
            "status_code": 0,
            "followers": [{"uid": str(n)} for n in range(start, start + 3)],
            "has_more": has_more,
            "min_time": 1000 - start,
        }

    server.script(
        status(502),
        ok(page(0, True)),
        CLOSE,
        ok(b""),
        ok(page(3, True)),
        ok(cut_json(page(6, False))),
        status(429, **{"Retry-After": "0"}),
        ok(page(6, False)),
    )
    users = list(make_client(server.url, retries=3).follows.followers("42", count=3))
    assert [u.uid for u in users] == [str(n) for n in range(9)]
    assert len(server.hits) == 8
    max_times = [h.query["max_time"][0] for h in server.hits]
    # A retried page asks for the same position again.
    assert max_times[2:5] == ["1000"] * 3
    assert max_times[5:] == ["997"] * 3
