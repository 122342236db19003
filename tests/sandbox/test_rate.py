"""The per-device request rate: a sliding window per device_id, 429 with Retry-After above it."""

from __future__ import annotations

import json
from typing import List

import pytest

import tiktok
from tiktok.sandbox import BIG_USER_ID, Sandbox
from tiktok.sandbox._rate import RateLimiter, retry_after

from ._wire import DEVICE, make_dispatcher, send


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_rate_requests_a_window_then_a_wait_until_the_oldest_leaves() -> None:
    clock = Clock()
    limiter = RateLimiter(3, clock=clock)
    answered: List[object] = []
    for step in (0.0, 0.1, 0.2):
        clock.now = 1000.0 + step
        answered.append(limiter.admit("a"))
    clock.now = 1000.3
    wait = limiter.admit("a")
    assert answered == [None, None, None]
    assert wait == pytest.approx(0.7)  # the first leaves the window at 1001.0
    clock.now = 1001.0  # exactly one window after the first: it no longer counts
    assert limiter.admit("a") is None
    assert limiter.admit("a") is not None


def test_refused_requests_do_not_count() -> None:
    clock = Clock()
    limiter = RateLimiter(1, clock=clock)
    assert limiter.admit("a") is None
    for _ in range(50):
        clock.now += 0.01
        assert limiter.admit("a") is not None
    clock.now = 1001.0
    assert limiter.admit("a") is None


def test_each_device_has_its_own_window() -> None:
    limiter = RateLimiter(1, clock=Clock())
    assert limiter.admit("a") is None
    assert limiter.admit("b") is None
    assert limiter.admit("a") is not None


def test_a_rate_below_one_spaces_requests_out() -> None:
    clock = Clock()
    limiter = RateLimiter(0.5, clock=clock)
    assert limiter.admit("a") is None
    clock.now += 1.5
    assert limiter.admit("a") == pytest.approx(0.5)
    clock.now += 0.5
    assert limiter.admit("a") is None


@pytest.mark.parametrize("rate", [0, -1, float("inf"), float("nan"), "2", True])
def test_a_bad_rate_is_refused(rate: object) -> None:
    with pytest.raises(ValueError, match="rate"):
        RateLimiter(rate)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="rate"):
        Sandbox(rate=rate)  # type: ignore[arg-type]


def test_retry_after_is_whole_seconds_at_least_one() -> None:
    assert [retry_after(w) for w in (0.0, 0.2, 1.0, 1.01, 2.5)] == ["1", "1", "1", "2", "3"]


def test_the_dispatcher_answers_429_with_retry_after_and_counts_it() -> None:
    dispatcher = make_dispatcher()
    clock = Clock()
    dispatcher.limiter = RateLimiter(2, clock=clock)
    first = send(dispatcher, "aweme/v1/user/", f"user_id={BIG_USER_ID}")
    second = send(dispatcher, "aweme/v1/user/", f"user_id={BIG_USER_ID}")
    clock.now += 0.4
    third = send(dispatcher, "aweme/v1/user/", f"user_id={BIG_USER_ID}")
    other_device = send(
        dispatcher, "aweme/v1/user/", "user_id=1", device=dict(DEVICE, device_id="99")
    )
    assert [first.status, second.status, third.status, other_device.status] == [200, 200, 429, 200]
    assert dict(third.headers)["Retry-After"] == "1"
    assert json.loads(third.body)["status_code"] == 429
    assert dispatcher.stats.snapshot()["rate_limited"] == 1


def test_a_request_with_a_bad_signature_is_not_counted() -> None:
    dispatcher = make_dispatcher()
    dispatcher.limiter = RateLimiter(1, clock=Clock())
    assert send(dispatcher, "aweme/v1/user/", "user_id=1", key="wrong").body == b""
    assert send(dispatcher, "aweme/v1/user/", "user_id=1").status == 200


def test_a_client_gets_rate_limit_error_with_retry_after_end_to_end() -> None:
    with Sandbox(seed=0, rate=2) as sandbox:
        frozen = Clock()
        assert sandbox._dispatcher.limiter is not None
        sandbox._dispatcher.limiter.clock = frozen  # no time passes: the window stays full
        client = sandbox.client(retries=0)
        client.users.get(BIG_USER_ID)
        client.users.get(BIG_USER_ID)
        with pytest.raises(tiktok.RateLimitError) as caught:
            client.users.get(BIG_USER_ID)
        assert caught.value.http_status == 429
        assert caught.value.retry_after == 1.0
        assert sandbox.stats["rate_limited"] == 1
        frozen.now += 1.0
        assert client.users.get(BIG_USER_ID).uid == BIG_USER_ID
