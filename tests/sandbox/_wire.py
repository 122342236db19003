"""Helpers to build signed raw requests for the dispatcher, without a socket."""

from __future__ import annotations

import json
from typing import Any, Dict, Optional

from tiktok.sandbox import Fault, SandboxSigner
from tiktok.sandbox._faults import FaultPicker, Stats
from tiktok.sandbox._handlers import App, Request
from tiktok.sandbox._server import Dispatcher, Outcome
from tiktok.sandbox._signing import request_target
from tiktok.sandbox._state import State
from tiktok.sandbox._world import World

DEVICE = {
    "device_id": "11",
    "iid": "22",
    "openudid": "33",
    "fp": "44",
    "_rticket": "55",
    "ts": "66",
}


def target(
    path: str, query: str = "", *, key: str = "sandbox", device: Optional[Dict[str, str]] = None
) -> str:
    params = DEVICE if device is None else device
    tail = "&".join(f"{name}={value}" for name, value in params.items())
    url = f"http://sandbox.test/{path}?{query + '&' if query else ''}{tail}"
    return request_target(SandboxSigner(key).sign(url, 66, "11"))


class Always:
    """A fault picker that answers every request with one fault."""

    rate = 1.0

    def __init__(self, fault: Optional[Fault]) -> None:
        self.fault = fault

    def pick(self, number: int, write: bool) -> Optional[Fault]:
        if self.fault is Fault.APPLY_THEN_DROP and not write:
            return None
        return self.fault


def make_dispatcher(fault: Optional[Fault] = None, slow_seconds: float = 0.05) -> Dispatcher:
    world = World(0)
    picker: Any = Always(fault) if fault is not None else FaultPicker(0, 0.0)
    return Dispatcher(App(world, State(world)), "sandbox", picker, Stats(), slow_seconds)


def send(
    dispatcher: Dispatcher,
    path: str,
    query: str = "",
    *,
    method: str = "GET",
    body: bytes = b"",
    headers: Optional[Dict[str, str]] = None,
    **target_options: Any,
) -> Outcome:
    raw = target(path, query, **target_options)
    return dispatcher(Request(method, raw, headers or {}, body))


def decoded(outcome: Outcome) -> Dict[str, Any]:
    assert outcome.status == 200, outcome
    data = json.loads(outcome.body)
    assert isinstance(data, dict)
    return data


def login(dispatcher: Dispatcher) -> Dict[str, str]:
    """Log in; return the headers that carry the session (the cookie)."""
    query = (
        "mix_mode=1&username=&email="
        + xor("sandbox@example.com")
        + "&password="
        + xor("sandbox-pass-123")
    )
    outcome = send(dispatcher, "passport/user/login/", query, method="POST")
    cookie = dict(outcome.headers)["Set-Cookie"].split(";")[0]
    return {"cookie": cookie}


def xor(text: str) -> str:
    return "".join(format(ord(c) ^ 5, "x") for c in text)
