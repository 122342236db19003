"""``client.media``: download a post's video or a sound, resumable, checked, placed atomically.

The wire facts are in docs/protocol.rst (Media); the guide is docs/downloads.rst.
Requests go out through :meth:`Transport.send_bare`: media hosts get the
client's User-Agent and never an API credential or a signature.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import re
import secrets
from pathlib import Path
from typing import IO, Any, Callable, List, Optional, Tuple, Union
from urllib.parse import urljoin

import attrs
import requests
import urllib3.exceptions
from urllib3.util import parse_url

from ._captions import CAPTION_FORMATS, Caption, captions_of, parse_cues, write_cues
from ._formats import Format, rank_formats
from ._photos import download_photo_post
from ._transport import Transport
from .errors import DownloadError, TransportError
from .models import Music, Post, UrlList, Video

__all__ = ["MEDIA_HOSTS", "Download", "Media", "Progress", "Target"]

#: ``progress(done_bytes, total_bytes_or_None)``
Progress = Callable[[int, Optional[int]], object]
Target = Union[Post, Video, Music, UrlList]
Dest = Union[str, "os.PathLike[str]", IO[bytes]]

CHUNK = 1 << 17
#: A caption file is text of a few KB; more than this is not one.
MAX_CAPTION = 8 << 20
MAX_REDIRECTS = 5
REDIRECTS = frozenset({301, 302, 303, 307, 308})
#: The domains of TikTok's media hosts (docs/protocol.rst (Media)): a redirect met
#: during a download may lead to one of them (or any subdomain), on its default
#: port, or back to the origin the download started on; nowhere else.
MEDIA_HOSTS: Tuple[str, ...] = (
    "tiktokcdn.com",
    "tiktokcdn-us.com",
    "tiktokcdn-eu.com",
    "tiktokv.com",
    "tiktokv.us",
    "tiktokv.eu",
    "tiktok.com",
    "byteoversea.com",
    "ibytedtos.com",
    "ibyteimg.com",
    "muscdn.com",
)
_DEFAULT_PORTS = {"http": 80, "https": 443}
# What breaks a body on the way: the connection dropped or timed out mid-transfer.
_CUT = (urllib3.exceptions.HTTPError, requests.exceptions.RequestException, OSError)
_CONTENT_RANGE = re.compile(r"\s*bytes\s+(\d+)-(\d+)/(\d+|\*)\s*")
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")
# A name a file may have in a directory: no separator, no NUL, no leading dot (so neither
# "." nor ".."), and short enough for any file system. Ids come from the answer.
FILE_NAME = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9._-]{0,199}")
# A file name from a ``uri`` is cut to this many characters (any file system takes 255 bytes).
MAX_NAME = 128


@attrs.frozen
class Download:
    """What :meth:`Media.download` wrote.

    ``path`` is the file (``None`` when ``dest`` was a file object), ``size``
    the bytes written, ``md5`` their MD5 (hex), ``url`` the address they came from.
    For a photo post ``path`` is its folder, ``size`` the bytes of all its files,
    ``md5`` the MD5 of its ``manifest.json``, ``url`` the first image's and
    ``files`` each file's download in order: the images, then the sound.
    """

    path: Optional[str]
    size: int
    md5: str
    url: str
    files: Tuple[Download, ...] = ()


class _UrlFailedError(Exception):
    """One url did not give the file; the next one is tried."""


class _TryAgainError(Exception):
    """A failure worth another try of the same url, after ``wait`` seconds if the server said."""

    def __init__(self, reason: str, wait: Optional[float] = None) -> None:
        super().__init__(reason)
        self.wait = wait


class _MismatchError(_UrlFailedError):
    """The bytes did not check out (size, Content-Range, MD5)."""


class _OutOfTimeError(Exception):
    """The client's deadline passed: the whole download stops, whatever url it was on."""


class Media:
    """``client.media``: downloads of posts' videos, sounds and any media address."""

    def __init__(self, transport: Transport) -> None:
        self._transport = transport

    def download(
        self,
        target: Target,
        dest: Dest,
        *,
        watermark: bool = False,
        progress: Optional[Progress] = None,
        codec: Optional[str] = None,
        max_height: Optional[int] = None,
        smallest: bool = False,
    ) -> Download:
        """Download ``target`` to ``dest`` and return what was written.

        ``target`` is a :class:`~tiktok.Post` or its :class:`~tiktok.Video` (the
        video without watermark, or with it when ``watermark=True``), a
        :class:`~tiktok.Music` (its sound) or any :class:`~tiktok.models.UrlList`.
        ``dest`` is a file path, an existing directory (the file is named after
        the post or sound id: ``{aweme_id}.mp4``, ``{music_id}.mp3``; an id that
        is not a plain id cannot name a file there) or a binary file object. A
        path is written to a temporary file beside it and renamed into place
        only when complete and checked. ``progress(done, total)`` is called as
        bytes arrive (``total`` is ``None`` when the server does not say). The
        whole download, every format, url, retry and redirect included, ends by
        the client's ``deadline``.

        A video's formats are tried in the order of :meth:`formats`, which
        ``codec``, ``max_height`` and ``smallest`` change (docs/downloads.rst
        (Formats)): each url of a format, then the next format, until one gives
        the file. A photo post (:attr:`~tiktok.Post.is_photo`) is saved as a
        folder named after it in the directory ``dest`` (or at the new path
        ``dest``): every image in order, ``sound.mp3`` and ``manifest.json``,
        placed only when all are complete (docs/downloads.rst (Photo posts)).

        Raises :class:`~tiktok.DownloadError` for every failure: no url of any
        format gives the file (each one tried is named with why), its bytes do
        not match the address's ``data_size`` or ``file_hash``, the deadline
        passed, or ``dest`` cannot be written; nothing is left at ``dest`` then.
        """
        ends_at = self._transport.clock.monotonic() + self._transport.policy.deadline
        if isinstance(target, Post) and target.is_photo:
            if not isinstance(dest, (str, os.PathLike)):
                raise TypeError("a photo post is saved as a folder: dest must be a directory path")

            def fetch(address: UrlList, path: Path, each: Optional[Progress]) -> Download:
                # Every file of the post within the one deadline of the whole download.
                return self._download(address, path, each, ends_at)

            return download_photo_post(fetch, target, dest, watermark=watermark, progress=progress)
        return self._download(
            target, dest, progress, ends_at, watermark, codec, max_height, smallest
        )

    def _download(
        self,
        target: Target,
        dest: Dest,
        progress: Optional[Progress],
        ends_at: float,
        watermark: bool = False,
        codec: Optional[str] = None,
        max_height: Optional[int] = None,
        smallest: bool = False,
    ) -> Download:
        """One file: each url of each format in turn, until ``ends_at`` (see :meth:`download`)."""
        address, name = choose_address(
            target, watermark=watermark, codec=codec, max_height=max_height, smallest=smallest
        )
        video = target.video if isinstance(target, Post) else target
        tries: List[Tuple[str, UrlList]] = [("", address)]
        if isinstance(video, Video):
            ranked = rank_formats(
                video, watermark=watermark, codec=codec, max_height=max_height, smallest=smallest
            )
            tries = [(f"{f.describe()}: ", f.address) for f in ranked]
        if not any(_has_urls(each) for _, each in tries):
            raise DownloadError(f"{_describe(target)} has no media url to download")
        with _open_sink(dest, name) as sink:
            failures: List[str] = []
            tried = set()
            for label, each in tries:
                for url in each.url_list or ():
                    if not isinstance(url, str) or not url or url in tried:
                        continue  # a url listed by two formats fails the same way twice
                    tried.add(url)
                    try:
                        size, md5 = self._fetch(url, sink, each, progress, ends_at)
                        return Download(sink.commit(), size, md5, url)
                    except _UrlFailedError as failure:
                        failures.append(f"{label}{_shown_url(url)}: {failure}")
                    except _OutOfTimeError as late:
                        raise DownloadError(
                            f"could not download {_describe(target)}: {late} ({_shown_url(url)})"
                        ) from None
                    except OSError as exc:  # the sink: a full disk, a file object that refused
                        raise DownloadError(
                            f"could not write {_describe(target)}: {exc.strerror or exc}"
                        ) from exc
        raise DownloadError(f"could not download {_describe(target)}: " + "; ".join(failures))

    def address(self, target: Target, *, watermark: bool = False) -> UrlList:
        """The address :meth:`download` would fetch for ``target`` (no request is sent)."""
        return choose_address(target, watermark=watermark)[0]

    def captions(self, post: Post) -> List[Caption]:
        """The post's captions, both sources, sorted by language (no request is sent)."""
        return captions_of(post)

    def caption_text(self, caption: Caption, *, format: str = "srt") -> str:
        """Fetch ``caption`` and give it as an SRT (``"srt"``) or WebVTT (``"vtt"``) file's text.

        Raises :class:`~tiktok.DownloadError` when no url gives the file and
        :class:`~tiktok.DecodeError` when it cannot be read as captions.
        """
        if format not in CAPTION_FORMATS:
            raise ValueError(f"format must be one of {', '.join(CAPTION_FORMATS)}, not {format!r}")
        buffer = _CaptionBuffer()
        self.download(caption.address, buffer)
        return write_cues(parse_cues(buffer.getvalue(), caption.format), format)

    def formats(
        self,
        target: Union[Post, Video],
        *,
        codec: Optional[str] = None,
        max_height: Optional[int] = None,
        smallest: bool = False,
        watermark: bool = False,
    ) -> List[Format]:
        """A video's formats in the order :meth:`download` tries them (no request is sent).

        ``codec`` (``"h264"``, ``"h265"`` or ``"bytevc2"``) keeps only that codec,
        ``max_height`` drops taller formats, ``smallest`` puts the fewest bytes
        first, ``watermark`` gives ``download_addr`` instead; the rule is
        docs/downloads.rst (Formats). Raises :class:`~tiktok.DownloadError` when
        no format is left, naming those there are.
        """
        if isinstance(target, Post) and target.is_photo:
            raise DownloadError(
                f"{_describe(target)} is a photo post: it has images, not formats "
                "(download saves them as a folder)"
            )
        video = target.video if isinstance(target, Post) else target
        if not isinstance(video, Video):
            raise DownloadError(f"{_describe(target)} has no video")
        return rank_formats(
            video, codec=codec, max_height=max_height, smallest=smallest, watermark=watermark
        )

    # -- one url ------------------------------------------------------------------------

    def _fetch(
        self,
        url: str,
        sink: _Sink,
        address: UrlList,
        progress: Optional[Progress],
        ends_at: float,
    ) -> Tuple[int, str]:
        """The whole file from ``url`` into ``sink``, within the client's retries and deadline.

        A cut transfer resumes from where it stopped when the first answer gave
        a validator, else starts again; a refused connection, a timeout, 429 and
        5xx are tried again (``Retry-After`` up to ``max_wait`` is waited out);
        anything else gives up on this url.
        """
        state = _Transfer(sink, address, progress)
        retries = 0
        while True:
            try:
                self._attempt(url, state, ends_at)
            except _TryAgainError as retry:
                policy = self._transport.policy
                if retries >= policy.retries:
                    raise _UrlFailedError(f"{retry} (after {retries} retries)") from None
                if retry.wait is not None and retry.wait > policy.max_wait:
                    raise _UrlFailedError(f"{retry}: Retry-After {retry.wait:g}s") from None
                retries += 1
                wait = retry.wait if retry.wait is not None else policy.step(retries)
                if policy.clock.monotonic() + wait >= ends_at:
                    raise _OutOfTimeError(f"{retry}; {self._deadline_text()}") from None
                policy.clock.sleep(wait)
                continue
            md5 = state.digest.hexdigest()
            _check(state.done, md5, state.total, address)
            return state.done, md5

    def _deadline_text(self) -> str:
        return f"the client's deadline of {self._transport.policy.deadline:g}s passed"

    def _attempt(self, url: str, state: _Transfer, ends_at: float) -> None:
        """One request: from ``state.done`` on, or from the start.

        A resume asks for the rest only of the same file: ``If-Range`` carries
        the validator of the answer the bytes so far came from, and a server
        that has another file answers ``200`` with all of it (RFC 9110). Without
        a validator nothing can say the file is the same, so the transfer starts
        over instead of splicing two files.
        """
        if state.done and state.validator is None:
            state.restart()
        response = self._get(url, state.done, state.validator, ends_at)
        try:
            status = response.status_code
            if status == 429 or status >= 500:
                raise _TryAgainError(f"HTTP {status}", _retry_after(response))
            if status not in (200, 206) or (status == 206 and not state.done):
                raise _UrlFailedError(f"HTTP {status}")
            if status == 200:
                if state.done:  # the range was ignored, or the file changed: all of it again
                    state.restart()
                state.validator = _validator(response)
            elif (state.validator or "").startswith('"') and _strong_etag(response) not in (
                None,
                state.validator,
            ):
                raise _MismatchError("the rest came from another file (its ETag differs)")
            state.total = _announced_total(response, state.done, state.total, state.address)
            self._read(response, state, ends_at)
        finally:
            response.close()

    def _read(self, response: requests.Response, state: _Transfer, ends_at: float) -> None:
        """The body into ``state``, as it arrives, until it ends or the deadline passes."""
        clock = self._transport.clock.monotonic
        raw = response.raw
        while True:
            if clock() >= ends_at:
                raise _OutOfTimeError(f"{self._deadline_text()} at byte {state.done}")
            try:
                chunk = raw.read1(CHUNK)
            except _CUT as cut:
                if clock() >= ends_at:
                    raise _OutOfTimeError(f"{self._deadline_text()} at byte {state.done}") from None
                raise _TryAgainError(
                    f"transfer cut at byte {state.done} ({type(cut).__name__})"
                ) from None
            if not chunk:
                break
            state.add(chunk)
        if state.total is not None and state.done < state.total:
            raise _TryAgainError(f"transfer cut at byte {state.done} (the body ended early)")

    def _get(
        self, url: str, start: int, validator: Optional[str], ends_at: float
    ) -> requests.Response:
        """GET ``url`` from byte ``start``, following redirects by hand (credential-free).

        A redirect may lead to a media host (:data:`MEDIA_HOSTS`) or back to the
        origin of ``url``; anywhere else (another host, an internal address, a
        port of its own) ends this url.
        """
        headers = {"Accept-Encoding": "identity"}  # byte offsets of the file itself
        if start:
            headers["Range"] = f"bytes={start}-"
            if validator is not None:
                headers["If-Range"] = validator
        started_on = _origin(url)
        for _ in range(MAX_REDIRECTS + 1):
            if self._transport.clock.monotonic() >= ends_at:
                raise _OutOfTimeError(self._deadline_text())
            try:
                response = self._transport.send_bare(url, headers, ends_at)
            except TransportError as exc:
                if self._transport.clock.monotonic() >= ends_at:
                    raise _OutOfTimeError(self._deadline_text()) from None
                raise _TryAgainError(str(exc)) from None
            location = response.headers.get("Location")
            if response.status_code not in REDIRECTS or not location:
                return response
            response.close()
            url = urljoin(url, location)
            origin = _origin(url)
            if origin is None or not (origin == started_on or _is_media_host(origin)):
                raise _UrlFailedError(
                    f"redirected to {_shown_url(url)}, which is neither a media host nor "
                    "where the download started"
                )
        raise _UrlFailedError(f"more than {MAX_REDIRECTS} redirects")


class _Transfer:
    """One url's transfer: the sink, the MD5 of what it holds, the announced total, progress.

    The hash is taken inline, chunk by chunk: a second thread to overlap it
    bought nothing in benchmarks/bench_download.py (docs/downloads.rst, "Memory
    and speed"). ``validator`` is the ETag (strong) or Last-Modified of the
    answer the bytes so far came from.
    """

    def __init__(self, sink: _Sink, address: UrlList, callback: Optional[Progress]) -> None:
        self.sink = sink
        self.address = address
        self.callback = callback
        self.done = 0
        self.total: Optional[int] = None
        self.validator: Optional[str] = None
        self.digest = hashlib.md5(usedforsecurity=False)
        sink.restart()

    def add(self, chunk: bytes) -> None:
        self.sink.write(chunk)
        self.digest.update(chunk)
        self.done += len(chunk)
        if self.callback is not None:
            shown = self.total if self.total is not None else self.address.data_size
            self.callback(self.done, shown)

    def restart(self) -> None:
        """Start the file again: drop what we have."""
        self.sink.restart()
        self.digest = hashlib.md5(usedforsecurity=False)
        self.done = 0
        self.total = None
        self.validator = None


def _strong_etag(response: requests.Response) -> Optional[str]:
    """The answer's ``ETag`` when it is strong (a weak one cannot go in ``If-Range``)."""
    etag = (response.headers.get("ETag") or "").strip()
    return etag if etag.startswith('"') and etag.endswith('"') and len(etag) >= 2 else None


def _validator(response: requests.Response) -> Optional[str]:
    """What ``If-Range`` can carry for this answer: its strong ETag, else its Last-Modified."""
    etag = _strong_etag(response)
    if etag is not None:
        return etag
    modified = (response.headers.get("Last-Modified") or "").strip()
    return modified or None


def _origin(url: str) -> Optional[Tuple[str, str, int]]:
    """``(scheme, host, port)`` requests would connect to for ``url`` (urllib3's parser), or None."""
    try:
        parts = parse_url(url)
    except ValueError:  # urllib3's LocationParseError is one
        return None
    scheme = (parts.scheme or "").lower()
    if scheme not in _DEFAULT_PORTS or not parts.host:
        return None
    return scheme, parts.host.lower().rstrip("."), parts.port or _DEFAULT_PORTS[scheme]


def _is_media_host(origin: Tuple[str, str, int]) -> bool:
    scheme, host, port = origin
    if port != _DEFAULT_PORTS[scheme]:
        return False
    return any(host == domain or host.endswith("." + domain) for domain in MEDIA_HOSTS)


def _retry_after(response: requests.Response) -> Optional[float]:
    value = (response.headers.get("Retry-After") or "").strip()
    return float(value) if value.isdigit() else None


def choose_address(
    target: Target,
    *,
    watermark: bool = False,
    codec: Optional[str] = None,
    max_height: Optional[int] = None,
    smallest: bool = False,
) -> Tuple[UrlList, Optional[str]]:
    """The address to download for ``target`` and the file name it gets in a directory.

    A video's is the first of :func:`rank_formats` (docs/downloads.rst (Formats)).
    """
    if isinstance(target, Post):
        if target.status is not None and target.status.is_delete:
            raise DownloadError(f"{_describe(target)} was deleted: it has nothing to download")
        if target.video is None:
            raise DownloadError(f"{_describe(target)} has no video")
        address, _ = choose_address(
            target.video,
            watermark=watermark,
            codec=codec,
            max_height=max_height,
            smallest=smallest,
        )
        return address, _id_name(target.aweme_id, ".mp4")
    if isinstance(target, Video):
        best = rank_formats(
            target, watermark=watermark, codec=codec, max_height=max_height, smallest=smallest
        )[0]
        return best.address, _name(best.address, ".mp4")
    if isinstance(target, Music):
        if target.play_url is None or not _has_urls(target.play_url):
            raise DownloadError(f"{_describe(target)} has no play_url")
        return target.play_url, _id_name(target.id, ".mp3")
    if isinstance(target, UrlList):
        return target, _name(target, "")
    raise TypeError(f"target must be a Post, Video, Music or UrlList, not {type(target).__name__}")


def _has_urls(address: Optional[UrlList]) -> bool:
    return address is not None and bool(address.url_list)


def _id_name(id: Optional[str], suffix: str) -> Optional[str]:
    """``{id}{suffix}``, the name of the file in a directory (checked by :func:`_open_sink`)."""
    return f"{id}{suffix}" if id else None


def _name(address: UrlList, suffix: str) -> Optional[str]:
    """A file name from the address's ``uri`` (its last part, made safe and short), if it has one."""
    last = (address.uri or "").rstrip("/").rsplit("/", 1)[-1]
    safe = _SAFE_NAME.sub("_", last).strip("._")[:MAX_NAME].rstrip("._")
    return safe + suffix if safe else None


def _describe(target: Target) -> str:
    if isinstance(target, Post):
        return f"post {shown(target.aweme_id)}"
    if isinstance(target, Music):
        return f"sound {shown(target.id)}"
    return type(target).__name__


def shown(value: object) -> str:
    """``repr(value)`` for a message, cut short: ids and paths come from the answer."""
    text = repr(value)
    return text if len(text) <= 48 else text[:40] + "..."


def _shown_url(url: str) -> str:
    """A url for a message: without its query (signed CDN urls carry tokens), and short."""
    bare = url.split("?", 1)[0]
    return bare if len(bare) <= 100 else bare[:80] + "..."


def _announced_total(
    response: requests.Response, start: int, known: Optional[int], address: UrlList
) -> Optional[int]:
    """The file's size as the answer states it, checked against what we know."""
    if response.status_code == 206:
        match = _CONTENT_RANGE.fullmatch(response.headers.get("Content-Range", ""))
        if match is None:
            raise _MismatchError("206 without a valid Content-Range")
        first, last, size = int(match[1]), int(match[2]), match[3]
        if first != start:
            raise _MismatchError(f"asked for bytes from {start}, got them from {first}")
        total: Optional[int] = int(size) if size != "*" else None
        length = response.headers.get("Content-Length")
        if length is not None and length.isdigit() and int(length) != last - first + 1:
            raise _MismatchError("Content-Length does not match Content-Range")
    else:
        length = response.headers.get("Content-Length")
        total = int(length) if length is not None and length.isdigit() else None
    if total is not None and known is not None and total != known:
        raise _MismatchError(f"the file changed size between requests ({known} then {total})")
    if total is not None and address.data_size is not None and total != address.data_size:
        raise _MismatchError(
            f"the server sends {total} bytes, the address says {address.data_size}"
        )
    return total if total is not None else known


def _check(size: int, md5: str, total: Optional[int], address: UrlList) -> None:
    if total is not None and size != total:
        raise _MismatchError(f"got {size} bytes of {total}")
    if address.data_size is not None and size != address.data_size:
        raise _MismatchError(f"got {size} bytes, the address says {address.data_size}")
    expected = (address.file_hash or "").strip().lower()
    if expected and len(expected) == 32 and md5 != expected:
        raise _MismatchError(f"MD5 {md5} differs from the address's file_hash {expected}")


# -- where the bytes go ----------------------------------------------------------------


class _Sink:
    """Receives the bytes; ``restart`` empties it, ``commit`` places them, ``close`` cleans up."""

    def write(self, data: bytes) -> None:
        raise NotImplementedError

    def restart(self) -> None:
        raise NotImplementedError

    def commit(self) -> Optional[str]:
        raise NotImplementedError

    def close(self) -> None:
        pass

    def __enter__(self) -> _Sink:
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.close()


class _FileSink(_Sink):
    """A temporary file beside ``final``, renamed onto it by :meth:`commit`."""

    def __init__(self, final: Path) -> None:
        self.final = final
        # Not mkstemp: its files are 0600; this one gets the umask's mode, as any new file.
        while True:
            self._tmp = str(final.parent / f".{final.name}.{secrets.token_hex(4)}.part")
            try:
                handle = os.open(self._tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
                break
            except FileExistsError:
                continue
        self._file: Optional[IO[bytes]] = os.fdopen(handle, "wb")
        self._committed = False

    def write(self, data: bytes) -> None:
        assert self._file is not None
        self._file.write(data)

    def restart(self) -> None:
        assert self._file is not None
        self._file.seek(0)
        self._file.truncate()

    def commit(self) -> str:
        assert self._file is not None
        self._file.close()
        self._file = None
        os.replace(self._tmp, self.final)
        self._committed = True
        return str(self.final)

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None
        if not self._committed:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self._tmp)


class _StreamSink(_Sink):
    """A binary file object of the caller's: restarts and failures go back to where it was."""

    def __init__(self, stream: IO[bytes]) -> None:
        self.stream = stream
        self._start: Optional[int] = None
        try:
            if stream.seekable():
                self._start = stream.tell()
        except (OSError, ValueError):
            self._start = None
        self._written = 0
        self._committed = False

    def write(self, data: bytes) -> None:
        self.stream.write(data)
        self._written += len(data)

    def restart(self) -> None:
        if not self._written:
            return
        if self._start is None:
            raise _UrlFailedError("the file object cannot seek back to restart the transfer")
        self.stream.seek(self._start)
        self.stream.truncate()
        self._written = 0

    def commit(self) -> None:
        self._committed = True
        self.stream.flush()

    def close(self) -> None:
        if not self._committed and self._written and self._start is not None:
            self.stream.seek(self._start)
            self.stream.truncate()


class _CaptionBuffer(io.BytesIO):
    """Holds a caption file in memory, up to :data:`MAX_CAPTION` bytes (an answer is not trusted)."""

    def write(self, data: Any) -> int:
        if self.tell() + len(data) > MAX_CAPTION:
            raise _UrlFailedError(f"a caption file is larger than {MAX_CAPTION} bytes")
        return super().write(data)


def _open_sink(dest: Dest, name: Optional[str]) -> _Sink:
    if isinstance(dest, (str, os.PathLike)):
        path = Path(dest)
        if path.is_dir():
            if not name:
                raise DownloadError(
                    "dest is a directory but the address names no file: give a file path"
                )
            if not FILE_NAME.fullmatch(name):
                raise DownloadError(
                    f"the answer's id {shown(name)} cannot name a file in a directory (only "
                    "letters, digits, '.', '_' and '-', not first a dot, at most 200): "
                    "give dest as a file path"
                )
            path = path / name
        try:
            return _FileSink(path)
        except OSError as exc:
            raise DownloadError(f"cannot write beside {shown(str(path))}: {exc.strerror}") from exc
    if isinstance(dest, io.TextIOBase):
        raise TypeError("dest must be opened in binary mode ('wb')")
    if hasattr(dest, "write"):
        return _StreamSink(dest)
    raise TypeError(f"dest must be a path or a binary file object, not {type(dest).__name__}")
