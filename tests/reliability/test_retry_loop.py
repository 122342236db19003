"""The one retry loop (docs/protocol.rst (Retries, limits and pacing)), counted at a real server.

``retries=N`` is at most N+1 attempts whatever failed, each signed afresh;
urllib3 retries nothing beneath the loop; a ``Retry-After`` longer than
``max_wait`` raises at once; no wait is slept past the deadline.
"""

from __future__ import annotations

import time
from typing import Any, List
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

import tiktok

from ._scripted import CLOSE, ScriptServer, Step, Waits, make_client, ok, status

USER_BODY = {"status_code": 0, "user": {"uid": "42", "nickname": "someone"}}


def get_user(client: tiktok.Client) -> Any:
    return client.users.get("42")


@pytest.mark.parametrize("retries", [0, 1, 3])
def test_an_always_503_server_gets_exactly_retries_plus_one_attempts(
    server: ScriptServer, retries: int
) -> None:
    server.script(status(503))
    waits = Waits()
    client = make_client(server.url, retries=retries, backoff=0.5, clock=waits.clock())
    with pytest.raises(tiktok.APIError) as caught:
        get_user(client)
    assert len(server.hits) == retries + 1
    assert len(waits) == retries
    assert caught.value.http_status == 503
    expected = "1 attempt" if retries == 0 else f"{retries + 1} attempts"
    assert f"(after {expected}" in str(caught.value)


@pytest.mark.parametrize(
    "faults",
    [
        [status(503), status(503), CLOSE, ok(b"")],
        [Step(body=b'{"status_code": 0, "user": {}}', action="cut"), status(500), ok(b"<html>")],
    ],
    ids=["503-close-empty", "cut-500-html"],
)
def test_mixed_faults_never_make_more_than_retries_plus_one_attempts(
    server: ScriptServer, faults: List[Step]
) -> None:
    # The two retry layers of old multiplied: 503s then a cut body made 16 requests.
    server.script(*faults)
    client = make_client(server.url, retries=2, clock=Waits().clock())
    with pytest.raises(tiktok.TikTokError):
        get_user(client)
    assert len(server.hits) == 3


def test_urllib3_retries_nothing_even_under_a_retrying_session_adapter(
    server: ScriptServer,
) -> None:
    session = requests.Session()
    eager = Retry(total=5, connect=5, read=5, status=5, status_forcelist=[503])
    session.mount("http://", HTTPAdapter(max_retries=eager))
    client = make_client(server.url, retries=0, session=session)
    server.script(status(503))
    with pytest.raises(tiktok.APIError):
        get_user(client)
    assert len(server.hits) == 1
    server.script(CLOSE)
    with pytest.raises(tiktok.TransportError):
        get_user(client)
    assert len(server.hits) == 1
    policy = session.get_adapter(server.url).max_retries
    assert (policy.total, policy.connect, policy.read, policy.status) == (0, 0, 0, 0)


def test_a_one_hour_retry_after_raises_at_once(server: ScriptServer) -> None:
    server.script(status(429, **{"Retry-After": "3600"}), ok(USER_BODY))
    client = make_client(server.url, retries=3)  # real sleep: nothing may be slept
    started = time.monotonic()
    with pytest.raises(tiktok.RateLimitError) as caught:
        get_user(client)
    assert time.monotonic() - started < 1.0
    assert caught.value.retry_after == 3600.0
    assert "max_wait 60s" in str(caught.value)
    assert len(server.hits) == 1


def test_a_retry_after_up_to_max_wait_is_waited(server: ScriptServer) -> None:
    server.script(status(429, **{"Retry-After": "45"}), ok(USER_BODY))
    waits = Waits()
    client = make_client(server.url, retries=1, clock=waits.clock())
    assert get_user(client).uid == "42"
    assert waits == [45.0]


def test_max_wait_is_the_clients_choice(server: ScriptServer) -> None:
    server.script(status(503, **{"Retry-After": "5"}), ok(USER_BODY))
    waits = Waits()
    client = make_client(server.url, retries=2, max_wait=2.0, clock=waits.clock())
    with pytest.raises(tiktok.APIError) as caught:
        get_user(client)
    assert caught.value.http_status == 503
    assert waits == [] and len(server.hits) == 1
    assert "Retry-After 5s is more than max_wait 2s" in str(caught.value)


def test_a_wait_that_would_pass_the_deadline_is_not_slept(server: ScriptServer) -> None:
    server.script(status(429, **{"Retry-After": "30"}), ok(USER_BODY))
    waits = Waits()
    client = make_client(server.url, retries=2, deadline=10.0, clock=waits.clock())
    with pytest.raises(tiktok.RateLimitError) as caught:
        get_user(client)
    assert waits == [] and len(server.hits) == 1
    assert caught.value.retry_after == 30.0
    assert "deadline" in str(caught.value)


def test_each_attempt_has_a_fresh_ts_rticket_and_signature(server: ScriptServer) -> None:
    signed: List[str] = []

    def signer(url: str, ts: int, device_id: str) -> str:
        signed.append(f"{url}&as=a{len(signed)}&cp=c&mas=m")
        return signed[-1]

    server.script(status(503), CLOSE, ok(USER_BODY))
    wall = iter([1700000000.125, 1700000002.5, 1700000007.75])
    client = make_client(
        server.url, retries=2, signer=signer, clock=Waits().clock(wall=lambda: next(wall))
    )
    assert get_user(client).uid == "42"
    assert len(server.hits) == len(signed) == 3
    ts = [hit.query["ts"][0] for hit in server.hits]
    rticket = [hit.query["_rticket"][0] for hit in server.hits]
    assert ts == ["1700000000", "1700000002", "1700000007"]
    assert rticket == ["1700000000125", "1700000002500", "1700000007750"]
    assert [hit.query["as"][0] for hit in server.hits] == ["a0", "a1", "a2"]
    # What arrived is what the signer returned, attempt by attempt.
    for hit, url in zip(server.hits, signed):
        assert hit.query == parse_qs(urlsplit(url).query, keep_blank_values=True)
