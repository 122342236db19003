"""Whether and when to try a call again: the policy above one attempt.

One attempt (build, sign, send, read) raises a :class:`~tiktok.TikTokError`;
this module reads the facts it declares (``transient``, ``unprocessed``,
``retry_after``) and decides whether another attempt follows and after how
long, within the call's ``deadline`` (docs/errors.rst (What the client retries)).
"""

from __future__ import annotations

import logging
from typing import Callable, Optional, Tuple, TypeVar

import attrs

from ._clock import Clock
from .errors import TikTokError

__all__ = ["BACKOFF_CAP", "DEFAULT_DEADLINE", "DEFAULT_MAX_WAIT", "RetryPolicy"]

log = logging.getLogger("tiktok")

T = TypeVar("T")

DEFAULT_MAX_WAIT = 60.0
DEFAULT_DEADLINE = 120.0
BACKOFF_CAP = 30.0


@attrs.frozen
class RetryPolicy:
    """At most ``retries + 1`` attempts of a call, all within ``deadline`` seconds.

    Between attempts, the server's ``Retry-After`` (up to ``max_wait``) or a
    jittered exponential backoff of base ``backoff``, capped at
    :data:`BACKOFF_CAP`.
    """

    retries: int
    backoff: float
    max_wait: float
    deadline: float
    clock: Clock

    def run(self, attempt: Callable[[int, float], T], *, write: bool, what: str) -> T:
        """``attempt(number, ends_at)`` until it returns or its error ends the call.

        ``ends_at`` is the deadline on ``clock.monotonic``; ``write`` says whether
        resending may do the call twice; ``what`` names it in the log.
        """
        ends_at = self.clock.monotonic() + self.deadline
        number = 0
        while True:
            number += 1
            try:
                return attempt(number, ends_at)
            except TikTokError as error:
                if not self.should_retry(error, write=write):
                    if number > 1:
                        _annotate(error, f" (after {number} attempts)")
                    raise
                delay, stop = self.wait_before(error, number, ends_at)
                if delay is None:
                    _annotate(error, f" (after {_attempts(number)}{stop})")
                    raise
                log.debug(
                    "retrying %s (attempt %d) in %.2fs after %s",
                    what,
                    number + 1,
                    delay,
                    type(error).__name__,
                )
                self.clock.sleep(delay)

    @staticmethod
    def should_retry(error: TikTokError, *, write: bool) -> bool:
        """Whether another attempt may follow ``error``.

        A read is sent again after any transient failure; a write only when the
        server provably did nothing with it (docs/errors.rst (What the client retries)).
        """
        if not error.transient:
            return False
        return not write or error.unprocessed

    def wait_before(
        self, error: TikTokError, attempt: int, ends_at: float
    ) -> Tuple[Optional[float], str]:
        """Seconds to wait before attempt ``attempt + 1``; or None, and why the call stops here."""
        retry_after = error.retry_after
        if retry_after is not None and retry_after > self.max_wait:
            return None, f"; Retry-After {retry_after:g}s is more than max_wait {self.max_wait:g}s"
        if attempt > self.retries:
            return None, ""
        # Without the server's word, full jitter: a random wait up to the capped step.
        delay = retry_after if retry_after is not None else self.clock.random() * self.step(attempt)
        if self.clock.monotonic() + delay >= ends_at:
            return None, f"; waiting {delay:.3g}s more would pass the {self.deadline:g}s deadline"
        return delay, ""

    def step(self, attempt: int) -> float:
        """The backoff's longest wait after attempt ``attempt`` (from 1): doubling, capped."""
        return min(BACKOFF_CAP, self.backoff * 2.0 ** (attempt - 1))


def _attempts(count: int) -> str:
    return "1 attempt" if count == 1 else f"{count} attempts"


def _annotate(error: BaseException, text: str) -> None:
    if error.args and isinstance(error.args[0], str):
        error.args = (error.args[0] + text, *error.args[1:])
