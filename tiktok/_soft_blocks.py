"""Soft blocks counted per identity: many in a row become a block of that identity.

One empty answer or trap reply may be a server under load; ``count`` of them
within ``window`` seconds, with no accepted answer between, are the API blocking
the identity (docs/failures.rst (Soft blocks and identity blocks)).
"""

from __future__ import annotations

import collections
import threading
from typing import Callable, Deque, Optional, Tuple

from .errors import IdentityBlockedError, SoftBlockError

__all__ = ["DEFAULT_SOFT_BLOCK_LIMIT", "SoftBlocks", "check_soft_block_limit"]

#: ``(count, window)``: this many soft blocks within this many seconds block the identity.
DEFAULT_SOFT_BLOCK_LIMIT: Tuple[int, float] = (5, 600.0)


def check_soft_block_limit(value: object) -> Optional[Tuple[int, float]]:
    """``value`` as a ``(count, window)`` pair, or ``None`` (never escalate); else ValueError."""
    if value is None:
        return None
    if (
        type(value) is tuple
        and len(value) == 2
        and type(value[0]) is int
        and value[0] >= 1
        and type(value[1]) in (int, float)
        and 0 < value[1] < float("inf")
    ):
        return (value[0], float(value[1]))
    raise ValueError(
        f"soft_block_limit must be a (count >= 1, window seconds > 0) pair or None, not {value!r}"
    )


class SoftBlocks:
    """The soft blocks of one identity since its last accepted answer, within the window."""

    def __init__(self, limit: Optional[Tuple[int, float]], clock: Callable[[], float]) -> None:
        self.limit = limit
        self._clock = clock
        self._lock = threading.Lock()
        self._times: Deque[float] = collections.deque()

    def accepted(self) -> None:
        """An answer came through: the soft blocks before it were not a block."""
        with self._lock:
            self._times.clear()

    def check(self, error: SoftBlockError) -> Optional[IdentityBlockedError]:
        """Count ``error``; the block of the identity it makes, if it makes one."""
        if self.limit is None:
            return None
        count, window = self.limit
        with self._lock:
            now = self._clock()
            times = self._times
            times.append(now)
            while times and times[0] <= now - window:
                times.popleft()
            if len(times) < count:
                return None
        blocked = IdentityBlockedError(
            f"{count} soft blocks within {window:g}s on this identity with no answer between "
            f"them: the API blocks it (the last: {error})",
            count=count,
            window=window,
        )
        blocked.identity = error.identity
        blocked.answer = error.answer
        return blocked
