"""One playable FLV file from the bytes of one or more HTTP-FLV connections.

Only whole tags are written, so a file cut at any moment plays up to its last
tag. The FLV header is written once, at the start: a reconnection's header and
metadata are dropped, its timestamps kept when they continue the file's (what
was already written is skipped) or moved on after the file's last tag when the
server started counting again (docs/live.rst (Recording)). FLV layout: Adobe's
FLV specification 10.1, annex E.
"""

from __future__ import annotations

from typing import Dict, List, Optional, Protocol

__all__ = ["FlvError", "FlvWriter"]

HEADER_SIZE = 9
TAG_HEADER = 11
PREVIOUS_SIZE = 4
AUDIO, VIDEO, SCRIPT = 8, 9, 18
#: A reconnection whose first timestamp is this far behind the file's last restarted its clock.
MAX_OVERLAP_MS = 30_000
#: After a restart, the first new tag comes this long after the file's last one.
RESTART_STEP_MS = 1
_AVC_LIKE = frozenset({7, 12})  # AVC, HEVC (enhanced FLV's codec 12): packet type 0 is a config
_AAC = 10


class Writable(Protocol):
    def write(self, data: bytes, /) -> object: ...


class FlvError(Exception):
    """The bytes are not FLV, or a tag is malformed: this connection cannot go on."""


class FlvWriter:
    """Writes the tags of successive connections (:meth:`start`, then :meth:`feed`) to ``out``.

    ``seconds`` is the length written so far (first to last media timestamp),
    ``size`` the bytes written; ``max_bytes`` stops before a tag that would pass it
    (:attr:`full`). Memory holds at most one tag beyond what was fed.
    """

    def __init__(self, out: Writable, max_bytes: Optional[int] = None) -> None:
        self._out = out
        self.max_bytes = max_bytes
        self.size = 0
        self.full = False
        self.media_tags = 0
        self._header_done = False
        self._first_ms: Optional[int] = None
        self._last_ms: Dict[int, int] = {}
        self._configs: Dict[int, bytes] = {}
        self._buffer = bytearray()
        self._in_header = True
        self._offset: Optional[int] = None

    @property
    def seconds(self) -> float:
        if self._first_ms is None:
            return 0.0
        return (max(self._last_ms.values()) - self._first_ms) / 1000

    def start(self) -> None:
        """A new connection: its bytes start with an FLV header."""
        self._buffer.clear()
        self._in_header = True
        self._offset = None

    def feed(self, data: bytes) -> None:
        """Take the connection's next bytes; write each tag they complete."""
        buffer = self._buffer
        buffer += data
        position = 0
        out: List[bytes] = []
        try:
            if self._in_header:
                position = self._header(buffer, out)
                if position == 0:
                    return
            end = len(buffer)
            while not self.full and end - position >= TAG_HEADER:
                size = int.from_bytes(buffer[position + 1 : position + 4], "big")
                whole = TAG_HEADER + size + PREVIOUS_SIZE
                if end - position < whole:
                    break
                tag = bytes(buffer[position : position + whole])
                position += whole
                if int.from_bytes(tag[-PREVIOUS_SIZE:], "big") != TAG_HEADER + size:
                    raise FlvError("a tag's size does not match the size after it")
                self._tag(tag, out)
        finally:
            del buffer[:position]
            if out:
                self._out.write(b"".join(out))

    def _header(self, buffer: bytearray, out: List[bytes]) -> int:
        """Bytes of the connection's FLV header consumed (0 while it is incomplete)."""
        if len(buffer) < HEADER_SIZE:
            if not b"FLV".startswith(bytes(buffer[:3])):
                raise FlvError("the stream is not FLV")
            return 0
        if buffer[:3] != b"FLV":
            raise FlvError("the stream is not FLV")
        length = int.from_bytes(buffer[5:9], "big")
        if not HEADER_SIZE <= length <= 1024:
            raise FlvError("the FLV header has an impossible size")
        if len(buffer) < length + PREVIOUS_SIZE:
            return 0
        if not self._header_done:  # the file's only header
            header = bytes(buffer[:length]) + b"\0\0\0\0"
            out.append(header)
            self.size += len(header)
            self._header_done = True
        self._in_header = False
        return length + PREVIOUS_SIZE

    def _tag(self, tag: bytes, out: List[bytes]) -> None:
        kind = tag[0] & 0x1F
        if kind == SCRIPT:
            if self._first_ms is None and self.media_tags == 0:
                self._write(tag, out)  # metadata at the file's start only
            return
        if kind not in (AUDIO, VIDEO) or len(tag) == TAG_HEADER + PREVIOUS_SIZE:
            return
        stamp = int.from_bytes(tag[4:7], "big") | tag[7] << 24
        if self._offset is None:
            self._offset = self._connection_offset(stamp)
        stamp += self._offset
        last = self._last_ms.get(kind)
        config = self._config_key(kind, tag)
        if config is not None:
            # A codec configuration: written when it is new, timed after what is written.
            body = tag[TAG_HEADER:-PREVIOUS_SIZE]
            if self._configs.get(config) == body:
                return
            self._configs[config] = body
            stamp = max(stamp, last or 0)
        elif last is not None and stamp <= last:
            return  # already written (a CDN sends its latest frames again on connect)
        if self._write(_restamped(tag, stamp), out):
            self._last_ms[kind] = stamp
            if self._first_ms is None:
                self._first_ms = stamp
            self.media_tags += 1

    def _connection_offset(self, first: int) -> int:
        """0 when the connection's clock continues the file's; else a shift after its end."""
        if not self._last_ms:
            return 0
        last = max(self._last_ms.values())
        if first >= last - MAX_OVERLAP_MS:
            return 0
        return last + RESTART_STEP_MS - first

    @staticmethod
    def _config_key(kind: int, tag: bytes) -> Optional[int]:
        if len(tag) < TAG_HEADER + 2 + PREVIOUS_SIZE:
            return None
        first = tag[TAG_HEADER]
        if kind == VIDEO and first & 0x0F in _AVC_LIKE and tag[TAG_HEADER + 1] == 0:
            return VIDEO
        if kind == AUDIO and first >> 4 == _AAC and tag[TAG_HEADER + 1] == 0:
            return AUDIO
        return None

    def _write(self, tag: bytes, out: List[bytes]) -> bool:
        if self.max_bytes is not None and self.size + len(tag) > self.max_bytes:
            self.full = True
            return False
        out.append(tag)
        self.size += len(tag)
        return True


def _restamped(tag: bytes, stamp: int) -> bytes:
    if stamp == (int.from_bytes(tag[4:7], "big") | tag[7] << 24):
        return tag
    return tag[:4] + (stamp & 0xFFFFFF).to_bytes(3, "big") + bytes([(stamp >> 24) & 0xFF]) + tag[8:]
