"""Which address of a video to download: every candidate, ranked by one documented rule.

Pure functions of a :class:`~tiktok.Video`; no request is sent. The wire facts
(``url_key``, ``is_bytevc1``, the kinds of url) are in docs/protocol.rst
(Media); the rule and its options are docs/downloads.rst (Formats).
"""

from __future__ import annotations

import copy
import re
from typing import Iterator, List, Optional, Sequence, Tuple

import attrs

from .errors import DownloadError
from .models import UrlList, Video

__all__ = ["CODECS", "Format", "rank_formats"]

#: The codecs a format may be asked for by: H.264, H.265 (``bytevc1``) and
#: ByteDance's own ``bytevc2``, which common players cannot decode.
CODECS = ("h264", "h265", "bytevc2")
_CODEC_NAMES = {
    "h264": "h264",
    "avc": "h264",
    "h265": "h265",
    "hevc": "h265",
    "bytevc1": "h265",
    "bytevc2": "bytevc2",
}
# Preference when nothing is asked: what plays everywhere first; bytevc2 is never taken.
_CODEC_RANK = {"h264": 0, None: 1, "h265": 2}
# url_key reads v..._{codec}_{height}p_{bit rate}
_URL_KEY = re.compile(r"_(h264|bytevc1|bytevc2)(?:_(\d{2,5})p)?(?:_(\d+))?$")
# Addresses that go through the API's play redirect, or HEVC-only paths that may lack sound.
_INDIRECT = ("/aweme/v1/play", "/media-video-hvc1/")


@attrs.frozen
class Format:
    """One address a video can be downloaded from, with what is known about it.

    ``source`` names the field it came from (``bit_rate[2]``, ``play_addr``,
    ``play_addr_h264``, ``play_addr_bytevc1``, ``download_addr``); ``codec`` is
    ``"h264"``, ``"h265"``, ``"bytevc2"`` or ``None`` when the address does not
    say; ``height``, ``bit_rate`` (bit/s) and ``size`` (bytes) are ``None`` when
    unknown. ``urls`` are the address's mirrors in the order a download tries
    them: direct ones first, then those through ``aweme/v1/play`` or under
    ``/media-video-hvc1/``. ``address`` is the address with its urls in that order.
    """

    source: str
    address: UrlList
    codec: Optional[str]
    height: Optional[int]
    bit_rate: Optional[int]
    size: Optional[int]
    watermark: bool
    urls: Tuple[str, ...]

    @property
    def direct(self) -> bool:
        """Whether one of its urls is a direct CDN address (not a redirect, not HEVC-only)."""
        return any(is_direct(url) for url in self.urls)

    def describe(self) -> str:
        """``bit_rate[0] h264 720p 1500 kbit/s 2.1 MB``: what it is, in one line."""
        parts = [self.source, self.codec or "codec?"]
        if self.height:
            parts.append(f"{self.height}p")
        if self.bit_rate:
            parts.append(f"{self.bit_rate // 1000} kbit/s")
        if self.size:
            parts.append(f"{self.size / 1e6:.1f} MB")
        if self.watermark:
            parts.append("watermark")
        if not self.direct:
            parts.append("indirect")
        return " ".join(parts)


def is_direct(url: str) -> bool:
    """Whether ``url`` is a direct media address (docs/protocol.rst (Media))."""
    path = url.split("?", 1)[0]
    return not any(marker in path for marker in _INDIRECT)


def codec_name(codec: str) -> str:
    """The canonical name of an asked codec (``bytevc1``/``hevc`` are ``h265``, ``avc`` ``h264``)."""
    name = _CODEC_NAMES.get(codec.strip().lower())
    if name is None:
        raise ValueError(f"codec must be one of {', '.join(sorted(_CODEC_NAMES))}, not {codec!r}")
    return name


def rank_formats(
    video: Video,
    *,
    codec: Optional[str] = None,
    max_height: Optional[int] = None,
    smallest: bool = False,
    watermark: bool = False,
) -> List[Format]:
    """The video's formats in the order a download tries them (docs/downloads.rst (Formats)).

    Without watermark the candidates are every ``bit_rate`` encoding,
    ``play_addr_h264``, ``play_addr_bytevc1`` and ``play_addr``; with it,
    ``download_addr``. Ranked: formats with a direct url before those with only
    indirect ones; then H.264, then a codec the address does not name, then
    H.265 (``bytevc2`` only when asked for); then the highest, then the highest
    bit rate, or with ``smallest`` the fewest bytes. ``codec`` keeps only that
    codec; ``max_height`` drops formats known to be taller. The same address
    listed twice is kept once, where it ranks best.

    Raises :class:`~tiktok.DownloadError` when nothing is left, naming what there was.
    """
    asked = codec_name(codec) if codec is not None else None
    if max_height is not None and max_height < 1:
        raise ValueError(f"max_height must be a positive number of pixels, not {max_height!r}")
    found = list(_candidates(video, watermark))
    kept = [
        f
        for f in found
        if (f.codec == asked if asked is not None else f.codec != "bytevc2")
        and (max_height is None or f.height is None or f.height <= max_height)
    ]
    order = {id(f): index for index, f in enumerate(found)}
    kept.sort(key=lambda f: (*_rank(f, smallest), order[id(f)]))
    unique: List[Format] = []
    seen = set()
    for f in kept:
        key = frozenset(f.urls)
        if key not in seen:
            seen.add(key)
            unique.append(f)
    if not unique:
        raise DownloadError(_nothing_left(found, asked, max_height, watermark))
    return unique


def _rank(f: Format, smallest: bool) -> Tuple[int, ...]:
    tier = 0 if f.direct else 1
    codec = _CODEC_RANK.get(f.codec, 3)
    if smallest:
        # The fewest bytes first, whatever the codec; an unknown size after known ones.
        return (tier, f.size is None, f.size or 0, f.bit_rate or 0, codec)
    return (tier, codec, -(f.height or 0), -(f.bit_rate or 0))


def _candidates(video: Video, watermark: bool) -> Iterator[Format]:
    if watermark:
        if video.download_addr is not None:
            yield from _format("download_addr", video.download_addr, watermark=True)
        return
    for index, encoding in enumerate(video.bit_rate or ()):
        if encoding.play_addr is None:
            continue
        flagged: Optional[str]
        if encoding.is_bytevc1 == 2:
            flagged = "bytevc2"
        elif encoding.h265:
            flagged = "h265"
        else:
            flagged = "h264"  # the app flags its H.265 encodings; an unflagged one is H.264
        yield from _format(
            f"bit_rate[{index}]", encoding.play_addr, flagged=flagged, bit_rate=encoding.bit_rate
        )
    yield from _format("play_addr_h264", video.play_addr_h264, flagged="h264")
    yield from _format("play_addr_bytevc1", video.play_addr_bytevc1, flagged="h265")
    yield from _format("play_addr", video.play_addr)


def _format(
    source: str,
    address: Optional[UrlList],
    *,
    flagged: Optional[str] = None,
    bit_rate: Optional[int] = None,
    watermark: bool = False,
) -> Iterator[Format]:
    urls = (
        [url for url in (address.url_list or ()) if isinstance(url, str) and url] if address else []
    )
    if address is None or not urls:
        return
    ordered = tuple(sorted(urls, key=lambda url: not is_direct(url)))
    key_codec, key_height, key_rate = _parse_url_key(address.url_key)
    codec = key_codec or flagged
    if codec is None and not any(is_direct(url) for url in urls):
        # Only under /media-video-hvc1/ (or through the play redirect): HEVC by its path.
        codec = "h265" if any("/media-video-hvc1/" in url for url in urls) else None
    reordered = copy.copy(address)  # the model's other fields (and unknown keys) as they came
    reordered.url_list = list(ordered)
    yield Format(
        source=source,
        address=reordered,
        codec=codec,
        height=address.height or key_height,
        bit_rate=bit_rate or key_rate,
        size=address.data_size,
        watermark=watermark,
        urls=ordered,
    )


def _parse_url_key(url_key: Optional[str]) -> Tuple[Optional[str], Optional[int], Optional[int]]:
    match = _URL_KEY.search(url_key or "")
    if match is None:
        return None, None, None
    codec = "h265" if match[1] == "bytevc1" else match[1]
    return (
        codec,
        int(match[2]) if match[2] else None,
        int(match[3]) if match[3] else None,
    )


def _nothing_left(
    found: Sequence[Format], codec: Optional[str], max_height: Optional[int], watermark: bool
) -> str:
    if not found:
        kind = "download_addr (with watermark)" if watermark else "play address"
        return f"the video has no {kind} to download"
    asked = []
    if codec is not None:
        asked.append(f"codec {codec}")
    if max_height is not None:
        asked.append(f"at most {max_height}p")
    there = "; ".join(f.describe() for f in found)
    if not asked:
        return f"no format plays by default (bytevc2 is taken only when asked for): {there}"
    return f"no format is {' and '.join(asked)}: there are {there}"
