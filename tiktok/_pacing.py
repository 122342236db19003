"""Pacing: at most ``rate`` requests a second per client, evenly spaced, across its threads.

docs/protocol.rst (Retries, limits and pacing): no window of one second holds
more than ``rate`` requests, plus one at its edge. Each request takes the next
free slot, ``1 / rate`` seconds after the one before; a client that was idle
does not save up slots for a burst. ``jitter=(low, high)`` adds a random pause
before each request, taken before the slot so that it never brings two
requests closer than the spacing.
"""

from __future__ import annotations

import math
import random
import threading
import time
from typing import Callable, Optional, Tuple

__all__ = ["Pacer", "check_jitter", "check_rate"]


def check_rate(rate: object) -> Optional[float]:
    """``rate`` as requests a second (``None``: unpaced); ``ValueError`` if it is not one."""
    if rate is None:
        return None
    if type(rate) not in (int, float) or not 0 < rate < math.inf:  # type: ignore[operator]
        raise ValueError(f"rate must be None or a number of requests a second > 0, not {rate!r}")
    return float(rate)  # type: ignore[arg-type]


def check_jitter(jitter: object) -> Optional[Tuple[float, float]]:
    """``jitter`` as a ``(low, high)`` pause in seconds; ``ValueError`` if it is not one."""
    if jitter is None:
        return None
    if (
        isinstance(jitter, tuple)
        and len(jitter) == 2
        and all(type(v) in (int, float) and 0 <= v < math.inf for v in jitter)
        and jitter[0] <= jitter[1]
    ):
        return float(jitter[0]), float(jitter[1])
    raise ValueError(f"jitter must be None or a (low, high) pair of seconds >= 0, not {jitter!r}")


def _sleep(seconds: float) -> None:
    time.sleep(seconds)  # looked up when called


class Pacer:
    """Spaces the requests of one client; :meth:`wait` before each one, from any thread.

    ``clock`` and ``sleep`` are :func:`time.monotonic` and :func:`time.sleep` unless
    given (tests pass a fake clock); ``uniform(low, high)`` draws the jitter.
    """

    def __init__(
        self,
        rate: Optional[float] = None,
        jitter: Optional[Tuple[float, float]] = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Optional[Callable[[float], object]] = None,
        uniform: Optional[Callable[[float, float], float]] = None,
    ) -> None:
        self.rate = check_rate(rate)
        self.jitter = check_jitter(jitter)
        self._interval = 0.0 if self.rate is None else 1.0 / self.rate
        self._clock = clock
        self._sleep = sleep if sleep is not None else _sleep
        self._uniform = uniform if uniform is not None else random.Random().uniform
        self._lock = threading.Lock()
        self._next: Optional[float] = None

    def __repr__(self) -> str:
        return f"<tiktok Pacer rate={self.rate} jitter={self.jitter}>"

    @property
    def active(self) -> bool:
        """Whether it paces at all (a rate or a jitter is set)."""
        return self.rate is not None or self.jitter is not None

    def wait(self) -> float:
        """Block until this request may go; return the seconds waited."""
        waited = 0.0
        if self.jitter is not None:
            low, high = self.jitter
            pause = self._uniform(low, high) if high > low else low
            if pause > 0:
                self._sleep(pause)
                waited += pause
        if self.rate is None:
            return waited
        with self._lock:
            now = self._clock()
            slot = now if self._next is None or self._next < now else self._next
            self._next = slot + self._interval
        # Slept outside the lock: other threads take the slots after this one meanwhile.
        delay = slot - now
        if delay > 0:
            self._sleep(delay)
            waited += delay
        return waited
