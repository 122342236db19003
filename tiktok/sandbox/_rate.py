"""The sandbox's per-device request rate (``Sandbox(rate=N)``, ``tiktok sandbox --rate N``).

A sliding window per ``device_id``: a request is answered when fewer than
``rate`` requests of the same device were answered in the ``window`` seconds
before it (answered at a time ``t`` with ``t > now - window``); otherwise it
gets 429 with ``Retry-After``, the whole seconds (at least 1) until the oldest
of them leaves the window. Refused requests are not counted, so a client that
waits as told is served. The semantics are documented in docs/sandbox.rst
(Rate limit).
"""

from __future__ import annotations

import collections
import math
import threading
import time
from typing import Callable, Deque, Dict, Optional

__all__ = ["RateLimiter"]

# Devices are forgotten once their window is empty, checked when this many are held.
PRUNE_AT = 4096


class RateLimiter:
    """At most ``rate`` answered requests per device in any ``window`` seconds."""

    def __init__(
        self, rate: float, window: float = 1.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        if type(rate) not in (int, float) or not 0 < rate < math.inf:
            raise ValueError(f"rate must be a number of requests a second > 0, not {rate!r}")
        self.rate = rate
        self.window = float(window)
        # A rate below 1 a second is one request per 1/rate seconds.
        self._limit = max(1, int(rate * self.window))
        self._span = self.window if rate * self.window >= 1 else 1.0 / rate
        self.clock = clock
        self._lock = threading.Lock()
        self._answered: Dict[str, Deque[float]] = {}

    def admit(self, device_id: str) -> Optional[float]:
        """``None`` when the request may be answered (and count it), else seconds to wait."""
        with self._lock:
            now = self.clock()
            times = self._answered.get(device_id)
            if times is None:
                if len(self._answered) >= PRUNE_AT:
                    self._prune(now)
                times = self._answered[device_id] = collections.deque()
            while times and times[0] <= now - self._span:
                times.popleft()
            if len(times) < self._limit:
                times.append(now)
                return None
            return times[0] + self._span - now

    def _prune(self, now: float) -> None:
        for device_id in [
            d for d, t in self._answered.items() if not t or t[-1] <= now - self._span
        ]:
            del self._answered[device_id]


def retry_after(wait: float) -> str:
    """The ``Retry-After`` value for a wait: whole seconds, at least 1 (HTTP takes integers)."""
    return str(max(1, math.ceil(wait)))
