"""The Pacer: evenly spaced requests at most ``rate`` a second, jitter before each, thread-safe.

docs/protocol.rst (Retries, limits and pacing). A fake clock that moves only when
the pacer sleeps (or the test says time passed): no test waits on real time.
"""

from __future__ import annotations

import bisect
import threading
from typing import List

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import examples
from tiktok._pacing import Pacer


class FakeClock:
    """Time that moves only when slept or advanced; sleeps are recorded."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: List[float] = []
        self._lock = threading.Lock()

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.sleeps.append(seconds)
            self.now += seconds

    def advance(self, seconds: float) -> None:
        self.now += seconds


def _most_in_a_second(times: List[float]) -> int:
    """The most requests any closed window of one second holds."""
    ordered = sorted(times)
    return max(bisect.bisect_right(ordered, t + 1.0 + 1e-9) - i for i, t in enumerate(ordered))


def test_a_burst_goes_out_evenly_spaced_at_the_rate() -> None:
    clock = FakeClock()
    pacer = Pacer(rate=5, clock=clock, sleep=clock.sleep)
    sent = []
    for _ in range(12):
        pacer.wait()
        sent.append(clock.now)
    assert sent == pytest.approx([1000.0 + n * 0.2 for n in range(12)])
    # Exactly the rate: no slower than the spacing, and no window holds more than rate + 1.
    assert _most_in_a_second(sent) == 6


def test_an_idle_client_saves_up_no_burst() -> None:
    clock = FakeClock()
    pacer = Pacer(rate=2, clock=clock, sleep=clock.sleep)
    pacer.wait()
    clock.advance(60)  # a minute of silence
    sent = []
    for _ in range(5):
        pacer.wait()
        sent.append(clock.now)
    assert sent == pytest.approx([1060.0, 1060.5, 1061.0, 1061.5, 1062.0])


@settings(max_examples=examples(200))
@given(
    rate=st.sampled_from([0.5, 1, 3, 7.5, 20]),
    gaps=st.lists(st.floats(min_value=0, max_value=2, allow_nan=False), min_size=1, max_size=60),
)
def test_no_window_of_one_second_holds_more_than_rate_plus_one(
    rate: float, gaps: List[float]
) -> None:
    clock = FakeClock()
    pacer = Pacer(rate=rate, clock=clock, sleep=clock.sleep)
    sent = []
    for gap in gaps:
        clock.advance(gap)
        arrived = clock.now
        waited = pacer.wait()
        sent.append(clock.now)
        assert waited == pytest.approx(clock.now - arrived)
    assert _most_in_a_second(sent) <= int(rate) + 1
    # Never slower than needed: each request goes at its arrival or one spacing after the last.
    for before, after in zip(sent, sent[1:]):
        assert after - before >= 1 / rate - 1e-9


def test_threads_share_one_schedule() -> None:
    clock = FakeClock()
    pacer = Pacer(rate=10, clock=clock, sleep=lambda s: None)  # the slot is what counts here
    slots: List[float] = []
    lock = threading.Lock()

    def worker() -> None:
        for _ in range(25):
            start = clock.now
            waited = pacer.wait()
            with lock:
                slots.append(start + waited)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    ordered = sorted(slots)
    assert len(set(round(s, 6) for s in ordered)) == 200  # no two threads share a slot
    assert ordered == pytest.approx([1000.0 + n * 0.1 for n in range(200)])


def test_jitter_pauses_before_the_slot_without_bringing_requests_closer() -> None:
    clock = FakeClock()
    draws = iter([0.3, 0.0, 0.25, 0.1])
    pacer = Pacer(rate=4, jitter=(0.0, 0.3), clock=clock, sleep=clock.sleep,
                  uniform=lambda low, high: next(draws))  # fmt: skip
    sent = []
    for _ in range(4):
        pacer.wait()
        sent.append(clock.now)
    # 0.3 of jitter, then the slot; 0 jitter but the next slot is 0.25 later; ...
    assert sent == pytest.approx([1000.3, 1000.55, 1000.8, 1001.05])
    assert clock.sleeps[0] == pytest.approx(0.3)


def test_jitter_alone_draws_from_the_range() -> None:
    clock = FakeClock()
    seen = []
    pacer = Pacer(jitter=(0.5, 1.5), clock=clock, sleep=clock.sleep,
                  uniform=lambda low, high: seen.append((low, high)) or low)  # fmt: skip
    assert pacer.wait() == 0.5
    assert seen == [(0.5, 1.5)]


def test_no_rate_and_no_jitter_never_sleeps() -> None:
    pacer = Pacer(sleep=lambda s: pytest.fail("slept"))
    assert not pacer.active
    assert pacer.wait() == 0.0


@pytest.mark.parametrize("rate", [0, -1, float("inf"), float("nan"), "5", True])
def test_a_bad_rate_is_refused(rate: object) -> None:
    with pytest.raises(ValueError, match="rate"):
        Pacer(rate=rate)  # type: ignore[arg-type]


@pytest.mark.parametrize("jitter", [(1, 0), (-1, 1), (0,), [0, 1], (0, float("inf")), 1.0])
def test_a_bad_jitter_is_refused(jitter: object) -> None:
    with pytest.raises(ValueError, match="jitter"):
        Pacer(jitter=jitter)  # type: ignore[arg-type]
