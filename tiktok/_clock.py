"""The one place a client reads the time and waits: ``Client(clock=Clock(...))``."""

from __future__ import annotations

import random
import time
from typing import Callable

import attrs

__all__ = ["Clock"]


@attrs.frozen
class Clock:
    """Where a client reads the time, waits, and draws the randomness of its waits.

    ``monotonic`` (seconds) times deadlines and pacing; ``wall`` (unix seconds)
    dates each attempt's ``ts`` and ``_rticket`` and reads a ``Retry-After``
    date; ``sleep(seconds)`` waits between attempts, for pacing and between
    download retries; ``random()`` (a float in ``[0, 1)``) draws the jitter of
    the backoff and of ``Client(jitter=...)``. Each defaults to the real one
    (:func:`time.monotonic`, :func:`time.time`, :func:`time.sleep`,
    :func:`random.random`); replace the ones a test must control, for example
    ``Client(..., clock=Clock(sleep=waits.append))`` to record the waits of the
    retries instead of waiting them out.
    """

    monotonic: Callable[[], float] = time.monotonic
    wall: Callable[[], float] = time.time
    sleep: Callable[[float], object] = time.sleep
    random: Callable[[], float] = random.random

    def uniform(self, low: float, high: float) -> float:
        """A draw between ``low`` and ``high``, from :attr:`random`."""
        return low + (high - low) * self.random()
