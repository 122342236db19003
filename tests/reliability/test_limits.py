"""Every call bounded (docs/errors.rst (Limits and waits)): deadline and max_body.

Real servers on 127.0.0.1 send what a hostile or broken server would: a gzip
bomb, an endless chunked body, a body a byte at a time. Each test is bounded in
time, and the bomb's memory is measured.
"""

from __future__ import annotations

import gzip
import json
import time
import tracemalloc
from http.server import BaseHTTPRequestHandler
from typing import List

import pytest

import tiktok

from ._scripted import ScriptServer, Waits, drip, make_client, ok, status

USER_BODY = {"status_code": 0, "user": {"uid": "42", "nickname": "someone"}}
MiB = 1024 * 1024


def gzip_bomb(expanded: int) -> bytes:
    return gzip.compress(b"\0" * expanded, compresslevel=9)


BOMB = gzip_bomb(256 * MiB)  # about 250 KiB on the wire


def send_bomb(handler: BaseHTTPRequestHandler) -> None:
    handler.send_response(200)
    handler.send_header("Content-Encoding", "gzip")
    handler.send_header("Content-Length", str(len(BOMB)))
    handler.end_headers()
    handler.wfile.write(BOMB)


def send_endless_chunks(handler: BaseHTTPRequestHandler) -> None:
    handler.send_response(200)
    handler.send_header("Transfer-Encoding", "chunked")
    handler.end_headers()
    chunk = b"x" * 65536
    frame = f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n"
    for _ in range(10_000):  # 640 MiB if nobody stops reading
        handler.wfile.write(frame)


send_a_byte_at_a_time = drip(json.dumps(USER_BODY).encode(), 0.1)  # 8 s for the whole body


def test_a_gzip_bomb_stops_at_max_body_in_small_memory(hostile) -> None:
    server = hostile(send_bomb)
    client = make_client(server.url, retries=3, max_body=4 * MiB, clock=Waits().clock())
    tracemalloc.start()
    try:
        started = time.monotonic()
        with pytest.raises(tiktok.BodyTooLargeError) as caught:
            client.users.get("42")
        elapsed = time.monotonic() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "max_body" in str(caught.value) and str(4 * MiB) in str(caught.value)
    assert isinstance(caught.value, tiktok.DecodeError)
    assert server.hits == 1  # not retried: the same body would come back
    assert peak < 3 * 4 * MiB, f"peak {peak / MiB:.1f} MiB for a 4 MiB limit"
    assert elapsed < 10


def test_an_endless_chunked_body_stops_at_max_body(hostile) -> None:
    server = hostile(send_endless_chunks)
    client = make_client(server.url, retries=1, max_body=2 * MiB)
    with pytest.raises(tiktok.BodyTooLargeError):
        client.users.get("42")
    assert server.hits == 1


@pytest.mark.parametrize("encoding", ["identity", "gzip"])
def test_max_body_counts_the_decompressed_bytes_exactly(
    server: ScriptServer, encoding: str
) -> None:
    body = json.dumps(USER_BODY).encode()
    wire = gzip.compress(body) if encoding == "gzip" else body
    headers = {"Content-Encoding": "gzip"} if encoding == "gzip" else {}
    server.script(ok(wire, **headers))
    assert make_client(server.url, max_body=len(body)).users.get("42").uid == "42"
    with pytest.raises(tiktok.BodyTooLargeError):
        make_client(server.url, max_body=len(body) - 1).users.get("42")


def test_a_gzip_body_that_is_cut_is_retried_then_a_decode_error(server: ScriptServer) -> None:
    wire = gzip.compress(json.dumps(USER_BODY).encode())
    server.script(ok(wire[:-12], **{"Content-Encoding": "gzip"}), ok(USER_BODY))
    assert make_client(server.url, retries=1).users.get("42").uid == "42"
    server.script(ok(wire[:-12], **{"Content-Encoding": "gzip"}))
    with pytest.raises(tiktok.DecodeError) as caught:
        make_client(server.url, retries=1).users.get("42")
    assert "decompress" in str(caught.value)
    assert len(server.hits) == 2


def test_an_encoding_we_did_not_ask_for_is_a_decode_error(server: ScriptServer) -> None:
    server.script(ok(b"\x1b\x00", **{"Content-Encoding": "br"}))
    with pytest.raises(tiktok.DecodeError, match="Content-Encoding"):
        make_client(server.url, retries=2).users.get("42")
    assert len(server.hits) == 1


def test_a_body_sent_a_byte_at_a_time_ends_at_the_deadline(hostile) -> None:
    server = hostile(send_a_byte_at_a_time)
    client = make_client(server.url, retries=3, timeout=5.0, deadline=1.0)
    started = time.monotonic()
    with pytest.raises(tiktok.DeadlineExceededError) as caught:
        client.users.get("42")
    elapsed = time.monotonic() - started
    assert 0.9 <= elapsed < 2.0
    assert "deadline of 1s" in str(caught.value)
    assert isinstance(caught.value, tiktok.TransportError)
    assert server.hits == 1


def test_a_silent_server_ends_at_the_deadline_not_at_retries_times_timeout(hostile) -> None:
    server = hostile(lambda handler: time.sleep(3))
    client = make_client(server.url, retries=3, timeout=2.0, deadline=0.5)
    started = time.monotonic()
    with pytest.raises(tiktok.DeadlineExceededError):
        client.users.get("42")
    assert time.monotonic() - started < 1.5
    assert server.hits == 1


def test_attempts_and_waits_fit_in_the_deadline(server: ScriptServer) -> None:
    # A fake clock that the waits advance: the loop must stop before a wait
    # that would end past the deadline, without sleeping it.
    server.script(status(503))
    now = [1000.0]
    waits: List[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        now[0] += seconds

    clock = tiktok.Clock(monotonic=lambda: now[0], sleep=sleep, random=lambda: 1.0)
    client = make_client(server.url, retries=10, backoff=2.0, deadline=20.0, clock=clock)
    with pytest.raises(tiktok.APIError) as caught:
        client.users.get("42")
    assert waits == [2.0, 4.0, 8.0]  # 14 s; the next 16 s would end past 20 s
    assert len(server.hits) == 4
    assert "deadline" in str(caught.value) and "4 attempts" in str(caught.value)
