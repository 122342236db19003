"""The sandbox's media host: deterministic video and audio bytes, ``Range``, and cut transfers.

Nothing is stored: a file is one of a few *bodies* of the seed (a few hundred KB
to a few MB of pseudo-random bytes) followed by a 64-byte trailer naming the
post or sound and the variant, so every file is distinct. A body is a 64 KiB
block of the seed, rotated by a different amount in each 64 KiB chunk: any byte
is found in O(1) (a ``Range`` read costs only its own bytes) and a resume that
stitches at the wrong offset changes the MD5. The MD5 of each body is computed
once; a file's is that state copied and fed its trailer, so rendering an
address with its ``data_size`` and ``file_hash`` costs microseconds.

Paths (on the sandbox's own host and port; docs/protocol.rst (Media)):
``media/video/{aweme_id}/{variant}.mp4``, ``media/music/{music_id}.mp3`` and a
photo post's ``media/image/{aweme_id}/{number}.jpeg``; captions are the
handlers' (``media/caption/...``), made from the post's facts.
"""

from __future__ import annotations

import hashlib
import re
import threading
from dataclasses import dataclass
from typing import Any, Callable, Dict, Iterator, List, Optional, Tuple, Union

from ._hashing import Hasher, text_key

__all__ = ["MEDIA_PREFIX", "VARIANTS", "MediaFile", "MediaLibrary", "Stream", "byte_range"]

MEDIA_PREFIX = "media/"
CHUNK = 1 << 16
TRAILER = 64
BODIES = 8
SALT = 0x3ED1A

#: variant -> (codec, height, bit rate in bit/s) of a post's video files
VARIANTS: Dict[str, Tuple[str, int, int]] = {
    "h265_720": ("bytevc1", 720, 1_900_000),
    "h264_720": ("h264", 720, 1_500_000),
    "h264_540": ("h264", 540, 900_000),
    "play": ("h264", 540, 800_000),
    "watermark": ("h264", 540, 850_000),
}
_SIZES = {"video": (300_000, 3_000_000), "music": (200_000, 800_000), "image": (40_000, 400_000)}
_MAGIC = {
    "video": b"\x00\x00\x00\x18ftypmp42",
    "music": b"ID3\x04\x00",
    "image": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00",
}
_KIND_SALT = {"video": 1, "music": 2, "image": 5}
_PATH = re.compile(
    r"media/(?:video/(?P<aweme_id>[0-9]{1,20})/(?P<variant>[a-z0-9_]+)\.mp4"
    r"|music/(?P<music_id>[0-9]{1,20})\.mp3"
    r"|image/(?P<image_post>[0-9]{1,20})/(?P<number>[0-9]{1,3})\.jpeg)"
)
_RANGE = re.compile(r"\s*bytes\s*=\s*(?P<first>[0-9]{1,15})\s*-\s*(?P<last>[0-9]{0,15})\s*")


class _Body:
    """One body: its size, its 64 KiB block, and the MD5 state after all its bytes."""

    def __init__(self, key: int, size: int, magic: bytes) -> None:
        self.size = size
        self._key = key
        self._block = magic + hashlib.shake_128(key.to_bytes(8, "big")).digest(CHUNK - len(magic))
        self._md5: Any = None  # the MD5 state after the body's last byte
        self._lock = threading.Lock()

    def chunk(self, index: int) -> bytes:
        """Chunk ``index`` (the last one short): the block rotated, the first as it is."""
        start = index * CHUNK
        length = min(CHUNK, self.size - start)
        turn = 0 if index == 0 else (index * 7919 + self._key) % CHUNK
        rotated = self._block[turn:] + self._block[:turn]
        return rotated[:length]

    def md5(self) -> Any:
        """A copy of the MD5 state after the body (computed on first use)."""
        with self._lock:
            if self._md5 is None:
                digest = hashlib.md5()
                for index in range(-(-self.size // CHUNK)):
                    digest.update(self.chunk(index))
                self._md5 = digest
            return self._md5.copy()


class _Bytes:
    """A small file held whole (a caption): the interface of :class:`_Body`."""

    def __init__(self, data: bytes) -> None:
        self.size = len(data)
        self._data = data

    def chunk(self, index: int) -> bytes:
        return self._data[index * CHUNK : (index + 1) * CHUNK]

    def md5(self) -> Any:
        return hashlib.md5(self._data)


@dataclass(frozen=True)
class MediaFile:
    """One file of the media host: a body, then a trailer that names it."""

    body: Union[_Body, _Bytes]
    trailer: bytes
    content_type: str

    @classmethod
    def of(cls, data: bytes, content_type: str) -> MediaFile:
        """A file of these bytes exactly (no trailer)."""
        return cls(_Bytes(data), b"", content_type)

    @property
    def size(self) -> int:
        return self.body.size + len(self.trailer)

    @property
    def md5(self) -> str:
        digest = self.body.md5()
        digest.update(self.trailer)
        return str(digest.hexdigest())

    @property
    def etag(self) -> str:
        """A strong ETag: the trailer names the file, the body's key and size the rest."""
        digest = hashlib.sha256(self.trailer + str((self.body.size, self.size)).encode())
        return f'"{digest.hexdigest()[:32]}"'

    def read(self, first: int, last: int) -> Iterator[bytes]:
        """Bytes ``first`` to ``last`` (inclusive), at most 64 KiB at a time."""
        body_size = self.body.size
        position = first
        while position <= last and position < body_size:
            index, offset = divmod(position, CHUNK)
            piece = self.body.chunk(index)[offset : offset + last - position + 1]
            yield piece
            position += len(piece)
        if position <= last:
            yield self.trailer[position - body_size : last - body_size + 1]


class MediaLibrary:
    """Every post's and sound's files for one seed. Thread-safe; bodies made on first use."""

    def __init__(self, seed: int) -> None:
        self._h = Hasher(seed)
        self._seed = seed
        self._bodies: Dict[Tuple[str, int], _Body] = {}
        self._lock = threading.Lock()

    def _body(self, kind: str, index: int) -> _Body:
        with self._lock:
            body = self._bodies.get((kind, index))
            if body is None:
                low, high = _SIZES[kind]
                key = self._h(SALT, _KIND_SALT[kind], index)
                size = low + key % (high - low)
                body = self._bodies[(kind, index)] = _Body(key, size, _MAGIC[kind])
            return body

    def video(self, aweme_id: int, variant: str) -> MediaFile:
        if variant not in VARIANTS:
            raise KeyError(variant)
        pick = self._h(SALT, 3, aweme_id, text_key(variant))
        trailer = f"sandbox video {aweme_id} {variant} seed {self._seed}".encode()
        return MediaFile(self._body("video", pick % BODIES), _pad(trailer), "video/mp4")

    def music(self, music_id: int) -> MediaFile:
        pick = self._h(SALT, 4, music_id)
        trailer = f"sandbox music {music_id} seed {self._seed}".encode()
        return MediaFile(self._body("music", pick % BODIES), _pad(trailer), "audio/mpeg")

    def image(self, aweme_id: int, number: int) -> MediaFile:
        """Image ``number`` (from 1) of a photo post."""
        pick = self._h(SALT, 6, aweme_id, number)
        trailer = f"sandbox image {aweme_id} {number} seed {self._seed}".encode()
        return MediaFile(self._body("image", pick % BODIES), _pad(trailer), "image/jpeg")

    def find(
        self, path: str, image_count: Callable[[int], int] = lambda _: 0
    ) -> Optional[MediaFile]:
        """The file at a media path (no leading slash), or ``None``.

        ``image_count(aweme_id)`` says how many images a post has: only those exist.
        """
        match = _PATH.fullmatch(path)
        if match is None:
            return None
        if match["music_id"] is not None:
            return self.music(int(match["music_id"]))
        if match["image_post"] is not None:
            post, number = int(match["image_post"]), int(match["number"])
            return self.image(post, number) if 1 <= number <= image_count(post) else None
        try:
            return self.video(int(match["aweme_id"]), match["variant"])
        except KeyError:
            return None


def _pad(trailer: bytes) -> bytes:
    return trailer[:TRAILER].ljust(TRAILER, b" ")


def byte_range(header: Optional[str], size: int) -> Optional[Tuple[int, int]]:
    """``(first, last)`` of a single ``bytes=`` range, clamped to the file; ``None`` to ignore it.

    Raises ``ValueError`` for a range that starts past the end (answered 416).
    Several ranges, suffix ranges and malformed ones are ignored (RFC 9110 allows
    it): the whole file is sent.
    """
    if not header:
        return None
    match = _RANGE.fullmatch(header)
    if match is None:
        return None
    first = int(match["first"])
    last = int(match["last"]) if match["last"] else size - 1
    if match["last"] and last < first:
        return None
    if first >= size:
        raise ValueError("unsatisfiable range")
    return first, min(last, size - 1)


@dataclass
class Stream:
    """A streamed answer: ``length`` announced (``None``: chunked), ``chunks`` written, cut
    after ``cut_at`` bytes."""

    length: Optional[int]
    chunks: Iterator[bytes]
    cut_at: Optional[int] = None


def media_headers(media: MediaFile, status: int, first: int, last: int) -> List[Tuple[str, str]]:
    headers = [("Accept-Ranges", "bytes"), ("ETag", media.etag)]
    if status == 206:
        headers.append(("Content-Range", f"bytes {first}-{last}/{media.size}"))
    return headers
