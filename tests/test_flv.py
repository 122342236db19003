"""FlvWriter: whole tags only, one header, reconnections continued in time, flat memory.

Tags are built here from Adobe's FLV specification (annex E), not with the
sandbox's generator or the package's writer.
"""

from __future__ import annotations

import io
import tracemalloc
from typing import List, Tuple

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tiktok._flv import FlvError, FlvWriter

HEADER = b"FLV\x01\x05\x00\x00\x00\x09\x00\x00\x00\x00"


def tag(kind: int, ms: int, body: bytes) -> bytes:
    head = bytes([kind]) + len(body).to_bytes(3, "big") + (ms & 0xFFFFFF).to_bytes(3, "big")
    head += bytes([ms >> 24]) + b"\0\0\0"
    return head + body + (11 + len(body)).to_bytes(4, "big")


def video(ms: int, size: int = 30) -> bytes:
    return tag(9, ms, b"\x13" + bytes(size))


def audio(ms: int) -> bytes:
    return tag(8, ms, b"\x36" + bytes(20))


def script() -> bytes:
    return tag(18, 0, b"\x02\x00\x0aonMetaData\x08\x00\x00\x00\x00\x00\x00\x09")


def stream(first_ms: int, count: int, step: int = 40) -> bytes:
    return (
        HEADER
        + script()
        + b"".join(video(first_ms + n * step) + audio(first_ms + n * step) for n in range(count))
    )


def parse(data: bytes) -> List[Tuple[int, int]]:
    """(kind, ms) of every tag of a whole file; fails on a second header or a cut tag."""
    assert data[:3] == b"FLV" and data[9:13] == b"\0\0\0\0"
    position, tags = 13, []
    while position < len(data):
        size = int.from_bytes(data[position + 1 : position + 4], "big")
        end = position + 11 + size + 4
        assert end <= len(data), "a tag cut in half"
        assert int.from_bytes(data[end - 4 : end], "big") == 11 + size
        ms = int.from_bytes(data[position + 4 : position + 7], "big") | data[position + 7] << 24
        tags.append((data[position] & 0x1F, ms))
        position = end
    return tags


def record(*connections: bytes, max_bytes: int = 0) -> Tuple[FlvWriter, bytes]:
    out = io.BytesIO()
    writer = FlvWriter(out, max_bytes or None)
    for data in connections:
        writer.start()
        writer.feed(data)
    return writer, out.getvalue()


@settings(max_examples=60, deadline=None)
@given(cuts=st.lists(st.integers(1, 2000), max_size=30))
def test_any_split_of_the_bytes_writes_the_same_whole_tags(cuts: List[int]) -> None:
    data = stream(0, 25)
    out = io.BytesIO()
    writer = FlvWriter(out)
    writer.start()
    position = 0
    for cut in sorted(cuts):
        writer.feed(data[position:cut])
        position = max(position, cut)
        parse(out.getvalue() or HEADER)  # whole tags at every moment
    writer.feed(data[position:])
    assert out.getvalue() == data
    assert writer.seconds == pytest.approx(0.96) and writer.size == len(data)


def test_a_reconnection_continuing_the_clock_skips_what_was_written() -> None:
    # The second connection starts 1 s back (a CDN's cache) and goes on to 3 s.
    writer, data = record(stream(0, 50), stream(1000, 50))
    tags = parse(data)
    assert data.count(b"FLV") == 1 and tags.count((18, 0)) == 1
    videos = [ms for kind, ms in tags if kind == 9]
    assert videos == [n * 40 for n in range(75)]  # none twice, none lost
    assert writer.seconds == pytest.approx(2.96)


def test_a_reconnection_that_restarts_its_clock_is_moved_after_the_file() -> None:
    _, data = record(stream(60_000, 50), stream(0, 25))
    videos = [ms for kind, ms in parse(data) if kind == 9]
    assert videos[:50] == [60_000 + n * 40 for n in range(50)]
    assert videos[50] == 61_961 and videos[-1] == 61_961 + 24 * 40
    assert videos == sorted(set(videos))


def test_a_gap_in_time_is_kept_as_it_was() -> None:
    _, data = record(stream(0, 10), stream(10_000, 10))
    videos = [ms for kind, ms in parse(data) if kind == 9]
    assert videos[9:11] == [360, 10_000]


def test_a_codec_configuration_is_written_once_unless_it_changes() -> None:
    def avc(ms: int, config: bytes) -> bytes:
        return tag(9, ms, b"\x17\x00\x00\x00\x00" + config)

    def frames(start: int) -> bytes:
        return b"".join(tag(9, start + n * 40, b"\x27\x01" + bytes(8)) for n in range(3))

    first = HEADER + avc(0, b"SPS-A") + frames(0)
    same = HEADER + avc(0, b"SPS-A") + frames(40)
    changed = HEADER + avc(0, b"SPS-B") + frames(120)
    _, data = record(first, same, changed)
    configs = [data.count(b"SPS-A"), data.count(b"SPS-B")]
    assert configs == [1, 1]
    videos = [ms for kind, ms in parse(data) if kind == 9]
    assert videos == sorted(videos)  # the new configuration sits where it was met


def test_max_bytes_stops_before_a_tag_that_would_pass_it() -> None:
    data = stream(0, 100)
    writer, written = record(data, max_bytes=5000)
    assert writer.full and len(written) <= 5000
    assert written == data[: len(written)] and len(data) > len(written) > 5000 - 200
    parse(written)


@pytest.mark.parametrize(
    "data",
    [b"<html>", b"FLV\x01\x05\xff\xff\xff\xff", HEADER + video(0)[:-4] + b"\0\0\0\x01"],
)
def test_bytes_that_are_not_flv_are_an_error(data: bytes) -> None:
    writer = FlvWriter(io.BytesIO())
    writer.start()
    with pytest.raises(FlvError):
        writer.feed(data)


class Nothing:
    def write(self, data: bytes) -> int:
        return len(data)


def test_memory_stays_flat_whatever_the_length() -> None:
    writer = FlvWriter(Nothing())
    writer.start()
    writer.feed(HEADER)
    chunk = b"".join(video(n * 40, 4000) + audio(n * 40) for n in range(16))  # about 64 KiB
    tracemalloc.start()
    try:
        for round in range(320):  # 20 MiB
            body = bytearray()
            for n in range(16):
                ms = (round * 16 + n) * 40
                body += video(ms, 4000) + audio(ms)
            writer.feed(bytes(body[:3000]))
            writer.feed(bytes(body[3000:]))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert writer.size > 20 * len(chunk) * 15
    assert peak < 1_000_000
