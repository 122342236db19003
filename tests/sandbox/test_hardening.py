"""A sandbox facing hostile peers: malformed requests, huge inputs, idle and excess connections.

Raw sockets on 127.0.0.1; every read has a timeout, so a server that fails to
answer fails the test instead of hanging it.
"""

from __future__ import annotations

import contextlib
import json
import logging
import socket
import threading
import time
import tracemalloc
from typing import Iterator, List

import pytest

from tiktok.sandbox import BIG_USER_ID, Sandbox
from tiktok.sandbox._handlers import MAX_STICKER_IDS, MAX_TEXT
from tiktok.sandbox._limits import Limits
from tiktok.sandbox._state import (
    MAX_COMMENTS,
    MAX_FOLLOWING,
    MAX_LIKED,
    MAX_ROOMS,
    MAX_SESSIONS,
    State,
)
from tiktok.sandbox._world import World

from ._wire import decoded, login, make_dispatcher, send, target

MAX_BODY = Limits().max_body
WAIT = 10.0  # the longest any read here may block


def talk(port: int, raw: bytes) -> bytes:
    """Send ``raw``, then read until the server closes (or ``WAIT`` passes)."""
    with socket.create_connection(("127.0.0.1", port), timeout=WAIT) as sock:
        sock.sendall(raw)
        received = b""
        while True:
            data = sock.recv(65536)
            if not data:
                return received
            received += data


def status_of(answer: bytes) -> int:
    assert answer.startswith(b"HTTP/1.1 "), answer[:80]
    return int(answer[9:12])


SIGNED = target("aweme/v1/fancy/qrcode/info/", "schema_type=4&object_id=1").encode()
MALFORMED = {
    "garbage request line": (b"GARBAGE\r\n\r\n", 400),
    "method only": (b"GET\r\n\r\n", 400),
    "four words": (b"GET / HTTP/1.1 extra\r\n\r\n", 400),
    "unknown version": (b"GET / HTTP/9.9\r\n\r\n", 505),
    "unknown method": (b"BREW / HTTP/1.1\r\n\r\n", 501),
    "header without colon": (b"GET / HTTP/1.1\r\nno colon here\r\n\r\n", 400),
    "too many headers": (b"GET / HTTP/1.1\r\n" + b"X-A: b\r\n" * 150 + b"\r\n", 431),
    "header line too long": (b"GET / HTTP/1.1\r\nX-A: " + b"a" * 70_000 + b"\r\n\r\n", 431),
    "request line too long": (b"GET /" + b"a" * 70_000 + b" HTTP/1.1\r\n\r\n", 414),
    "negative length": (b"POST " + SIGNED + b" HTTP/1.1\r\nContent-Length: -5\r\n\r\n", 400),
    "length not a number": (b"POST / HTTP/1.1\r\nContent-Length: abc\r\n\r\n", 400),
    "two lengths": (b"POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab", 400),
    "a list of lengths": (b"POST / HTTP/1.1\r\nContent-Length: 1, 2\r\n\r\nab", 400),
    "length over the limit": (
        b"POST / HTTP/1.1\r\nContent-Length: %d\r\n\r\n" % (MAX_BODY + 1),
        413,
    ),
    "length and chunked": (
        b"POST / HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        400,
    ),
    "unknown transfer coding": (b"POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n", 501),
    "chunk size -1": (b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n-1\r\n", 400),
    "chunk size not hex": (b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 400),
    "chunk size line too long": (
        b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1;" + b"x" * 10_000 + b"\r\n",
        400,
    ),
    "chunk over the limit": (
        b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n%x\r\n" % (MAX_BODY + 1),
        413,
    ),
    "chunks over the limit": (
        b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
        + (b"10000\r\n" + b"a" * 0x10000 + b"\r\n") * (MAX_BODY // 0x10000)
        + b"1\r\n",
        413,
    ),
    "chunk without its line end": (
        b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabcd\r\n0\r\n\r\n",
        400,
    ),
}


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    with Sandbox(seed=0) as sb:
        yield sb


@pytest.mark.parametrize("name", sorted(MALFORMED))
def test_a_malformed_request_gets_its_4xx_and_one_log_line(
    name: str,
    sandbox: Sandbox,
    caplog: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
) -> None:
    raw, expected = MALFORMED[name]
    with caplog.at_level(logging.DEBUG, logger="tiktok.sandbox"):
        answer = talk(sandbox.port, raw)
    assert status_of(answer) == expected
    assert answer.count(b"HTTP/1.1 ") == 1  # nothing after it was taken for a request
    assert b"Connection: close" in answer
    lines = [r for r in caplog.records if r.name.startswith("tiktok.sandbox")]
    assert len(lines) == 1, [r.getMessage() for r in lines]
    assert f"-> {expected}" in lines[0].getMessage()
    assert lines[0].exc_info is None
    assert "Traceback" not in capfd.readouterr().err


def test_a_negative_length_body_is_not_read_as_a_second_request(sandbox: Sandbox) -> None:
    second = b"GET " + target("aweme/v1/user/", "user_id=1").encode() + b" HTTP/1.1\r\n\r\n"
    answer = talk(sandbox.port, b"POST / HTTP/1.1\r\nContent-Length: -5\r\n\r\n" + second)
    assert status_of(answer) == 400
    assert answer.count(b"HTTP/1.1 ") == 1
    assert sandbox.stats["requests"] == 0  # neither reached the API


def test_a_chunk_of_size_minus_one_reads_nothing_more() -> None:
    # It once meant rfile.read(-1): everything the peer sent until it closed, into memory.
    with Sandbox() as sandbox, socket.create_connection(("127.0.0.1", sandbox.port)) as sock:
        sock.settimeout(WAIT)
        tracemalloc.start()
        try:
            sock.sendall(b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n-1\r\n")
            answer = sock.recv(65536)
            with contextlib.suppress(OSError):  # the server may have closed already
                for _ in range(64):
                    sock.sendall(b"x" * 65536)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert status_of(answer) == 400
    assert peak < MAX_BODY  # not the 4 MiB sent after it


def test_a_chunked_body_within_the_limit_is_read_whole(sandbox: Sandbox) -> None:
    form = b"schema_type=4&object_id=42"
    raw = (
        b"POST " + SIGNED + b" HTTP/1.1\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
        b"%x;ext=1\r\n%s\r\n0\r\nX-Trailer: 1\r\n\r\n" % (len(form), form)
    )
    answer = talk(sandbox.port, raw)
    assert status_of(answer) == 200
    assert json.loads(answer.split(b"\r\n\r\n", 1)[1])["qrcode_url"]["uri"].endswith("/1")


# -- connections ------------------------------------------------------------------------


def test_an_idle_connection_is_closed() -> None:
    with Sandbox(idle_timeout=0.2) as sandbox:
        for opening in (
            b"",
            b"GET / HTTP/1.1\r\n",
            b"POST / HTTP/1.1\r\nContent-Length: 9\r\n\r\n",
        ):
            with socket.create_connection(("127.0.0.1", sandbox.port), timeout=WAIT) as sock:
                sock.sendall(opening)
                assert sock.recv(100) == b""  # closed by the server, not timed out here


def test_slow_senders_are_cut_at_the_request_deadline_and_free_their_slots() -> None:
    # Four peers fill every slot, each sending its request a byte every 50 ms: each byte
    # resets the idle timeout, so without a deadline on the whole request they would hold
    # the slots for the 10 s their requests take, and everyone else would get 503.
    idle, gap, length = 0.5, 0.05, 200
    planned = gap * length
    with Sandbox(max_connections=4, idle_timeout=idle) as sandbox:
        cut: List[float] = []
        started = time.monotonic()

        def slow_sender() -> None:
            with socket.create_connection(("127.0.0.1", sandbox.port), timeout=WAIT) as sock:
                try:
                    sock.sendall(b"GET / HTTP/1.1\r\nX-Slow: ")
                    for _ in range(length):
                        sock.sendall(b"x")
                        time.sleep(gap)
                except OSError:  # reset by the server: cut
                    cut.append(time.monotonic() - started)
                    return
                with contextlib.suppress(OSError):
                    if sock.recv(100) == b"":
                        cut.append(time.monotonic() - started)

        senders = [threading.Thread(target=slow_sender) for _ in range(4)]
        for sender in senders:
            sender.start()
        time.sleep(4 * gap)  # every sender holds its slot now
        served_after = None
        while time.monotonic() - started < planned:
            answer = talk(sandbox.port, b"GET / HTTP/1.1\r\nConnection: close\r\n\r\n")
            if not answer.startswith(b"HTTP/1.1 503"):
                served_after = time.monotonic() - started
                break
            time.sleep(gap)
        for sender in senders:
            sender.join(planned + WAIT)
    # Ratios against what the senders planned, not bare numbers.
    assert served_after is not None and served_after < planned / 4
    assert len(cut) == 4 and max(cut) < planned / 4


def test_connections_beyond_the_bound_get_503_and_no_thread() -> None:
    before = threading.active_count()
    with Sandbox(max_connections=4) as sandbox:
        held: List[socket.socket] = []
        try:
            for _ in range(4):  # answered once, then idle on keep-alive: each holds a thread
                sock = socket.create_connection(("127.0.0.1", sandbox.port), timeout=WAIT)
                held.append(sock)
                request = b"GET " + target("aweme/v1/user/", "user_id=1").encode()
                sock.sendall(request + b" HTTP/1.1\r\n\r\n")
                assert sock.recv(65536).startswith(b"HTTP/1.1 200")
            extra = [socket.create_connection(("127.0.0.1", sandbox.port)) for _ in range(50)]
            for sock in extra:
                sock.settimeout(WAIT)
                assert sock.recv(200).startswith(b"HTTP/1.1 503")
                sock.close()
            # the serving thread, the 4 connections, this test's: nothing per refused peer
            assert threading.active_count() <= before + 1 + 4
            held.pop().close()  # a slot comes free once the server sees the close
            deadline = time.monotonic() + WAIT
            while time.monotonic() < deadline:
                answer = talk(sandbox.port, b"GET / HTTP/1.1\r\nConnection: close\r\n\r\n")
                if not answer.startswith(b"HTTP/1.1 503"):
                    break
            assert status_of(answer) == 200  # unsigned: the API's empty answer
        finally:
            for sock in held:
                sock.close()


# -- what one request may make the sandbox build -----------------------------------------------


def refusal(body: bytes) -> str:
    data = json.loads(body)
    assert data["status_code"] == 2, data
    assert isinstance(data["status_msg"], str)
    return str(data["status_msg"])


@pytest.mark.parametrize(
    "path, query",
    [
        ("aweme/v1/user/", "user_id=" + "9" * 5000),
        ("aweme/v1/user/", "user_id=" + "1" * 21),
        ("aweme/v1/aweme/detail/", "aweme_id=" + "7" * 4000),
        ("aweme/v1/comment/list/", "aweme_id=1&cursor=" + "1" * 5000),
        ("aweme/v1/comment/list/", "aweme_id=1&count=" + "9" * 30),
        ("aweme/v1/user/follower/list/", f"user_id={BIG_USER_ID}&max_time=-" + "9" * 5000),
        ("aweme/v1/sticker/detail/", "sticker_ids=1," + "2" * 5000),
        ("aweme/v1/discover/search/", "keyword=" + "a" * 101),
        ("aweme/v1/challenge/search/", "keyword=" + "a" * 101),
    ],
    ids=["5000-digit id", "21-digit id", "4000-digit id", "5000-digit cursor", "huge count",
         "huge negative time", "huge sticker id", "long user keyword", "long hashtag keyword"],
)  # fmt: skip
def test_absurd_values_get_the_apis_own_error(
    path: str, query: str, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG, logger="tiktok.sandbox"):
        outcome = send(make_dispatcher(), path, query)
    assert outcome.status == 200
    assert "invalid parameter" in refusal(outcome.body)
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


def test_deeply_nested_json_in_the_query_or_to_sign_is_refused_not_a_500(sandbox: Sandbox) -> None:
    deep = "[" * 1100
    outcome = send(make_dispatcher(), "aweme/v1/multi/aweme/detail/", "", method="POST",
                   body=f"aweme_ids={deep}".encode(),
                   headers={"content-type": "application/x-www-form-urlencoded"})  # fmt: skip
    assert "invalid parameter" in refusal(outcome.body)
    body = b"[" * 200_000
    raw = b"POST /sign HTTP/1.1\r\nContent-Length: %d\r\nConnection: close\r\n\r\n" % len(body)
    assert status_of(talk(sandbox.port, raw + body)) == 400


def test_one_request_cannot_make_a_huge_answer(sandbox: Sandbox) -> None:
    ids = ",".join(["6800000000000000002"] * 50_000).encode()  # about 1 MB, within the body limit
    form = b"sticker_ids=" + ids
    raw = b"GET " + target("aweme/v1/sticker/detail/").encode() + b" HTTP/1.1\r\n"
    raw += b"Content-Length: %d\r\nConnection: close\r\n\r\n%s" % (len(form), form)
    answer = talk(sandbox.port, raw)
    assert status_of(answer) == 200
    body = answer.split(b"\r\n\r\n", 1)[1]
    assert "sticker_ids is longer than" in refusal(body)
    assert len(body) < 1000
    many = ",".join(["1"] * (MAX_STICKER_IDS + 1))
    one_too_many = send(make_dispatcher(), "aweme/v1/sticker/detail/", f"sticker_ids={many}")
    assert f"at most {MAX_STICKER_IDS}" in refusal(one_too_many.body)
    allowed = ",".join(["6800000000000000002"] * MAX_STICKER_IDS)
    kept = decoded(send(make_dispatcher(), "aweme/v1/sticker/detail/", f"sticker_ids={allowed}"))
    assert len(kept["sticker_infos"]) == MAX_STICKER_IDS


@pytest.mark.parametrize(
    "body, content_type",
    [
        (b"[" * 500_000, "application/json"),
        (b'{"params": {' + b",".join(b'"k%d": 1' % n for n in range(5000)) + b"}}", "application/json"),
        (b"&".join(b"k%d=1" % n for n in range(50_000)), "application/x-www-form-urlencoded"),
    ],
    ids=["deep json", "many json fields", "many form fields"],
)  # fmt: skip
def test_hostile_request_bodies_are_refused_or_ignored(body: bytes, content_type: str) -> None:
    outcome = send(
        make_dispatcher(),
        "aweme/v1/user/",
        f"user_id={BIG_USER_ID}",
        body=body,
        headers={"content-type": content_type},
    )
    assert outcome.status == 200
    data = json.loads(outcome.body)
    assert data["status_code"] in (0, 2)  # ignored (not an object) or refused, never a 500


def test_comments_are_bounded_in_size() -> None:
    dispatcher = make_dispatcher()
    session = login(dispatcher)
    path = "aweme/v1/comment/publish/"
    text = "x" * (MAX_TEXT + 1)
    too_long = send(dispatcher, path, "", method="POST", body=f"aweme_id=1&text={text}".encode(),
                    headers={**session, "content-type": "application/x-www-form-urlencoded"})  # fmt: skip
    assert "longer than" in refusal(too_long.body)
    tags = json.dumps([{"start": 0, "end": 1, "type": 0}] * 21)
    many_tags = send(dispatcher, path, "", method="POST",
                     body=f"aweme_id=1&text=hi&text_extra={tags}".encode(),
                     headers={**session, "content-type": "application/x-www-form-urlencoded"})  # fmt: skip
    assert "at most 20" in refusal(many_tags.body)
    nested = json.dumps([{"start": {"deep": [1] * 1000}}])
    deep_tag = send(dispatcher, path, "", method="POST",
                    body=f"aweme_id=1&text=hi&text_extra={nested}".encode(),
                    headers={**session, "content-type": "application/x-www-form-urlencoded"})  # fmt: skip
    assert "plain values" in refusal(deep_tag.body)


# -- state stays flat --------------------------------------------------------------------------


def test_state_keeps_at_most_its_bounds_evicting_the_oldest() -> None:
    state = State(World(0), clock=lambda: 1_700_000_000.0)
    first_session, first_token = state.login()
    for _ in range(MAX_SESSIONS):
        state.login()
    assert not state.is_session(first_session, first_token)
    for n in range(MAX_COMMENTS + 10):
        state.add_comment(n % 7, f"comment {n}", [])
    kept = [c.text for post in range(7) for c in state.comments(post)]
    assert len(kept) == MAX_COMMENTS
    assert "comment 9" not in kept and f"comment {MAX_COMMENTS + 9}" in kept
    for aweme_id in range(MAX_LIKED + 5):
        state.set_liked(aweme_id, True)
    assert state.liked_count() == MAX_LIKED
    assert not state.likes(0) and state.likes(MAX_LIKED + 4)
    for uid in range(MAX_FOLLOWING + 5):
        state.follow(10**12 + uid)
    assert len(state.followed_users()) == MAX_FOLLOWING
    assert state.follows(10**12 + MAX_FOLLOWING + 4) and not state.follows(10**12)
    rooms = [state.create_room("r", 0).room_id for _ in range(MAX_ROOMS + 1)]
    assert state.room(rooms[0]) is None and state.room(rooms[-1]) is not None


def test_a_long_running_sandbox_stays_flat() -> None:
    """Once every bound is reached, more rounds of the largest writes add nothing."""
    state = State(World(0), clock=lambda: 1_700_000_000.0)
    text = "y" * MAX_TEXT
    tags = [{"start": 0, "end": 1, "type": 0, "user_id": "1" * 20}] * 20
    writes = max(MAX_COMMENTS, MAX_LIKED, MAX_FOLLOWING, MAX_SESSIONS, MAX_ROOMS)

    def round_of_writes(start: int) -> None:
        for n in range(start, start + writes):
            if n % (writes // MAX_COMMENTS) == 0:
                state.add_comment(n, text + str(n), list(tags))
            if n % (writes // MAX_SESSIONS) == 0:
                state.login()
                state.create_room(text, 0)
            state.set_liked(n, True)
            state.follow(10**12 + n)

    tracemalloc.start()
    try:
        round_of_writes(0)  # every bound reached
        round_of_writes(writes)  # and the tables sized for their churn
        two_rounds = tracemalloc.get_traced_memory()[0]
        for start in range(2, 5):
            round_of_writes(start * writes)
        five_rounds = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    assert five_rounds < two_rounds * 1.05
