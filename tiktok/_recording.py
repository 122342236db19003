"""Keep a live room: write its stream to a file as it arrives, across drops, until it ends.

HTTP-FLV goes through :class:`~tiktok._flv.FlvWriter` (whole tags only, one
header); HLS segments are appended in sequence order, each once and whole.
After a drop the room's status is asked again (room info): while it is 2 the
stream is reached again after a capped backoff, from a fresh url; 4 ends the
recording. Stream hosts are reached like media hosts, through
:meth:`Transport.send_bare`: the client's User-Agent and nothing of the API's
session (docs/live.rst (Recording)).
"""

from __future__ import annotations

import io
import logging
import os
import threading
import time
from pathlib import Path
from typing import IO, Callable, List, Optional, Tuple, Union
from urllib.parse import urljoin, urlsplit

import attrs
import requests
import urllib3.exceptions

from ._flv import FlvError, FlvWriter
from ._hls import HlsError, Playlist, parse_playlist
from ._streams import LiveStream, room_streams
from ._transport import Transport
from .errors import NotLiveError, TransportError
from .models import Room

__all__ = ["Recording", "RecordingProgress", "record_room"]

log = logging.getLogger("tiktok")

#: ``progress(bytes_written, seconds_recorded)``
RecordingProgress = Callable[[int, float], object]
Dest = Union[str, "os.PathLike[str]", IO[bytes]]
READ_SIZE = 64 * 1024
MAX_REDIRECTS = 5
MAX_PLAYLIST = 1 << 20
MAX_SEGMENT = 64 << 20
#: Polls of an HLS playlist without a new segment before the room's status is asked.
IDLE_POLLS = 3
ENDED, MAX_SECONDS, MAX_BYTES, STOPPED = "ended", "max_seconds", "max_bytes", "stopped"
_BROKEN = (
    urllib3.exceptions.HTTPError,
    requests.RequestException,
    OSError,
    TransportError,
    FlvError,
    HlsError,
)


@attrs.frozen
class Recording:
    """What :meth:`Live.record <tiktok.resources.Live.record>` kept.

    ``path`` is the file (``None`` when ``dest`` was a file object, or when the
    stream gave nothing to write and no file was made), ``size`` the
    bytes written, ``seconds`` the length of stream written, ``stopped_by`` why
    it stopped: ``"ended"`` (the room's status turned to 4), ``"max_seconds"``,
    ``"max_bytes"`` or ``"stopped"`` (the ``stop`` event). ``reconnects``
    counts the connections made after the first; ``stream`` is the stream
    recorded (its url as first chosen).
    """

    path: Optional[str]
    size: int
    seconds: float
    stopped_by: str
    reconnects: int
    room_id: str
    stream: LiveStream


def choose_stream(room: Room, quality: Optional[str], protocol: Optional[str]) -> LiveStream:
    """The stream to record: the best (or the named) quality; HTTP-FLV unless HLS is asked
    for or no FLV stream is there."""
    named = quality is not None
    streams = [s for s in room_streams(room, every_name=named) if s.protocol in ("flv", "hls")]
    if quality is not None:
        wanted = quality.lower()
        streams = [s for s in streams if s.quality.lower() == wanted]
    if not streams:
        have = sorted({s.quality for s in room_streams(room, every_name=True) if s.quality})
        what = f"stream of quality {quality!r}" if named else "HTTP-FLV or HLS stream"
        raise NotLiveError(
            f"room {room.key} has no {what}",
            hint=f"qualities it has: {', '.join(have) or 'none'}",
        )
    order = ("hls", "flv") if protocol == "hls" else ("flv", "hls")
    for kind in order:
        for stream in streams:
            if stream.protocol == kind:
                return stream
    raise AssertionError("unreachable: streams are flv or hls")


class _Limits:
    def __init__(
        self,
        max_seconds: Optional[float],
        stop: threading.Event,
        progress: Optional[RecordingProgress],
    ) -> None:
        self.max_seconds = max_seconds
        self.stop = stop
        self.progress = progress

    def reached(self, seconds: float, full: bool) -> Optional[str]:
        if full:
            return MAX_BYTES
        if self.max_seconds is not None and seconds >= self.max_seconds:
            return MAX_SECONDS
        if self.stop.is_set():
            return STOPPED
        return None


def record_room(
    transport: Transport,
    room: Room,
    fetch_room: Callable[[str], Room],
    dest: Dest,
    *,
    quality: Optional[str],
    protocol: Optional[str],
    max_seconds: Optional[float],
    max_bytes: Optional[int],
    progress: Optional[RecordingProgress],
    stop: Optional[threading.Event],
) -> Recording:
    """Record ``room`` (live) to ``dest``; ``fetch_room(room_id)`` asks for its status again."""
    room_id = room.key
    if room_id is None:
        raise ValueError("the room has no id")
    stream = choose_stream(room, quality, protocol)
    limits = _Limits(max_seconds, stop if stop is not None else threading.Event(), progress)
    out = _Output(dest, room, stream)
    session = _Session(transport, room_id, fetch_room, limits, quality, stream.protocol)
    try:
        if stream.protocol == "flv":
            writer = FlvWriter(out, max_bytes)
            why = session.flv(stream, writer)
            size, seconds = writer.size, writer.seconds
        else:
            why, size, seconds = session.hls(stream, out, max_bytes)
    finally:
        out.close()
    return Recording(out.path, size, seconds, why, session.reconnects, room_id, stream)


class _Session:
    """The connections of one recording, and the decisions between them."""

    def __init__(
        self,
        transport: Transport,
        room_id: str,
        fetch_room: Callable[[str], Room],
        limits: _Limits,
        quality: Optional[str],
        protocol: str,
    ) -> None:
        self.transport = transport
        self.room_id = room_id
        self.fetch_room = fetch_room
        self.limits = limits
        self.quality = quality
        self.protocol = protocol
        self.reconnects = 0
        self._failures = 0

    # -- between connections --------------------------------------------------------

    def _again(self, delivered: bool) -> Tuple[str, Optional[LiveStream]]:
        """After a connection ended: ``(why, None)`` to stop, ``("", stream)`` to reconnect."""
        if self.limits.stop.is_set():
            return STOPPED, None
        room = self.fetch_room(self.room_id)
        if room.status != 2:
            return ENDED, None
        # The client's capped backoff: its base after a connection that gave frames,
        # doubling while connections give nothing.
        self._failures = 0 if delivered else self._failures + 1
        delay = self.transport.policy.step(self._failures + 1)
        log.info("room %s: stream cut, reconnecting in %.2fs", self.room_id, delay)
        if self.limits.stop.wait(delay):
            return STOPPED, None
        try:
            stream = choose_stream(room, self.quality, self.protocol)
        except NotLiveError:
            return ENDED, None  # the room no longer offers a stream of this kind
        self.reconnects += 1
        return "", stream

    # -- HTTP-FLV -------------------------------------------------------------------

    def flv(self, stream: LiveStream, writer: FlvWriter) -> str:
        while True:
            before = writer.media_tags
            try:
                self._pump(stream.url, writer)
            except _BROKEN as exc:
                log.info("room %s: connection lost (%s)", self.room_id, type(exc).__name__)
            why = self.limits.reached(writer.seconds, writer.full)
            if why is not None:
                return why
            reason, fresh = self._again(writer.media_tags > before)
            if fresh is None:
                return reason
            stream = fresh

    def _pump(self, url: str, writer: FlvWriter) -> None:
        response = self._get(url)
        try:
            writer.start()
            raw = response.raw
            while True:
                data = raw.read1(READ_SIZE)
                if not data:
                    return
                writer.feed(data)
                if self.limits.progress is not None:
                    self.limits.progress(writer.size, writer.seconds)
                if self.limits.reached(writer.seconds, writer.full) is not None:
                    return
        finally:
            response.close()

    # -- HLS ------------------------------------------------------------------------

    def hls(
        self, stream: LiveStream, out: _Output, max_bytes: Optional[int]
    ) -> Tuple[str, int, float]:
        url = stream.url
        last: Optional[int] = None
        size, seconds, idle = 0, 0.0, 0
        while True:
            delivered = False
            try:
                playlist = self._playlist(url)
                if playlist.variant is not None:
                    url = playlist.variant
                    continue
                for segment in playlist.segments:
                    if last is not None and segment.sequence <= last:
                        continue  # written already
                    if last is not None and segment.sequence > last + 1:
                        log.warning(
                            "room %s: segments %d to %d were gone before they were fetched",
                            self.room_id,
                            last + 1,
                            segment.sequence - 1,
                        )
                    data = self._body(segment.url, MAX_SEGMENT)
                    out.suffix = _suffix(segment.url)
                    if max_bytes is not None and size + len(data) > max_bytes:
                        return MAX_BYTES, size, seconds
                    out.write(data)
                    size += len(data)
                    seconds += segment.duration
                    last = segment.sequence
                    delivered = True
                    if self.limits.progress is not None:
                        self.limits.progress(size, seconds)
                    why = self.limits.reached(seconds, False)
                    if why is not None:
                        return why, size, seconds
                if playlist.ended:
                    return ENDED, size, seconds
            except _BROKEN as exc:
                log.info("room %s: playlist or segment failed (%s)", self.room_id, exc)
                reason, fresh = self._again(delivered)
                if fresh is None:
                    return reason, size, seconds
                url = fresh.url
                continue
            idle = 0 if delivered else idle + 1
            if idle >= IDLE_POLLS:
                idle = 0
                if self.fetch_room(self.room_id).status != 2:
                    return ENDED, size, seconds
            if self.limits.stop.wait(playlist.target_duration / 2):
                return STOPPED, size, seconds

    def _playlist(self, url: str) -> Playlist:
        text = self._body(url, MAX_PLAYLIST).decode("utf-8", "replace")
        return parse_playlist(text, url)

    def _body(self, url: str, limit: int) -> bytes:
        response = self._get(url)
        try:
            parts: List[bytes] = []
            size = 0
            for chunk in response.iter_content(READ_SIZE):
                size += len(chunk)
                if size > limit:
                    raise HlsError(f"{_without_query(url)} is larger than {limit} bytes")
                parts.append(chunk)
            return b"".join(parts)
        finally:
            response.close()

    # -- one request ----------------------------------------------------------------

    def _get(self, url: str) -> requests.Response:
        """GET a stream host, following redirects by hand (no credential: send_bare)."""
        for _ in range(MAX_REDIRECTS + 1):
            response = self.transport.send_bare(url, {"Accept-Encoding": "identity"})
            location = response.headers.get("Location")
            if response.status_code in (301, 302, 303, 307, 308) and location:
                response.close()
                url = urljoin(url, location)
                continue
            if response.status_code != 200:
                response.close()
                raise TransportError(f"GET {_without_query(url)}: HTTP {response.status_code}")
            return response
        raise TransportError(f"GET {_without_query(url)}: more than {MAX_REDIRECTS} redirects")


class _Output:
    """Where the bytes go: ``dest`` itself, a new file in the directory ``dest`` (named when
    the first bytes come, after the stream's kind), or the caller's binary file object."""

    def __init__(self, dest: Dest, room: Room, stream: LiveStream) -> None:
        self.path: Optional[str] = None
        self.suffix = ".flv" if stream.protocol == "flv" else ".ts"
        self._file: Optional[IO[bytes]] = None
        self._own = isinstance(dest, (str, os.PathLike))
        if self._own:
            self._dest = Path(dest)  # type: ignore[arg-type]
            self._name = _file_name(room)
        elif isinstance(dest, io.TextIOBase) or not hasattr(dest, "write"):
            raise TypeError("dest must be a path or a file object opened in binary mode ('wb')")
        else:
            self._file = dest  # type: ignore[assignment]

    def write(self, data: bytes) -> int:
        if self._file is None:
            path = self._dest / (self._name + self.suffix) if self._dest.is_dir() else self._dest
            self._file = open(path, "wb")  # noqa: SIM115  (closed by close())
            self.path = str(path)
        return self._file.write(data)

    def close(self) -> None:
        if self._file is None:
            return
        if self._own:
            self._file.close()
        else:
            self._file.flush()


def _file_name(room: Room) -> str:
    """``{handle}-{room_id}-{UTC time}``, the suffix added when the stream's kind is known."""
    handle = room.owner.unique_id if room.owner is not None and room.owner.unique_id else "room"
    safe = "".join(c if c.isalnum() or c in "._-" else "_" for c in handle).strip("._") or "room"
    when = time.strftime("%Y%m%d-%H%M%S", time.gmtime())
    return f"{safe}-{room.key}-{when}"


def _suffix(url: str) -> str:
    """A segment's file suffix (``.ts``, ``.aac``...), ``.ts`` when its url names none."""
    suffix = Path(urlsplit(url).path).suffix.lower()
    return suffix if suffix in (".ts", ".aac", ".mp3", ".m4s", ".mp4", ".ac3") else ".ts"


def _without_query(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{parts.path}"
