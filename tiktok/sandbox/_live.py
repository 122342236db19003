"""The sandbox's live rooms: a synthetic broadcast as HTTP-FLV and as HLS, on a clock tests speed up.

Written by hand from the formats' specifications, independently of the client's
parser (docs/sandbox.rst (Live rooms)):

- HTTP-FLV (``live/stream/{room_id}/{quality}.flv``): the FLV header, an
  ``onMetaData`` script tag, then a video and an audio tag every 40 ms. Video is
  Flash Screen Video (codec 3): one 64x64 block of one colour, zlib-compressed,
  every frame a key frame; audio is linear PCM (sound format 3), 16-bit mono
  11025 Hz, 441 samples a tag. Both decode with FFmpeg and need no encoder.
  Timestamps count milliseconds from the room's start; a new connection gets
  the last :data:`CACHE_MS` of frames first, as CDNs send the latest key frames.
- HLS (``live/stream/{room_id}/{quality}/index.m3u8``): a sliding window of
  :data:`WINDOW` segments of :data:`SEGMENT_FRAMES` MPEG-1 Layer III frames
  (packed audio; every frame silent, its number in the frame's ancillary bytes),
  ``#EXT-X-ENDLIST`` once the room ends.

A room runs on the sandbox's clock times ``speed``; ``drops`` (stream seconds)
cut the connections that reach them, ``stalls`` (stream second, wall seconds)
stop sending for a while, and at ``duration`` the room ends: the FLV body
ends cleanly and the room's status turns to 4.
"""

from __future__ import annotations

import json
import struct
import threading
import time
import zlib
from dataclasses import dataclass, field
from typing import Callable, Dict, Iterator, List, Optional, Sequence, Set, Tuple

__all__ = ["LIVE_PREFIX", "QUALITIES", "LiveShows", "SandboxRoom", "StreamCutError"]

LIVE_PREFIX = "live/stream/"
FRAME_MS = 40
SAMPLE_RATE = 11025
SAMPLES_PER_TAG = SAMPLE_RATE * FRAME_MS // 1000  # 441
SIDE = 64
CACHE_MS = 3000
# MPEG-1 Layer III, 128 kbit/s, 48 kHz, mono, no CRC: 384 bytes and 24 ms a frame.
MP3_HEADER = b"\xff\xfb\x94\xc0"
MP3_FRAME_BYTES = 384
MP3_FRAME_MS = 24
MP3_SIDE_INFO = 17
SEGMENT_FRAMES = 50  # 1.2 s a segment
WINDOW = 5
#: quality name -> (bit rate, resolution, codec) announced for it (docs/protocol.rst (Live rooms))
QUALITIES: Dict[str, Tuple[int, str, str]] = {
    "origin": (4_000_000, "1080x1920", "h264"),
    "hd": (2_000_000, "720x1280", "h264"),
    "sd": (1_000_000, "540x960", "h264"),
    "ld": (500_000, "360x640", "h264"),
}
# The legacy flv_pull_url names of the same streams.
LEGACY_NAMES = {"origin": "FULL_HD1", "hd": "HD1", "sd": "SD1", "ld": "SD2"}
CYCLE = 64  # distinct video frames, made once


class StreamCutError(Exception):
    """Raised from a stream's chunks: the server drops the connection there, mid-body."""


def _tag(kind: int, timestamp: int, body: bytes) -> bytes:
    """One FLV tag and the PreviousTagSize after it (FLV 10.1, annex E.4)."""
    head = (
        bytes([kind])
        + len(body).to_bytes(3, "big")
        + (timestamp & 0xFFFFFF).to_bytes(3, "big")
        + bytes([(timestamp >> 24) & 0xFF])
        + b"\0\0\0"  # stream id
    )
    return head + body + (len(head) + len(body)).to_bytes(4, "big")


def _amf_string(text: str) -> bytes:
    data = text.encode()
    return len(data).to_bytes(2, "big") + data


def _metadata() -> bytes:
    """``onMetaData``: an AMF0 string and an ECMA array of numbers and booleans."""
    numbers = {
        "width": SIDE,
        "height": SIDE,
        "framerate": 1000 / FRAME_MS,
        "videocodecid": 3,
        "audiocodecid": 3,
        "audiosamplerate": SAMPLE_RATE,
        "audiosamplesize": 16,
    }
    body = b"\x02" + _amf_string("onMetaData") + b"\x08" + (len(numbers) + 1).to_bytes(4, "big")
    for name, value in numbers.items():
        body += _amf_string(name) + b"\x00" + struct.pack(">d", float(value))
    body += _amf_string("stereo") + b"\x01\x00"
    return body + b"\x00\x00\x09"


def _video_frame(index: int) -> bytes:
    """A Screen Video key frame: one 64x64 block, BGR rows bottom-up, zlib-compressed."""
    colour = bytes((index * 4 % 256, 80, 255 - index * 4 % 256))
    pixels = zlib.compress(colour * (SIDE * SIDE), 9)
    sizes = ((SIDE // 16 - 1) << 12 | SIDE).to_bytes(2, "big") * 2
    return b"\x13" + sizes + len(pixels).to_bytes(2, "big") + pixels  # key frame, codec 3


def _audio_frame(index: int) -> bytes:
    """Linear PCM, 16-bit little-endian mono at 11 kHz: a square wave whose pitch steps."""
    period = 20 + index % 10
    samples = b"".join(
        (3000 if (n // period) % 2 else -3000).to_bytes(2, "little", signed=True)
        for n in range(SAMPLES_PER_TAG)
    )
    return b"\x36" + samples  # format 3, rate 11 kHz, 16-bit, mono


FLV_HEADER = b"FLV\x01\x05\x00\x00\x00\x09" + b"\x00\x00\x00\x00"
_FRAMES: List[Tuple[bytes, bytes]] = []
_FRAMES_LOCK = threading.Lock()


def _frame_bodies() -> List[Tuple[bytes, bytes]]:
    with _FRAMES_LOCK:
        if not _FRAMES:
            _FRAMES.extend((_video_frame(i), _audio_frame(i)) for i in range(CYCLE))
        return _FRAMES


def flv_tags(frame: int) -> bytes:
    """The video and audio tags of frame number ``frame`` (timestamp ``frame * 40`` ms)."""
    video, audio = _frame_bodies()[frame % CYCLE]
    timestamp = frame * FRAME_MS
    return _tag(9, timestamp, video) + _tag(8, timestamp, audio)


def mp3_segment(sequence: int) -> bytes:
    """Segment ``sequence``: silent Layer III frames numbered in their ancillary bytes."""
    first = sequence * SEGMENT_FRAMES
    pad = MP3_FRAME_BYTES - len(MP3_HEADER) - MP3_SIDE_INFO - 8
    return b"".join(
        MP3_HEADER + bytes(MP3_SIDE_INFO) + (first + n).to_bytes(8, "big") + bytes(pad)
        for n in range(SEGMENT_FRAMES)
    )


@dataclass
class SandboxRoom:
    """A live room the sandbox broadcasts (:meth:`Sandbox.go_live <tiktok.sandbox.Sandbox.go_live>`).

    ``requests`` holds ``(path, headers)`` of every request to its stream host,
    header names in lower case, so tests can check what reached it.
    """

    room_id: int
    owner: int
    duration: float
    speed: float
    drops: Tuple[float, ...]
    stalls: Tuple[Tuple[float, float], ...]
    flv: bool
    hls: bool
    started: float
    create_time: int
    clock: Callable[[], float] = field(repr=False)
    requests: List[Tuple[str, Dict[str, str]]] = field(default_factory=list, repr=False)
    ended_at: Optional[float] = None
    _spent: Set[Tuple[str, float]] = field(default_factory=set, repr=False)  # drops and stalls met
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def position_ms(self) -> int:
        """How far the broadcast is, in stream milliseconds (stops at the end)."""
        elapsed = (self.clock() - self.started) * self.speed * 1000
        return int(min(elapsed, self.end_ms))

    @property
    def end_ms(self) -> int:
        """When the broadcast ends (or ended), in stream milliseconds."""
        if self.ended_at is not None:
            return int((self.ended_at - self.started) * self.speed * 1000)
        return int(self.duration * 1000)

    @property
    def status(self) -> int:
        """2 while live, 4 once ended (docs/protocol.rst (Live rooms))."""
        return 4 if self.position_ms() >= self.end_ms else 2

    def end(self) -> None:
        """End the broadcast now: streams finish, the status turns to 4."""
        with self._lock:
            if self.ended_at is None:
                self.ended_at = self.clock()

    def _take(self, what: Tuple[str, float]) -> bool:
        """Whether the drop or stall ``what`` is still to happen (it happens once)."""
        with self._lock:
            if what in self._spent:
                return False
            self._spent.add(what)
            return True

    def _wall(self, position_ms: int) -> float:
        return self.started + position_ms / 1000 / self.speed

    # -- FLV ---------------------------------------------------------------------

    def flv_chunks(self, closing: threading.Event) -> Iterator[bytes]:
        """One connection's body: header, metadata, the cached frames, then frames as they come."""
        yield FLV_HEADER + _tag(18, 0, _metadata())
        now = self.position_ms()
        frame = max(0, (now - CACHE_MS) // FRAME_MS)
        while True:
            position = self.position_ms()
            end = self.end_ms
            ready = min(position, end - 1) // FRAME_MS  # the last frame whose time has come
            if frame <= ready:
                batch = []
                while frame <= ready:
                    at = frame * FRAME_MS
                    self._meet_faults(at, closing)
                    batch.append(flv_tags(frame))
                    frame += 1
                yield b"".join(batch)
                continue
            if frame * FRAME_MS >= end and position >= end:
                return  # the room ended (its status says so now): the body ends cleanly
            wait = self._wall(min(frame * FRAME_MS, end)) - self.clock()
            if closing.wait(min(max(wait, 0.0), 0.05)):
                raise StreamCutError("the sandbox is closing")

    def _meet_faults(self, at_ms: int, closing: threading.Event) -> None:
        for second in self.drops:
            if at_ms >= second * 1000 and self._take(("drop", second)):
                raise StreamCutError(f"drop at {second}s")
        for second, wall in self.stalls:
            if at_ms >= second * 1000 and self._take(("stall", second)):
                closing.wait(wall)  # nothing sent meanwhile
                raise StreamCutError(f"stalled at {second}s")

    # -- HLS ---------------------------------------------------------------------

    def segment_ms(self) -> int:
        """The length of one HLS segment, in stream milliseconds."""
        return SEGMENT_FRAMES * MP3_FRAME_MS

    def complete_segments(self) -> int:
        """How many segments are whole by now."""
        return self.position_ms() // self.segment_ms()

    def playlist(self) -> Optional[str]:
        """The media playlist now; ``None`` once to drop the request at a drop time."""
        position = self.position_ms()
        for second in self.drops:
            if position >= second * 1000 and self._take(("drop", second)):
                return None
        count = self.complete_segments()
        first = max(0, count - WINDOW)
        lines = [
            "#EXTM3U",
            "#EXT-X-VERSION:3",
            f"#EXT-X-TARGETDURATION:{-(-self.segment_ms() // 1000)}",
            f"#EXT-X-MEDIA-SEQUENCE:{first}",
        ]
        for sequence in range(first, count):
            lines += [f"#EXTINF:{self.segment_ms() / 1000:.3f},", f"{sequence}.mp3"]
        if self.status == 4:
            lines.append("#EXT-X-ENDLIST")
        return "\n".join(lines) + "\n"

    def segment(self, sequence: int) -> Optional[bytes]:
        """Segment ``sequence`` while it is whole and not long gone, else ``None`` (404)."""
        count = self.complete_segments()
        if not count - 3 * WINDOW <= sequence < count:
            return None
        return mp3_segment(sequence)


class LiveShows:
    """The rooms a sandbox broadcasts, by room id; thread-safe."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self._rooms: Dict[int, SandboxRoom] = {}
        self._lock = threading.Lock()
        self._serial = 0

    def start(
        self,
        owner: int,
        *,
        duration: float,
        speed: float,
        drops: Sequence[float] = (),
        stalls: Sequence[Tuple[float, float]] = (),
        flv: bool = True,
        hls: bool = True,
    ) -> SandboxRoom:
        with self._lock:
            self._serial += 1
            room = SandboxRoom(
                room_id=7_400_000_000_000_000_000 + self._serial,
                owner=owner,
                duration=float(duration),
                speed=float(speed),
                drops=tuple(sorted(float(d) for d in drops)),
                stalls=tuple(sorted((float(a), float(w)) for a, w in stalls)),
                flv=flv,
                hls=hls,
                started=self.clock(),
                create_time=int(time.time()),
                clock=self.clock,
            )
            self._rooms[room.room_id] = room
            return room

    def get(self, room_id: int) -> Optional[SandboxRoom]:
        with self._lock:
            return self._rooms.get(room_id)

    def room_of(self, owner: int) -> Optional[SandboxRoom]:
        """The owner's latest room, live or ended: the app's ``room_id`` on a user goes stale."""
        with self._lock:
            rooms = [room for room in self._rooms.values() if room.owner == owner]
        return rooms[-1] if rooms else None


def stream_urls(room: SandboxRoom, base: str) -> Dict[str, object]:
    """The ``stream_url`` of room info for ``room`` on the stream host ``base`` (no trailing /)."""
    root = f"{base}/{LIVE_PREFIX}{room.room_id}"
    data: Dict[str, object] = {}
    for quality, (bitrate, resolution, codec) in QUALITIES.items():
        main: Dict[str, str] = {}
        if room.flv:
            main["flv"] = f"{root}/{quality}.flv"
        if room.hls:
            main["hls"] = f"{root}/{quality}/index.m3u8"
        main["sdk_params"] = _json({"VCodec": codec, "vbitrate": bitrate, "resolution": resolution})
        data[quality] = {"main": main}
    stream_url: Dict[str, object] = {
        "candidate_resolution": list(LEGACY_NAMES.values()),
        "default_resolution": "HD1",
        "live_core_sdk_data": {
            "pull_data": {
                "options": {"default_quality": {"name": "hd", "sdk_key": "hd"}},
                "stream_data": _json({"common": {"session_id": str(room.room_id)}, "data": data}),
            }
        },
    }
    if room.flv:
        stream_url["flv_pull_url"] = {
            legacy: f"{root}/{quality}.flv" for quality, legacy in LEGACY_NAMES.items()
        }
        stream_url["rtmp_pull_url"] = f"{root}/origin.flv"
    if room.hls:
        stream_url["hls_pull_url"] = f"{root}/origin/index.m3u8"
        stream_url["hls_pull_url_map"] = {
            legacy: f"{root}/{quality}/index.m3u8" for quality, legacy in LEGACY_NAMES.items()
        }
    return stream_url


def _json(value: object) -> str:
    return json.dumps(value, separators=(",", ":"))
