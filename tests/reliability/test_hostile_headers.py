"""Whatever status line and headers a server sends, a call returns its model or a TikTokError.

``responses`` replaces the adapter and so never runs urllib3 or http.client on
the answer: these answers go over a real socket, byte for byte as generated, to
a real client. Hypothesis builds status lines (informational ones, garbage),
``Location``, ``Retry-After``, ``Content-Encoding``, ``Set-Cookie``,
``x-tt-token``, ``Content-Length`` and ``Transfer-Encoding`` values, with
bodies that are valid, compressed, or not.
"""

from __future__ import annotations

import gzip
import json
import socket
import threading
import zlib
from collections import Counter
from typing import Callable, Iterator, List, Tuple

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tiktok

from ..conftest import examples
from ._scripted import DEVICE, append_signature

EXAMPLES = 300
HEADER_OUTCOMES: Counter = Counter()
TRIED: Counter = Counter()

USER = json.dumps({"status_code": 0, "user": {"uid": "42"}}).encode()
LOGIN = json.dumps({"data": {"user_id": 1, "session_key": "k"}, "message": "success"}).encode()


class RawServer:
    """Answers each request with the bytes of ``answer`` as they are, then closes."""

    def __init__(self) -> None:
        self.answer = b""
        self.requests: List[bytes] = []
        self._socket = socket.socket()
        self._socket.bind(("127.0.0.1", 0))
        self._socket.listen(32)
        self.url = f"http://127.0.0.1:{self._socket.getsockname()[1]}/"
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                connection, _ = self._socket.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(connection,), daemon=True).start()

    def _serve(self, connection: socket.socket) -> None:
        with connection:
            connection.settimeout(5)
            try:
                head = b""
                while b"\r\n\r\n" not in head:
                    data = connection.recv(65536)
                    if not data:
                        return
                    head += data
                self.requests.append(head)
                connection.sendall(self.answer)
                connection.shutdown(socket.SHUT_WR)
                while connection.recv(65536):  # let the client finish before closing
                    pass
            except OSError:
                return

    def close(self) -> None:
        self._socket.close()


@pytest.fixture(scope="module")
def raw_server() -> Iterator[RawServer]:
    server = RawServer()
    yield server
    server.close()


# -- strategies -------------------------------------------------------------------------------

latin1 = st.text(
    alphabet=st.characters(min_codepoint=0x20, max_codepoint=0xFF, blacklist_characters="\x7f"),
    max_size=40,
)
garbage = st.one_of(latin1, st.sampled_from(["", " ", "\t", "\x00", "\u00ff" * 3]))
status_lines = st.one_of(
    st.builds(
        "HTTP/1.1 {} {}".format,
        st.sampled_from(
            [
                100,
                101,
                102,
                103,
                199,
                200,
                200,
                200,
                201,
                204,
                206,
                301,
                302,
                303,
                304,
                307,
                308,
                400,
                401,
                404,
                418,
                429,
                500,
                502,
                503,
                504,
                599,
            ]
        ),
        st.sampled_from(["OK", "", "Early Hints", "Switching Protocols", "\u00e9"]),
    ),
    st.sampled_from(
        [
            "HTTP/1.0 200 OK",
            "HTTP/1.1 200",
            "HTTP/2 200 OK",
            "HTTP/1.1 abc OK",
            "HTTP/1.1 2000 OK",
            "HTTP/1.1 -1 x",
            "FOO 200 OK",
            "HTTP/1.1  200 OK",
            "",
        ]
    ),
)
locations = st.one_of(
    st.sampled_from(
        [
            "http://[::1",
            "http://[::1]:99999/",
            "//evil.invalid/x",
            "javascript:x",
            "http://user:pw@evil.invalid/",
            "/aweme/v1/user/?a=1",
            "",
            "\u00e9",
            "https://api.invalid/" + "a" * 5000,
        ]
    ),
    garbage,
)
retry_afters = st.one_of(
    st.integers(-(10**6), 10**30).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.sampled_from(
        [
            "Wed, 21 Oct 2015 07:28:00 GMT",
            "Fri, 31 Dec 9999 23:59:59 GMT",
            "Mon, 32 Foo 2020 99:99:99 GMT",
            "1e400",
            "-0",
            "0x10",
            "soon",
            "",
        ]
    ),
    garbage,
)
encodings = st.one_of(
    st.sampled_from(
        [
            "gzip",
            "deflate",
            "br",
            "identity",
            "gzip, gzip",
            "x-gzip",
            "GZIP",
            "gzip, deflate",
            "zstd",
            "compress",
            "",
        ]
    ),
    garbage,
)
set_cookies = st.one_of(
    st.sampled_from(
        [
            "sessionid=abc; Path=/",
            "sessionid=abc; Domain=evil.invalid",
            "sessionid=abc; Expires=Fri, 31 Dec 99999 23:59:59 GMT",
            "sessionid=abc; Max-Age=99999999999999999999",
            "=abc",
            "sessionid",
            "sessionid=\u00e9\u00ff",
            "a=" + "b" * 10000,
            "sessionid=abc; Secure; HttpOnly",
        ]
    ),
    garbage,
)
tokens = st.one_of(
    st.sampled_from(["00abc", "\u00e9\u00ff", "a" * 10000, " ", "a,b", "a;b"]), garbage
)
content_lengths = st.one_of(
    st.sampled_from(["-1", "abc", "1, 2", "99999999999999999999", "0", "3"]),
    st.integers(0, 200).map(str),
)
header_strategies = {
    "Location": locations,
    "Retry-After": retry_afters,
    "Content-Encoding": encodings,
    "Set-Cookie": set_cookies,
    "x-tt-token": tokens,
    "Content-Length": content_lengths,
    "Transfer-Encoding": st.sampled_from(["chunked", "gzip", "chunked, chunked", "identity"]),
    "Content-Type": st.sampled_from(["application/json", "text/html", "x", ""]),
}
headers = st.lists(
    st.sampled_from(sorted(header_strategies)).flatmap(
        lambda name: header_strategies[name].map(lambda value: (name, value))
    ),
    max_size=5,
)


def compressed(body: bytes, how: str) -> bytes:
    if how == "gzip":
        return gzip.compress(body)
    if how == "deflate":
        return zlib.compress(body)
    return body


@st.composite
def answers(draw: Callable, body: bytes) -> Tuple[bytes, str]:
    """The raw bytes of an answer and a short description of it for the outcome counts."""
    status = draw(status_lines)
    chosen = draw(headers)
    names = {name for name, _ in chosen}
    payload = draw(
        st.one_of(
            st.just(body),
            st.sampled_from(["gzip", "deflate"]).map(lambda how: compressed(body, how)),
            st.binary(max_size=40),
            st.just(b""),
        )
    )
    lines = [status] + [f"{name}: {value}" for name, value in chosen]
    if "Content-Length" not in names and "Transfer-Encoding" not in names:
        lines.append(f"Content-Length: {len(payload)}")
    if "Transfer-Encoding" in names and draw(st.booleans()):
        payload = b"%x\r\n%s\r\n0\r\n\r\n" % (len(payload), payload)
    if draw(st.booleans()):  # an informational answer first, then a real one
        lines = [draw(st.sampled_from(["HTTP/1.1 103 Early Hints", "HTTP/1.1 100 Continue"]))]
        lines += ["Link: </x>; rel=preload", "", status, f"Content-Length: {len(payload)}"]
    raw = "\r\n".join(lines).encode("latin-1") + b"\r\n\r\n" + payload
    return raw, status.split(" ")[1] if " " in status else status


CALLS = {
    "users.get": (lambda client: client.users.get("42"), USER),
    "login": (lambda client: client.login_with_email("me@example.com", "pw"), LOGIN),
}


@pytest.mark.parametrize("name", sorted(CALLS))
def test_hostile_status_lines_and_headers_give_a_model_or_a_tiktok_error(
    name: str, raw_server: RawServer
) -> None:
    call, body = CALLS[name]
    client = tiktok.Client(DEVICE, append_signature, base_url=raw_server.url, retries=0, timeout=5)

    @settings(
        max_examples=examples(EXAMPLES),
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(answers(body))
    def check(answer: Tuple[bytes, str]) -> None:
        raw_server.answer = answer[0]
        TRIED[name] += 1
        try:
            call(client)
        except tiktok.TikTokError as exc:
            HEADER_OUTCOMES[type(exc).__name__] += 1
            str(exc)
        else:
            HEADER_OUTCOMES["model"] += 1

    check()
    client.close()


@pytest.mark.parametrize(
    "informational", [b"103 Early Hints", b"101 Switching Protocols", b"102 Processing"]
)
def test_an_informational_answer_is_not_taken_for_the_answer(
    raw_server: RawServer, informational: bytes
) -> None:
    # http.client skips only 100 Continue: any other 1xx came back as if final, bodiless,
    # and was reported as a signature rejection (an empty 200).
    raw_server.answer = (
        b"HTTP/1.1 %s\r\nLink: </x>; rel=preload\r\n\r\n"
        b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s" % (informational, len(USER), USER)
    )
    client = tiktok.Client(DEVICE, append_signature, base_url=raw_server.url, retries=0)
    with pytest.raises(tiktok.TransportError, match="informational HTTP 1"):
        client.users.get("42")
    raw_server.answer = b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s" % (len(USER), USER)
    assert client.users.get("42").uid == "42"  # the next call is not served the stale answer


@pytest.mark.parametrize("token", ["\xa0abc", "\x1fabc", "\x85abc"])
def test_a_token_that_cannot_be_sent_back_is_not_kept(raw_server: RawServer, token: str) -> None:
    # Found by the property above (as a flaky failure: the client is shared by its examples):
    # kept, such a token made every later request fail in requests, before it was sent.
    client = tiktok.Client(DEVICE, append_signature, base_url=raw_server.url, retries=0)

    def answer(body: bytes, token: str) -> bytes:
        head = (
            f"HTTP/1.1 200 OK\r\nx-tt-token: {token}\r\nContent-Length: {len(body)}\r\n"
            "Connection: close\r\n\r\n"  # the server closes each connection after its answer
        )
        return head.encode("latin-1") + body

    raw_server.answer = answer(LOGIN, "good-token")
    client.login_with_email("me@example.com", "pw")
    raw_server.answer = answer(USER, token)
    assert client.users.get("42").uid == "42"
    raw_server.answer = answer(USER, "good-token-2")
    assert client.users.get("42").uid == "42"
    assert client.users.get("42").uid == "42"
    sent = [
        head.split(b"\r\nx-tt-token: ", 1)[1].split(b"\r\n")[0] for head in raw_server.requests[-3:]
    ]
    assert sent == [b"good-token", b"good-token", b"good-token-2"]
    client.close()
