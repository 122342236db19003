"""The little of HLS (RFC 8216) a live recording needs: read a playlist's segments.

A media playlist gives its first segment's sequence number
(``#EXT-X-MEDIA-SEQUENCE``), each segment's duration (``#EXTINF``) and url,
and ``#EXT-X-ENDLIST`` once the broadcast is over. A multivariant playlist
(``#EXT-X-STREAM-INF``) names media playlists; the one of highest
``BANDWIDTH`` is taken.
"""

from __future__ import annotations

import re
from typing import List, Optional, Tuple
from urllib.parse import urljoin

import attrs

__all__ = ["HlsError", "Playlist", "Segment", "parse_playlist"]

_BANDWIDTH = re.compile(r"(?:^|,)BANDWIDTH=(\d+)")


class HlsError(Exception):
    """The playlist cannot be read."""


@attrs.frozen
class Segment:
    sequence: int
    duration: float
    url: str


@attrs.frozen
class Playlist:
    """A media playlist (``segments``), or a multivariant one (``variant`` is then set)."""

    segments: Tuple[Segment, ...] = ()
    target_duration: float = 2.0
    ended: bool = False
    variant: Optional[str] = None


def parse_playlist(text: str, url: str) -> Playlist:
    """``text`` fetched from ``url`` (relative urls are resolved against it)."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines or lines[0] != "#EXTM3U":
        raise HlsError("not an M3U8 playlist")
    sequence = 0
    target = 2.0
    ended = False
    duration: Optional[float] = None
    segments: List[Segment] = []
    variants: List[Tuple[int, str]] = []
    bandwidth: Optional[int] = None
    for line in lines[1:]:
        if line.startswith("#EXT-X-MEDIA-SEQUENCE:"):
            sequence = int(_number(line, int))
        elif line.startswith("#EXT-X-TARGETDURATION:"):
            target = _number(line, float)
        elif line.startswith("#EXTINF:"):
            duration = float(_number(line.split(",", 1)[0], float))
        elif line.startswith("#EXT-X-ENDLIST"):
            ended = True
        elif line.startswith("#EXT-X-STREAM-INF:"):
            match = _BANDWIDTH.search(line.split(":", 1)[1])
            bandwidth = int(match[1]) if match else 0
        elif line.startswith("#"):
            continue
        elif bandwidth is not None:
            variants.append((bandwidth, urljoin(url, line)))
            bandwidth = None
        else:
            segments.append(Segment(sequence, duration or 0.0, urljoin(url, line)))
            sequence += 1
            duration = None
    if variants:
        return Playlist(variant=max(variants)[1])
    return Playlist(tuple(segments), max(target, 0.1), ended)


def _number(line: str, kind: type) -> float:
    try:
        value = kind(line.split(":", 1)[1].strip())
    except ValueError:
        raise HlsError(f"unreadable playlist line {line[:60]!r}") from None
    if value < 0:
        raise HlsError(f"negative value in {line[:60]!r}")
    return float(value)
