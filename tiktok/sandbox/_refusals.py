"""The refusals of today's API (docs/sandbox.rst (Refusals)): on demand and by behaviour.

On demand: ``Sandbox(faults=["ip_blocked", "trap_reply:DEVICE_ID"])`` answers every
API request (of that ``device_id`` only, after a colon) with the refusal until the
sandbox stops; ``Sandbox.inject`` answers the next ones. By behaviour, as the real
API does, each switched on by its own option: too many requests from one device
in a window soft-block it for a while; an install id used with another app's
``aid`` than the one it was first seen with is refused; a ``version_code`` below
a minimum gets 2146; a session ends some time after its login.
"""

from __future__ import annotations

import collections
import json
import math
import threading
import time
from typing import Callable, Deque, Dict, Iterable, List, Optional, Tuple

from ._faults import REFUSALS, Fault

__all__ = ["Behaviour", "StandingFaults", "refusal_answer"]

#: Calls that check the install id (docs/protocol.rst (Refusals, named)).
IID_CHECKED_PATHS = frozenset(
    {"aweme/v1/feed/", "aweme/v1/aweme/detail/", "aweme/v1/multi/aweme/detail/"}
)
# status_code and status_msg of each refusal answered as an API status.
_STATUSES: Dict[Fault, Tuple[int, str]] = {
    Fault.IP_BLOCKED: (10204, "Your IP address is blocked"),
    Fault.PRIVATE_POST: (10216, "This post is private"),
    Fault.PRIVATE_ACCOUNT: (10222, "This account is private"),
    Fault.USER_NOT_FOUND: (10202, "User doesn't exist"),
    Fault.APP_TOO_OLD: (2146, "Please update the app to the latest version"),
    Fault.LOGIN_REQUIRED: (8, "Please log in first"),
    Fault.SESSION_EXPIRED: (2154, "Login expired, please log in again"),
    Fault.INVALID_PARAMETER: (5, "invalid parameter"),
    Fault.TOO_MANY_REQUESTS: (6, "Too many requests, please try again later"),
}
# Devices and installs are forgotten past this many (a sandbox runs for days).
MAX_TRACKED = 4096


def refusal_answer(
    fault: Fault, extra: Dict[str, object], captcha: Dict[str, object]
) -> Tuple[bytes, List[Tuple[str, str]]]:
    """The body (HTTP 200) and headers a refusal answers with."""
    status = _STATUSES.get(fault)
    if status is not None:
        return _json({"extra": extra, "status_code": status[0], "status_msg": status[1]}), []
    if fault is Fault.TRAP_REPLY:
        body = {"extra": extra, "log_pb": {"impr_id": extra.get("logid", "")}, "status_code": 0}
        return _json({**body, "status_msg": ""}), []
    if fault is Fault.CAPTCHA_HEADER:
        return b"", [("bdturing-verify", json.dumps(captcha, separators=(",", ":")))]
    if fault is Fault.CAPTCHA:
        return _json(captcha), []
    return b"", []  # Fault.IID_REFUSED: the empty answer


def _json(body: Dict[str, object]) -> bytes:
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def parse_fault(spec: str) -> Tuple[Fault, Optional[str]]:
    """``NAME`` or ``NAME:DEVICE_ID`` as the fault and the device it applies to (None: all)."""
    if not isinstance(spec, str):
        raise TypeError(f"a fault is a name such as 'ip_blocked', not {type(spec).__name__}")
    name, _, device_id = spec.partition(":")
    try:
        fault = Fault(name.strip())
    except ValueError:
        known = ", ".join(fault.value for fault in Fault)
        raise ValueError(f"no fault named {name!r}; one of: {known}") from None
    if fault.http_status is None and fault not in (*REFUSALS, Fault.EMPTY, Fault.DROP):
        raise ValueError(f"{fault.value!r} cannot stand on every request; inject it instead")
    return fault, (device_id.strip() or None)


class StandingFaults:
    """Faults that answer every API request (of one device, or of all) while the sandbox runs."""

    def __init__(self, specs: Iterable[str] = ()) -> None:
        self._lock = threading.Lock()
        self._by_device: Dict[Optional[str], List[Fault]] = {}
        for spec in specs:
            self.add(*parse_fault(spec))

    def add(self, fault: Fault, device_id: Optional[str] = None) -> None:
        with self._lock:
            self._by_device.setdefault(device_id, []).append(fault)

    def clear(self) -> None:
        with self._lock:
            self._by_device.clear()

    def for_device(self, device_id: str) -> Optional[Fault]:
        with self._lock:
            faults = self._by_device.get(device_id) or self._by_device.get(None)
            return faults[0] if faults else None

    def __bool__(self) -> bool:
        return bool(self._by_device)


class Behaviour:
    """The refusals the real API makes of its own accord, each off until its option is set.

    ``soft_block=(count, window, rest)``: a device that sends more than ``count``
    requests within ``window`` seconds is soft-blocked (empty answers) for
    ``rest`` seconds. ``min_version_code``: a lower ``version_code`` gets 2146.
    ``iid_apps``: an ``iid`` is bound to the first ``aid`` it came with; with
    another, the calls that check it answer empty. ``session_ttl``: a session
    older than this many seconds gets 2154.
    """

    def __init__(
        self,
        *,
        soft_block: Optional[Tuple[int, float, float]] = None,
        min_version_code: Optional[int] = None,
        iid_apps: bool = False,
        session_ttl: Optional[float] = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if soft_block is not None:
            count, window, rest = soft_block
            if type(count) is not int or count < 1 or not (_seconds(window) and _seconds(rest)):
                raise ValueError(
                    f"soft_block must be (count >= 1, window > 0, rest > 0), not {soft_block!r}"
                )
        if min_version_code is not None and (
            type(min_version_code) is not int or min_version_code < 0
        ):
            raise ValueError(f"min_version_code must be an int >= 0, not {min_version_code!r}")
        if session_ttl is not None and not _seconds(session_ttl):
            raise ValueError(f"session_ttl must be seconds > 0, not {session_ttl!r}")
        self.soft_block = soft_block
        self.min_version_code = min_version_code
        self.iid_apps = bool(iid_apps)
        self.session_ttl = session_ttl
        self.clock = clock
        self._lock = threading.Lock()
        self._requests: Dict[str, Deque[float]] = {}
        self._blocked_until: Dict[str, float] = {}
        self._iid_aid: Dict[str, str] = {}

    def judge(
        self, path: str, params: Dict[str, str], session_age: Optional[float]
    ) -> Optional[Fault]:
        """The refusal this request earns, or None."""
        if self.min_version_code is not None:
            version = params.get("version_code", "")
            if not version.isdigit() or int(version) < self.min_version_code:
                return Fault.APP_TOO_OLD
        if self.iid_apps and path in IID_CHECKED_PATHS and not self._same_app(params):
            return Fault.IID_REFUSED
        if self.soft_block is not None and self._soft_blocked(params["device_id"]):
            return Fault.EMPTY
        ttl = self.session_ttl
        if ttl is not None and session_age is not None and session_age > ttl:
            return Fault.SESSION_EXPIRED
        return None

    def issued(self, iid: str, aid: str) -> None:
        """An iid the log host issued for ``aid`` (device registration) is that app's."""
        with self._lock:
            if len(self._iid_aid) >= MAX_TRACKED:
                self._iid_aid.clear()
            self._iid_aid[iid] = aid

    def _same_app(self, params: Dict[str, str]) -> bool:
        iid, aid = params["iid"], params.get("aid", "")
        with self._lock:
            first = self._iid_aid.get(iid)
            if first is None:
                if len(self._iid_aid) >= MAX_TRACKED:
                    self._iid_aid.clear()
                self._iid_aid[iid] = first = aid
            return first == aid

    def _soft_blocked(self, device_id: str) -> bool:
        assert self.soft_block is not None
        count, window, rest = self.soft_block
        with self._lock:
            now = self.clock()
            until = self._blocked_until.get(device_id)
            if until is not None:
                if now < until:
                    return True
                del self._blocked_until[device_id]
            times = self._requests.get(device_id)
            if times is None:
                if len(self._requests) >= MAX_TRACKED:
                    self._requests.clear()
                times = self._requests[device_id] = collections.deque()
            while times and times[0] <= now - window:
                times.popleft()
            times.append(now)
            if len(times) > count:
                times.clear()
                self._blocked_until[device_id] = now + rest
                return True
            return False


def _seconds(value: object) -> bool:
    return type(value) in (int, float) and 0 < value < math.inf  # type: ignore[operator]
