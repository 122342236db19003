"""tiktok._retry: the policy reads only the facts errors declare (transient, unprocessed,
retry_after), on an injected clock; docs/errors.rst (What the client retries)."""

from __future__ import annotations

from typing import List, Optional

import pytest

import tiktok
from tiktok._retry import BACKOFF_CAP, RetryPolicy

CALL = "GET aweme/v1/user/"


def policy(
    *,
    retries: int = 3,
    backoff: float = 1.0,
    max_wait: float = 60.0,
    deadline: float = 120.0,
    now: Optional[List[float]] = None,
    waits: Optional[List[float]] = None,
    draw: float = 1.0,
) -> RetryPolicy:
    """A policy on a clock that only the recorded waits advance."""
    now = now if now is not None else [0.0]
    waits = waits if waits is not None else []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        now[0] += seconds

    clock = tiktok.Clock(monotonic=lambda: now[0], sleep=sleep, random=lambda: draw)
    return RetryPolicy(
        retries=retries, backoff=backoff, max_wait=max_wait, deadline=deadline, clock=clock
    )


@pytest.mark.parametrize(
    ("error", "read", "write"),
    [
        (tiktok.APIError("x", http_status=503), True, True),
        (tiktok.RateLimitError("x", http_status=429), True, True),
        (tiktok.APIError("x", http_status=500), True, False),
        (tiktok.APIError("x", http_status=504), True, False),
        (tiktok.APIError("x", http_status=404), False, False),
        (tiktok.APIError("x", status_code=9, http_status=200), False, False),
        (tiktok.TransportError("x", sent=False), True, True),
        (tiktok.TransportError("x"), True, False),
        (tiktok.DeadlineExceededError("x", sent=False), False, False),
        (tiktok.EmptyResponseError("aweme/v1/user/"), True, False),
        (tiktok.DecodeError("x", transient=True), True, False),
        (tiktok.DecodeError("x"), False, False),
        (tiktok.BodyTooLargeError("x"), False, False),
        (tiktok.CaptchaRequiredError("x"), False, False),
        (tiktok.SignerError("x"), False, False),
    ],
    ids=lambda value: type(value).__name__ if isinstance(value, Exception) else str(value),
)
def test_what_is_retried_follows_the_declared_facts(
    error: tiktok.TikTokError, read: bool, write: bool
) -> None:
    assert RetryPolicy.should_retry(error, write=False) is read
    assert RetryPolicy.should_retry(error, write=True) is write


def test_a_new_error_class_is_retried_by_what_it_declares() -> None:
    # Typed failures added later need no change to the policy: it reads facts, not types.
    class OverloadedError(tiktok.TikTokError):
        transient = True

    class RefusedError(tiktok.TikTokError):
        transient = True
        unprocessed = True

    assert RetryPolicy.should_retry(OverloadedError("x"), write=False)
    assert not RetryPolicy.should_retry(OverloadedError("x"), write=True)
    assert RetryPolicy.should_retry(RefusedError("x"), write=True)


def test_a_cause_does_not_decide() -> None:
    # A DecodeError chained to a JSON error is retried only if it says it is transient.
    error = tiktok.DecodeError("not JSON")
    error.__cause__ = ValueError("Expecting value")
    assert not RetryPolicy.should_retry(error, write=False)


def test_retry_after_is_read_from_any_error_that_declares_it() -> None:
    error = tiktok.APIError("x", http_status=503, retry_after=7.0)
    assert policy().wait_before(error, 1, ends_at=100.0) == (7.0, "")
    delay, why = policy(max_wait=5.0).wait_before(error, 1, ends_at=100.0)
    assert delay is None and why == "; Retry-After 7s is more than max_wait 5s"


def test_the_backoff_draws_from_the_clock_and_is_capped() -> None:
    error = tiktok.APIError("x", http_status=502)
    full = policy(backoff=4.0, retries=10)
    assert [full.wait_before(error, n, 1e9)[0] for n in range(1, 7)] == [4, 8, 16, 30, 30, 30]
    assert BACKOFF_CAP == 30
    half = policy(backoff=4.0, draw=0.5)
    assert half.wait_before(error, 2, 1e9) == (4.0, "")


def test_run_stops_at_the_retries_and_says_how_many_attempts() -> None:
    waits: List[float] = []
    numbers: List[int] = []

    def attempt(number: int, ends_at: float) -> str:
        numbers.append(number)
        raise tiktok.APIError("aweme/v1/user/: HTTP 503", http_status=503)

    with pytest.raises(tiktok.APIError, match=r"HTTP 503 \(after 3 attempts\)$"):
        policy(retries=2, waits=waits).run(attempt, write=False, what=CALL)
    assert numbers == [1, 2, 3]
    assert waits == [1.0, 2.0]


def test_run_never_sleeps_past_the_deadline() -> None:
    now = [1000.0]
    waits: List[float] = []
    ends: List[float] = []

    def attempt(number: int, ends_at: float) -> str:
        ends.append(ends_at)
        raise tiktok.APIError("HTTP 503", http_status=503)

    run = policy(retries=10, backoff=2.0, deadline=20.0, now=now, waits=waits)
    with pytest.raises(tiktok.APIError, match="would pass the 20s deadline"):
        run.run(attempt, write=True, what=CALL)
    assert waits == [2.0, 4.0, 8.0]  # 14 s; the next 16 s would end past 20 s
    assert set(ends) == {1020.0}


def test_run_returns_the_first_answer() -> None:
    answers = iter([tiktok.TransportError("cut"), "user"])

    def attempt(number: int, ends_at: float) -> str:
        answer = next(answers)
        if isinstance(answer, Exception):
            raise answer
        return answer

    assert policy().run(attempt, write=False, what=CALL) == "user"


def test_a_write_that_may_have_been_applied_is_raised_at_once() -> None:
    waits: List[float] = []
    calls: List[int] = []

    def attempt(number: int, ends_at: float) -> str:
        calls.append(number)
        raise tiktok.TransportError("connection reset")  # sent: maybe applied

    with pytest.raises(tiktok.TransportError, match=r"^connection reset$"):
        policy(waits=waits).run(attempt, write=True, what="POST comment")
    assert calls == [1] and waits == []
