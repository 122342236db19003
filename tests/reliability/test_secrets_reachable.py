"""No secret is reachable from an error the client raises, not only absent from its text.

An exception's chain once held the ``requests`` exception with its prepared
request: ``.request.url`` carried the login's encoded password, ``.request.headers``
the token and the session cookie. This walks everything reachable from the
raised error (its chain, arguments and attributes, and those of the ``requests``
and ``urllib3`` objects they hold), except tracebacks (frames hold the caller's
own variables) and the documented raw ``body`` of a DecodeError or APIError.
"""

from __future__ import annotations

import contextlib
import json
from typing import Any, Iterator, List, Mapping

import pytest

import tiktok

from ._scripted import CLOSE, ScriptServer, Step, make_client, ok, unused_port
from .test_secrets import EMAIL, LOGIN_OK, PASSWORD, SECRETS, leaked

WALKED_MODULES = ("requests", "urllib3", "http", "tiktok", "email", "ssl", "socket")


def reachable_text(root: BaseException, budget: int = 50_000) -> str:
    """The text of every str and bytes reachable from ``root`` (see the module's docstring)."""
    seen = set()
    texts: List[str] = []
    pending: List[Any] = [root]
    while pending and len(seen) < budget:
        obj = pending.pop()
        if obj is None or id(obj) in seen:
            continue
        seen.add(id(obj))
        if isinstance(obj, str):
            texts.append(obj)
        elif isinstance(obj, (bytes, bytearray, memoryview)):
            texts.append(bytes(obj).decode("latin-1"))
        elif isinstance(obj, (int, float, complex, type)):
            continue
        elif isinstance(obj, BaseException):
            pending += [obj.__cause__, obj.__context__, *obj.args, str(obj)]
            for name, value in vars(obj).items():
                if not (name == "body" and isinstance(obj, tiktok.TikTokError)):
                    pending.append(value)
        elif isinstance(obj, Mapping) or (hasattr(obj, "items") and hasattr(obj, "keys")):
            with contextlib.suppress(Exception):  # a mapping-like object that cannot list itself
                pending += [item for pair in list(obj.items()) for item in pair]
        elif isinstance(obj, (list, tuple, set, frozenset)):
            pending += list(obj)
        elif type(obj).__module__.split(".")[0] in WALKED_MODULES:
            if hasattr(obj, "__dict__"):
                pending += list(vars(obj).values())
            for slot in getattr(type(obj), "__slots__", ()):
                pending.append(getattr(obj, slot, None))
    return "\n".join(texts)


@pytest.fixture
def logged_in(server: ScriptServer) -> Iterator[tiktok.Client]:
    client = make_client(server.url, retries=0, timeout=0.3)
    server.script(LOGIN_OK)
    client.login_with_email(EMAIL, PASSWORD)
    yield client


FAILURES = {
    "reset": CLOSE,
    "cut body": Step(200, json.dumps({"status_code": 0, "user": {}}).encode(), action="cut"),
    "timeout": Step(200, b"{}", delay=1.0),
    "not json": ok(b"<html>"),
    "500": Step(500, b"{}"),
}


@pytest.mark.parametrize("failure", sorted(FAILURES))
def test_a_failed_login_holds_no_secret(server: ScriptServer, failure: str) -> None:
    server.script(FAILURES[failure])
    client = make_client(server.url, retries=0, timeout=0.3)
    with pytest.raises(tiktok.TikTokError) as caught:
        client.login_with_email(EMAIL, PASSWORD)
    assert leaked(reachable_text(caught.value)) == []


@pytest.mark.parametrize("failure", sorted(FAILURES))
def test_a_failed_call_of_a_logged_in_client_holds_no_secret(
    logged_in: tiktok.Client, server: ScriptServer, failure: str
) -> None:
    server.script(FAILURES[failure])
    with pytest.raises(tiktok.TikTokError) as caught:
        logged_in.users.get("42")
    assert server.hits[-1].headers.get("x-tt-token")  # the secrets were sent...
    assert leaked(reachable_text(caught.value)) == []  # ...and are not kept in the error


def test_a_login_that_cannot_connect_holds_no_secret() -> None:
    client = make_client(f"http://127.0.0.1:{unused_port()}/", retries=1)
    with pytest.raises(tiktok.TransportError) as caught:
        client.login_with_email(EMAIL, PASSWORD)
    assert leaked(reachable_text(caught.value)) == []


def test_the_walk_finds_a_secret_where_there_is_one(server: ScriptServer) -> None:
    """The control: a request object in the chain is found."""
    import requests

    request = requests.Request("GET", f"http://x/?password={SECRETS['xor password']}").prepare()
    error = tiktok.TransportError("boom")
    error.__cause__ = requests.ConnectionError("failed", request=request)
    assert leaked(reachable_text(error)) == ["xor password"]


def test_the_session_headers_do_not_hold_the_token(logged_in: tiktok.Client) -> None:
    assert leaked(repr(logged_in.session.headers)) == []
    assert leaked(repr(logged_in.session.cookies)) == []
    assert leaked(repr(logged_in)) == []
