"""A live room's streams, read from every place room info puts them, best first.

docs/protocol.rst (Live rooms): ``stream_url.flv_pull_url`` and
``hls_pull_url_map`` by quality, ``hls_pull_url``, ``rtmp_pull_url``, and
``live_core_sdk_data.pull_data.stream_data`` (JSON text:
``data.{quality}.main.{flv,hls,sdk_params}``, ``sdk_params`` JSON text again).
"""

from __future__ import annotations

import json
import logging
from typing import Dict, Iterator, List, Optional, Tuple, Type, TypeVar

import attrs

from ._converter import structure
from .models import LiveStreamData, QualityStreams, Room, SdkParams, StreamUrl

__all__ = ["QUALITY_ORDER", "LiveStream", "quality_rank", "room_streams"]

log = logging.getLogger("tiktok")

#: Quality names from worst to best, as yt-dlp ranks them (docs/protocol.rst (Live rooms)).
QUALITY_ORDER = ("SD1", "ld", "SD2", "sd", "HD1", "hd", "FULL_HD1", "uhd", "ORIGION", "origin")
_RANK = {name: rank for rank, name in enumerate(QUALITY_ORDER)}
PROTOCOLS = ("flv", "hls", "rtmp")
M = TypeVar("M")


@attrs.frozen
class LiveStream:
    """One stream of a room: a quality (as the wire names it), a protocol and its url.

    ``protocol`` is ``"flv"`` (HTTP-FLV), ``"hls"`` or ``"rtmp"``; ``rank`` is the
    quality's place in :data:`QUALITY_ORDER` (``-1`` for a name not in it);
    ``codec``, ``bitrate`` (bit/s), ``width`` and ``height`` are filled where
    room info says them; ``source`` names the field the url came from.
    """

    quality: str
    protocol: str
    url: str
    rank: int
    source: str
    codec: Optional[str] = None
    bitrate: Optional[int] = None
    width: Optional[int] = None
    height: Optional[int] = None


def quality_rank(name: str) -> int:
    """The place of a quality name in :data:`QUALITY_ORDER` (-1 if unknown)."""
    return _RANK.get(name, -1)


def room_streams(room: Room, *, every_name: bool = False) -> List[LiveStream]:
    """Every stream of ``room``, best quality first; the same url is listed once (under
    its best-described name), or under each of its names with ``every_name``.

    Within a quality, streams from ``stream_data`` (which say codec and bit rate)
    come before the older fields, and HTTP-FLV before HLS before RTMP.
    """
    found: Dict[Tuple[str, str], LiveStream] = {}
    for stream in _all_streams(room.stream_url):
        found.setdefault((stream.url, stream.quality if every_name else ""), stream)
    order = {"stream_data": 0, "flv_pull_url": 1, "hls_pull_url_map": 1, "hls_pull_url": 2}
    return sorted(
        found.values(),
        key=lambda s: (-s.rank, PROTOCOLS.index(s.protocol), order.get(s.source, 3)),
    )


def _all_streams(stream_url: Optional[StreamUrl]) -> Iterator[LiveStream]:
    if stream_url is None:
        return
    yield from _stream_data(stream_url)
    for quality, url in (stream_url.flv_pull_url or {}).items():
        if _is_url(url):
            yield LiveStream(quality, "flv", url, quality_rank(quality), "flv_pull_url")
    for quality, url in (stream_url.hls_pull_url_map or {}).items():
        if _is_url(url):
            yield LiveStream(quality, "hls", url, quality_rank(quality), "hls_pull_url_map")
    # Without a quality name: ranked below every named one.
    if _is_url(stream_url.hls_pull_url):
        assert stream_url.hls_pull_url is not None
        yield LiveStream("", "hls", stream_url.hls_pull_url, -1, "hls_pull_url")
    if _is_url(stream_url.rtmp_pull_url):
        assert stream_url.rtmp_pull_url is not None
        protocol = "flv" if stream_url.rtmp_pull_url.startswith("http") else "rtmp"
        yield LiveStream("", protocol, stream_url.rtmp_pull_url, -1, "rtmp_pull_url")


def _stream_data(stream_url: StreamUrl) -> Iterator[LiveStream]:
    sdk = stream_url.live_core_sdk_data
    text = sdk.pull_data.stream_data if sdk is not None and sdk.pull_data is not None else None
    data = _embedded(text, LiveStreamData, "stream_data")
    for quality, value in ((data.data or {}) if data is not None else {}).items():
        streams = _model(value, QualityStreams, f"stream_data {quality}")
        main = streams.main if streams is not None else None
        if main is None:
            continue
        params = _embedded(main.sdk_params, SdkParams, "sdk_params")
        if params is None:
            params = SdkParams()
        width, height = _resolution(params.resolution)
        for protocol, url in (("flv", main.flv), ("hls", main.hls)):
            if _is_url(url):
                assert url is not None
                yield LiveStream(
                    quality,
                    protocol,
                    url,
                    quality_rank(quality),
                    "stream_data",
                    codec=params.VCodec,
                    bitrate=params.vbitrate,
                    width=width,
                    height=height,
                )


def _embedded(text: Optional[str], cl: Type[M], name: str) -> Optional[M]:
    """A model from JSON text inside a field; unreadable text is logged and left out."""
    if not text:
        return None
    try:
        value = json.loads(text)
    except (ValueError, RecursionError) as exc:
        log.warning("room info: %s is not JSON (%s); its streams are left out", name, exc)
        return None
    return _model(value, cl, name)


def _model(value: object, cl: Type[M], name: str) -> Optional[M]:
    try:
        return structure(value, cl)
    except Exception as exc:  # any shape error: one unreadable part must not hide the others
        log.warning("room info: %s does not fit (%s); its streams are left out", name, exc)
        return None


def _resolution(text: Optional[str]) -> Tuple[Optional[int], Optional[int]]:
    width, _, height = (text or "").lower().partition("x")
    if width.isdigit() and height.isdigit():
        return int(width), int(height)
    return None, None


def _is_url(value: object) -> bool:
    return isinstance(value, str) and value.startswith(("http://", "https://", "rtmp://"))
