"""The sandbox's live rooms: FLV and HLS a real decoder reads, drops, stalls, an end, room info.

Streams are read here with http.client and decoded with PyAV (FFmpeg), never
with the client's own parser: the sandbox is checked against the formats.
"""

from __future__ import annotations

import http.client
import io
import json
import time
from typing import Any, Dict, Iterator, List, Tuple

import pytest

from tiktok.sandbox import Sandbox
from tiktok.sandbox._live import (
    FLV_HEADER,
    MP3_FRAME_BYTES,
    SEGMENT_FRAMES,
    flv_tags,
    mp3_segment,
)

from ._wire import target

av = pytest.importorskip("av", reason="PyAV (the test extra) decodes the streams")


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    with Sandbox(seed=0) as sb:
        yield sb


def fetch(sandbox: Sandbox, path: str) -> Tuple[int, Dict[str, str], bytes, bool]:
    """Status, headers, body and whether the body ended cleanly (False: cut)."""
    connection = http.client.HTTPConnection("127.0.0.1", sandbox.port, timeout=10)
    connection.request("GET", "/" + path)
    response = connection.getresponse()
    headers = {name.lower(): value for name, value in response.getheaders()}
    try:
        return response.status, headers, response.read(), True
    except http.client.IncompleteRead as cut:
        return response.status, headers, cut.partial, False
    finally:
        connection.close()


def room_info(sandbox: Sandbox, room_id: int) -> Dict[str, Any]:
    connection = http.client.HTTPConnection("127.0.0.1", sandbox.port, timeout=10)
    connection.request("GET", target("webcast/room/info/", f"room_id={room_id}"))
    body = json.loads(connection.getresponse().read())
    connection.close()
    return body  # type: ignore[no-any-return]


def video_times(data: bytes) -> List[float]:
    with av.open(io.BytesIO(data), format="flv") as container:
        kinds = sorted(s.codec_context.name for s in container.streams)
        assert kinds == ["flashsv", "pcm_s16le"]
        return [frame.time for frame in container.decode(video=0)]


def test_generated_flv_decodes_frame_by_frame() -> None:
    data = FLV_HEADER + b"".join(flv_tags(frame) for frame in range(50))
    times = video_times(data)
    assert times == pytest.approx([n * 0.04 for n in range(50)])
    with av.open(io.BytesIO(data), format="flv") as container:
        samples = sum(frame.samples for frame in container.decode(audio=0))
    assert samples == 50 * 441  # 40 ms of 11025 Hz a tag


def test_a_broadcast_streams_flv_to_its_end_and_its_status_turns_to_four(sandbox: Sandbox) -> None:
    room = sandbox.go_live(duration=2.0, speed=20)
    assert room_info(sandbox, room.room_id)["data"]["status"] == 2
    status, headers, body, clean = fetch(sandbox, f"live/stream/{room.room_id}/hd.flv")
    assert (status, headers["transfer-encoding"], clean) == (200, "chunked", True)
    times = video_times(body)
    assert times[0] == 0 and times[-1] == pytest.approx(1.96)
    assert len(times) == 50 and times == sorted(set(times))
    answer = room_info(sandbox, room.room_id)["data"]
    assert answer["status"] == 4 and answer["stream_url"] == {}
    assert fetch(sandbox, f"live/stream/{room.room_id}/hd.flv")[0] == 404


def test_a_drop_cuts_the_body_and_a_new_connection_starts_with_recent_frames(
    sandbox: Sandbox,
) -> None:
    room = sandbox.go_live(duration=6.0, speed=10, drops=(1.0,))
    _, _, first, clean = fetch(sandbox, f"live/stream/{room.room_id}/ld.flv")
    assert not clean  # no last chunk: a broken stream, not an end
    before = video_times(first)
    assert before[-1] < 1.0
    _, _, second, clean = fetch(sandbox, f"live/stream/{room.room_id}/ld.flv")
    after = video_times(second)
    assert clean and after[-1] == pytest.approx(5.96)
    # The latest frames come again first (a CDN's cache): they overlap what came before.
    assert after[0] <= before[-1]


def test_a_stall_sends_nothing_for_a_while_then_cuts(sandbox: Sandbox) -> None:
    room = sandbox.go_live(duration=30.0, speed=10, stalls=((0.5, 1.0),))
    started = time.monotonic()
    _, _, body, clean = fetch(sandbox, f"live/stream/{room.room_id}/sd.flv")
    assert not clean and time.monotonic() - started >= 1.0
    assert video_times(body)[-1] < 0.5 + 0.04
    room.end()


def test_room_info_names_every_stream_source(sandbox: Sandbox) -> None:
    room = sandbox.go_live(duration=60.0)
    data = room_info(sandbox, room.room_id)["data"]
    assert data["id_str"] == str(room.room_id) and data["owner"]["uid"] == str(room.owner)
    urls = data["stream_url"]
    assert set(urls["flv_pull_url"]) == {"FULL_HD1", "HD1", "SD1", "SD2"}
    streams = json.loads(urls["live_core_sdk_data"]["pull_data"]["stream_data"])["data"]
    assert set(streams) == {"origin", "hd", "sd", "ld"}
    params = json.loads(streams["hd"]["main"]["sdk_params"])
    assert params["vbitrate"] == 2_000_000 and params["VCodec"] == "h264"
    assert streams["hd"]["main"]["flv"].endswith(f"/{room.room_id}/hd.flv")
    room.end()
    assert room_info(sandbox, 12345)["status_code"] == 30003


def test_the_owner_keeps_naming_the_room_after_it_ends(sandbox: Sandbox) -> None:
    owner = 6_800_000_000_000_002_222
    room = sandbox.go_live(owner, duration=60.0)
    room.end()
    connection = http.client.HTTPConnection("127.0.0.1", sandbox.port, timeout=10)
    connection.request("GET", target("aweme/v1/user/", f"user_id={owner}"))
    user = json.loads(connection.getresponse().read())["user"]
    assert user["room_id"] == room.room_id  # a stale flag: only room info's status is true
    assert room_info(sandbox, room.room_id)["data"]["status"] == 4


def test_hls_segments_advance_in_order_and_decode(sandbox: Sandbox) -> None:
    room = sandbox.go_live(duration=3.6, speed=6, flv=False)
    assert fetch(sandbox, f"live/stream/{room.room_id}/hd.flv")[0] == 404
    while room.status != 4:  # the broadcast ends 0.6 s after it began
        time.sleep(0.02)
    _, headers, body, _ = fetch(sandbox, f"live/stream/{room.room_id}/hd/index.m3u8")
    lines = body.decode().splitlines()
    assert headers["content-type"] == "application/vnd.apple.mpegurl"
    assert lines[0] == "#EXTM3U" and "#EXT-X-MEDIA-SEQUENCE:0" in lines
    assert lines[-1] == "#EXT-X-ENDLIST"
    segments = [line for line in lines if not line.startswith("#")]
    assert segments == ["0.mp3", "1.mp3", "2.mp3"]
    whole = b"".join(
        fetch(sandbox, f"live/stream/{room.room_id}/hd/{name}")[2] for name in segments
    )
    assert whole == b"".join(mp3_segment(n) for n in range(3))
    numbers = [
        int.from_bytes(whole[at + 21 : at + 29], "big")
        for at in range(0, len(whole), MP3_FRAME_BYTES)
    ]
    assert numbers == list(range(3 * SEGMENT_FRAMES))
    with av.open(io.BytesIO(whole), format="mp3") as container:
        frames = list(container.decode(audio=0))
    assert len(frames) == 3 * SEGMENT_FRAMES and frames[0].sample_rate == 48_000


def test_go_live_refuses_what_cannot_be_broadcast(sandbox: Sandbox) -> None:
    with pytest.raises(ValueError, match="duration"):
        sandbox.go_live(duration=0)
    with pytest.raises(ValueError, match="speed"):
        sandbox.go_live(speed=-1)
    with pytest.raises(ValueError, match="flv or hls"):
        sandbox.go_live(flv=False, hls=False)
