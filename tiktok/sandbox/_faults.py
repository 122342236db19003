"""Fault injection (issue 3, item 7) and the server's counters.

Each request draws its fault from a generator seeded by (seed, request number),
so a run with the same seed and the same order of requests meets the same
faults. Faults never change the world or the state, except
``apply_then_drop``, which applies a write and then drops the connection.
"""

from __future__ import annotations

import enum
import random
import threading
from collections import OrderedDict
from typing import Any, Dict, Optional

from ._hashing import Hasher

__all__ = [
    "MEDIA_FAULTS",
    "READ_FAULTS",
    "REFUSALS",
    "WRITE_FAULTS",
    "Fault",
    "FaultPicker",
    "Stats",
]

FAULT_SALT = 0xFA17
#: How many of the latest signatures the server remembers to notice a repeated one.
MAX_SIGNATURES = 1 << 16


class Fault(enum.Enum):
    """The kinds of fault a sandbox injects; ``Sandbox.stats["faults"]`` counts them by value."""

    HTTP_500 = "http_500"
    HTTP_502 = "http_502"
    HTTP_503 = "http_503"
    #: 429 with ``Retry-After: 1``
    HTTP_429 = "http_429"
    #: close the connection before answering
    DROP = "drop"
    #: the JSON body cut in half (a consistent Content-Length: the client reads cut JSON)
    CUT_BODY = "cut_body"
    #: 200 with an empty body
    EMPTY = "empty"
    #: answer only after ``slow_seconds``
    SLOW = "slow"
    #: writes only: apply the write, then close the connection without answering
    APPLY_THEN_DROP = "apply_then_drop"
    #: media only: announce the whole length, send about half of it, close the connection
    CUT_TRANSFER = "cut_transfer"
    #: media only: answer 200 with the whole file, as a server that ignores ``Range``
    IGNORE_RANGE = "ignore_range"
    #: API only, never drawn at random (see ``Sandbox.inject``): the captcha challenge
    CAPTCHA = "captcha"
    # The refusals of docs/sandbox.rst (Refusals): API only, never drawn at random.
    #: the captcha challenge in the ``bdturing-verify`` header of an empty 200
    CAPTCHA_HEADER = "captcha_header"
    #: ``status_code`` 10204: this IP is blocked
    IP_BLOCKED = "ip_blocked"
    #: ``status_code`` 10216: a private post
    PRIVATE_POST = "private_post"
    #: ``status_code`` 10222: a private account
    PRIVATE_ACCOUNT = "private_account"
    #: ``status_code`` 10202: no such user
    USER_NOT_FOUND = "user_not_found"
    #: ``status_code`` 2146: the app version is too old
    APP_TOO_OLD = "app_too_old"
    #: ``status_code`` 8: not logged in
    LOGIN_REQUIRED = "login_required"
    #: ``status_code`` 2154: the session expired
    SESSION_EXPIRED = "session_expired"
    #: ``status_code`` 5: a parameter is wrong or missing
    INVALID_PARAMETER = "invalid_parameter"
    #: ``status_code`` 6 in a 200: too many requests
    TOO_MANY_REQUESTS = "too_many_requests"
    #: ``status_code`` 0 with only ``extra``, ``log_pb`` and ``status_msg``: a soft block
    TRAP_REPLY = "trap_reply"
    #: an empty 200 to a call that checks the install id, as to an iid of another app
    IID_REFUSED = "iid_refused"

    @property
    def http_status(self) -> Optional[int]:
        """The HTTP status this fault answers with, or ``None`` when it answers otherwise."""
        return _HTTP_STATUS.get(self)


_HTTP_STATUS = {Fault.HTTP_500: 500, Fault.HTTP_502: 502, Fault.HTTP_503: 503, Fault.HTTP_429: 429}
# Spelled out: a seed's draws must not change when a kind is added.
READ_FAULTS = (
    Fault.HTTP_500,
    Fault.HTTP_502,
    Fault.HTTP_503,
    Fault.HTTP_429,
    Fault.DROP,
    Fault.CUT_BODY,
    Fault.EMPTY,
    Fault.SLOW,
)
WRITE_FAULTS = (*READ_FAULTS, Fault.APPLY_THEN_DROP)
#: The refusals: injected (``Sandbox.inject``) or standing (``Sandbox(faults=...)``), never drawn.
REFUSALS = (
    Fault.CAPTCHA,
    Fault.CAPTCHA_HEADER,
    Fault.IP_BLOCKED,
    Fault.PRIVATE_POST,
    Fault.PRIVATE_ACCOUNT,
    Fault.USER_NOT_FOUND,
    Fault.APP_TOO_OLD,
    Fault.LOGIN_REQUIRED,
    Fault.SESSION_EXPIRED,
    Fault.INVALID_PARAMETER,
    Fault.TOO_MANY_REQUESTS,
    Fault.TRAP_REPLY,
    Fault.IID_REFUSED,
)
#: what a media download meets at random (docs/sandbox.rst (Media))
MEDIA_FAULTS = (Fault.CUT_TRANSFER, Fault.IGNORE_RANGE, Fault.HTTP_503, Fault.DROP)
MEDIA_SALT = 0x3ED1A


class FaultPicker:
    """Picks the fault of request number ``n`` (or none) at ``rate`` (0..1)."""

    def __init__(self, seed: int, rate: float) -> None:
        if not isinstance(rate, (int, float)) or not 0.0 <= rate <= 1.0:
            raise ValueError(f"fault_rate must be a number from 0 to 1, not {rate!r}")
        self.rate = float(rate)
        self._hash = Hasher(seed)

    def pick(self, number: int, write: bool) -> Optional[Fault]:
        if self.rate <= 0.0:
            return None
        draw = random.Random(self._hash(FAULT_SALT, number))
        if draw.random() >= self.rate:
            return None
        return draw.choice(WRITE_FAULTS if write else READ_FAULTS)

    def pick_media(self, number: int) -> Optional[Fault]:
        """The fault of media request number ``n``, drawn from :data:`MEDIA_FAULTS`."""
        if self.rate <= 0.0:
            return None
        draw = random.Random(self._hash(MEDIA_SALT, number))
        if draw.random() >= self.rate:
            return None
        return draw.choice(MEDIA_FAULTS)


class Stats:
    """Counters of a running server; :meth:`snapshot` is a plain dict copy."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._requests = 0
        self._rejected = 0
        self._rate_limited = 0
        self._faults: Dict[str, int] = {fault.value: 0 for fault in Fault}
        self._repeated = 0
        self._connections = 0
        # The latest signatures, to notice one sent again (bounded: a server runs for days).
        self._signatures: OrderedDict[str, None] = OrderedDict()

    def count_request(self) -> int:
        """Count a request and return its number (from 1)."""
        with self._lock:
            self._requests += 1
            return self._requests

    def count_connection(self) -> None:
        with self._lock:
            self._connections += 1

    def count_rejected(self) -> None:
        with self._lock:
            self._rejected += 1

    def count_rate_limited(self) -> None:
        with self._lock:
            self._rate_limited += 1

    def count_signature(self, signature: str) -> None:
        """Count ``signature`` as repeated if one of the latest requests carried it too."""
        if not signature:
            return
        with self._lock:
            if signature in self._signatures:
                self._repeated += 1
                return
            self._signatures[signature] = None
            if len(self._signatures) > MAX_SIGNATURES:
                self._signatures.popitem(last=False)

    def count_fault(self, fault: Fault) -> None:
        with self._lock:
            self._faults[fault.value] += 1

    def snapshot(self) -> Dict[str, Any]:
        with self._lock:
            return {
                "requests": self._requests,
                "faults": dict(self._faults),
                "rejected_signature": self._rejected,
                "repeated_signature": self._repeated,
                "rate_limited": self._rate_limited,
                "connections": self._connections,
            }
