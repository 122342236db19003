"""client.live.record against the sandbox's broadcasts, the file checked by a real decoder (PyAV).

The broadcasts run sped up (stream time passes ``speed`` times as fast); the
sandbox sends the last 3 s of frames again on each connection, so a
reconnection within that much stream time loses nothing: what the file must
hold is known exactly.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any, Iterator, List

import pytest

import tiktok
from tiktok.sandbox import SANDBOX_EMAIL, SANDBOX_PASSWORD, Sandbox

OWNER = 6_800_000_000_000_004_444
FRAME = 0.04  # the sandbox's FLV frames come every 40 ms
MP3_FRAME = 384  # and its HLS segments hold 384-byte MPEG audio frames, numbered


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    with Sandbox() as sb:
        yield sb


def decoded(path: Any) -> Any:
    av = pytest.importorskip("av", reason="PyAV (the test extra) checks the recorded file")
    return av.open(str(path))


def video_times(path: Any) -> List[float]:
    with decoded(path) as container:
        names = sorted(s.codec_context.name for s in container.streams)
        assert names == ["flashsv", "pcm_s16le"]
        return [frame.time for frame in container.decode(video=0)]


def test_a_recording_across_two_drops_plays_whole(sandbox: Sandbox, tmp_path: Path) -> None:
    client = sandbox.client(backoff=0.01)
    broadcast = sandbox.go_live(OWNER, duration=12.0, speed=4, drops=(3.0, 7.5))
    result = client.live.record(OWNER, tmp_path)
    assert (result.stopped_by, result.room_id) == ("ended", str(broadcast.room_id))
    assert result.reconnects >= 2 and result.stream.protocol == "flv"
    assert result.path is not None and Path(result.path).parent == tmp_path
    assert Path(result.path).name.endswith(f"-{broadcast.room_id}-" + Path(result.path).name[-19:])
    times = video_times(result.path)
    # Every frame of the 12 s once, in order: none lost, none twice.
    assert times == pytest.approx([n * FRAME for n in range(300)])
    with decoded(result.path) as container:
        assert container.duration / 1e6 == pytest.approx(12.0, abs=0.05)
        samples = sum(frame.samples for frame in container.decode(audio=0))
    assert samples == 300 * 441
    assert (
        result.seconds == pytest.approx(11.96) and result.size == Path(result.path).stat().st_size
    )


def test_nothing_of_the_api_session_reaches_the_stream_host(sandbox: Sandbox) -> None:
    client = sandbox.client(backoff=0.01)
    client.login_with_email(SANDBOX_EMAIL, SANDBOX_PASSWORD)
    assert client.credentials.token and len(client.credentials.cookies)
    broadcast = sandbox.go_live(OWNER + 1, duration=2.0, speed=8, drops=(1.0,))
    client.live.record(OWNER + 1, _Sink())
    for protocol in ("flv", "hls"):
        again = sandbox.go_live(OWNER + 1, duration=2.4, speed=8, flv=protocol == "flv")
        client.live.record(OWNER + 1, _Sink())
        assert again.requests
    requests = broadcast.requests + again.requests
    assert len(requests) >= 3
    token = client.credentials.token
    for path, headers in requests:
        assert "?" not in path  # no device params, no signature in the query
        assert set(headers) == {"host", "user-agent", "accept-encoding"}
        assert headers["user-agent"].startswith("com.zhiliaoapp.musically/")  # the client's
        assert not any(token in value or "sessionid" in value for value in headers.values())


class _Sink:
    """A binary file object that keeps nothing."""

    mode = "wb"

    def __init__(self) -> None:
        self.size = 0

    def write(self, data: bytes) -> int:
        self.size += len(data)
        return len(data)

    def flush(self) -> None:
        pass


def test_hls_segments_in_order_none_twice_across_a_drop(sandbox: Sandbox, tmp_path: Path) -> None:
    client = sandbox.client(backoff=0.01)
    sandbox.go_live(OWNER + 2, duration=6.0, speed=4, drops=(2.5,), flv=False)
    result = client.live.record(OWNER + 2, tmp_path)
    assert result.stream.protocol == "hls" and result.stopped_by == "ended"
    assert result.path is not None and result.path.endswith(".mp3")
    data = Path(result.path).read_bytes()
    numbers = [int.from_bytes(data[at + 21 : at + 29], "big") for at in range(0, len(data), 384)]
    assert numbers == list(range(len(numbers))) and len(numbers) == 250  # 5 segments of 50
    with decoded(result.path) as container:
        assert container.duration / 1e6 == pytest.approx(6.0, abs=0.05)
    assert result.seconds == pytest.approx(6.0)


def test_hls_when_asked_even_with_flv_there(sandbox: Sandbox) -> None:
    client = sandbox.client(backoff=0.01)
    sandbox.go_live(OWNER + 3, duration=2.4, speed=8)
    result = client.live.record(OWNER + 3, _Sink(), protocol="hls", quality="ld")
    assert (result.stream.protocol, result.stream.quality) == ("hls", "ld")


def test_limits_stop_it_with_a_file_that_plays(sandbox: Sandbox, tmp_path: Path) -> None:
    client = sandbox.client(backoff=0.01)
    broadcast = sandbox.go_live(OWNER + 4, duration=600, speed=20)
    by_time = client.live.record(OWNER + 4, tmp_path / "a.flv", max_seconds=2.0)
    assert by_time.stopped_by == "max_seconds" and 2.0 <= by_time.seconds < 2.2
    assert video_times(tmp_path / "a.flv")[-1] == pytest.approx(by_time.seconds)
    by_size = client.live.record(OWNER + 4, tmp_path / "b.flv", max_bytes=50_000)
    assert by_size.stopped_by == "max_bytes" and 45_000 < by_size.size <= 50_000
    assert (tmp_path / "b.flv").stat().st_size == by_size.size
    assert len(video_times(tmp_path / "b.flv")) > 10
    broadcast.end()


def test_a_stop_event_ends_it_at_once_and_the_file_plays(sandbox: Sandbox, tmp_path: Path) -> None:
    client = sandbox.client(backoff=0.01)
    broadcast = sandbox.go_live(OWNER + 5, duration=600, speed=5)
    stop = threading.Event()
    seen: List[float] = []

    def progress(size: int, seconds: float) -> None:
        seen.append(seconds)
        if seconds >= 1.0:
            stop.set()

    result = client.live.record(OWNER + 5, tmp_path, progress=progress, stop=stop)
    assert result.stopped_by == "stopped" and seen == sorted(seen)
    assert result.path is not None
    assert video_times(result.path)[-1] == pytest.approx(result.seconds)
    assert broadcast.status == 2  # the room goes on; we stopped


def test_a_stalled_stream_is_reached_again_after_the_read_timeout(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    client = sandbox.client(backoff=0.01, timeout=0.5)
    sandbox.go_live(OWNER + 6, duration=4.0, speed=4, stalls=((1.0, 2.0),))
    result = client.live.record(OWNER + 6, tmp_path)
    assert result.stopped_by == "ended" and result.reconnects >= 1
    times = video_times(result.path)
    assert times == sorted(set(times)) and times[-1] == pytest.approx(3.96)


def test_a_quality_the_room_lacks_says_which_it_has(sandbox: Sandbox) -> None:
    client = sandbox.client()
    broadcast = sandbox.go_live(OWNER + 7, duration=600)
    with pytest.raises(tiktok.NotLiveError) as raised:
        client.live.record(OWNER + 7, _Sink(), quality="uhd")
    assert "FULL_HD1, HD1, SD1, SD2, hd, ld, origin, sd" in raised.value.hint
    legacy = client.live.record(OWNER + 7, _Sink(), quality="SD2", max_seconds=0.5)
    assert legacy.stream.quality == "SD2" and legacy.stream.source == "flv_pull_url"
    for bad in ({"protocol": "rtmp"}, {"max_seconds": 0}, {"max_bytes": -1}):
        with pytest.raises(ValueError):
            client.live.record(OWNER + 7, _Sink(), **bad)
    with pytest.raises(TypeError, match="binary"):
        client.live.record(OWNER + 7, object())  # type: ignore[arg-type]
    broadcast.end()


def test_failed_connections_back_off_doubling_until_the_room_ends(
    device: tiktok.Device, rsps: Any, caplog: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    import logging

    webcast = "https://webcast.test/"
    stream = "https://cdn.test/live/origin.flv"
    live = {"id_str": "1", "status": 2, "stream_url": {"flv_pull_url": {"FULL_HD1": stream}}}
    for status in (2, 2, 2, 2, 2, 4):  # the first answer, then one after each failure
        rsps.get(
            webcast + "webcast/room/info/",
            json={"status_code": 0, "data": dict(live, status=status)},
        )
    rsps.get(stream, status=503)  # the CDN refuses every time
    client = tiktok.Client(
        device, lambda url, ts, device_id: url + "&as=x", webcast_url=webcast, backoff=0.01
    )
    with caplog.at_level(logging.INFO, "tiktok"):
        result = client.live.record(tiktok.Room(room_id="1"), tmp_path)
    waits = [line.split(" in ")[1] for line in caplog.messages if "reconnecting in" in line]
    assert waits == ["0.02s", "0.04s", "0.08s", "0.16s"]
    assert (result.stopped_by, result.size, result.path) == ("ended", 0, None)
    assert list(tmp_path.iterdir()) == []  # nothing came: no file
