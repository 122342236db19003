"""``tiktok download POST_OR_LINK [-o PATH] ...`` and ``tiktok captions POST_OR_LINK ...``.

A video into a file, a photo post into a folder (docs/downloads.rst), a video's
formats listed (``--list-formats``), and a post's captions as SRT or WebVTT.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Any, Callable, Dict, Optional, TextIO

import attrs

from .._captions import CAPTION_FORMATS
from .._formats import CODECS
from ..models import Post
from .commands import id_or_link, resolve_ref
from .config import UsageError, open_client
from .output import emit

__all__ = ["ProgressBar", "add_captions", "add_download", "run_captions", "run_download"]

HELP = "download a post's video (no watermark by default) into a directory or a file"
CAPTIONS_HELP = "print or save a post's captions as SRT or WebVTT (--list: which there are)"


def add_download(commands: Any, add_client_options: Callable[..., None]) -> None:
    """Add ``download`` to the top-level ``commands`` (argparse's subparsers)."""
    parser = commands.add_parser(
        "download",
        help=HELP,
        description=f"{HELP[0].upper()}{HELP[1:]} (in a directory: {{aweme_id}}.mp4); an "
        "existing file is refused unless --overwrite. A photo post becomes a folder "
        "{aweme_id}/ in the directory: its images in order, sound.mp3 and manifest.json. "
        "Prints what was written as one JSON line (path, size, md5, url; a photo post's "
        "files too). A progress bar shows on a terminal.",
    )
    parser.add_argument("post", type=id_or_link("post"), metavar="POST_OR_LINK",
                        help="the post: numeric id (aweme_id) or share link")  # fmt: skip
    parser.add_argument("-o", "--output", metavar="PATH", default=".",
                        help="a directory (an existing one, one ending in /, or a new name "
                        "without suffix: made if missing; default: here) or a file path "
                        "such as video.mp4")  # fmt: skip
    parser.add_argument("--overwrite", action="store_true",
                        help="replace the file if it exists (default: refuse)")  # fmt: skip
    parser.add_argument("--watermark", action="store_true",
                        help="the version with TikTok's watermark (download_addr)")  # fmt: skip
    parser.add_argument("--codec", choices=CODECS,
                        help="only this codec (default: H.264 first, then H.265; bytevc2 only "
                        "when asked: common players cannot decode it)")  # fmt: skip
    parser.add_argument("--max-height", type=int, metavar="PIXELS",
                        help="no format taller than this (e.g. 720)")  # fmt: skip
    parser.add_argument("--smallest", action="store_true",
                        help="the format with the fewest bytes first")  # fmt: skip
    parser.add_argument("--list-formats", action="store_true",
                        help="print the formats in the order they would be tried, one JSON "
                        "line each, and download nothing")  # fmt: skip
    add_client_options(parser, top=False)
    parser.set_defaults(handler=run_download)


def add_captions(commands: Any, add_client_options: Callable[..., None]) -> None:
    """Add ``captions`` to the top-level ``commands`` (argparse's subparsers)."""
    parser = commands.add_parser(
        "captions",
        help=CAPTIONS_HELP,
        description=f"{CAPTIONS_HELP[0].upper()}{CAPTIONS_HELP[1:]}. Both sources are read: "
        "the post's caption tracks and its automatic captions; languages are BCP 47 tags "
        "(en-US), and --lang en takes any English one, tracks before automatic captions.",
    )
    parser.add_argument("post", type=id_or_link("post"), metavar="POST_OR_LINK",
                        help="the post: numeric id (aweme_id) or share link")  # fmt: skip
    parser.add_argument("--lang", metavar="TAG",
                        help="the language (en, en-US, eng-US ...; default: the first listed)")  # fmt: skip
    parser.add_argument("--format", choices=CAPTION_FORMATS, default="srt",
                        help="srt (default) or vtt (WebVTT)")  # fmt: skip
    parser.add_argument("-o", "--output", metavar="FILE",
                        help="write to this file (default: print)")  # fmt: skip
    parser.add_argument("--list", action="store_true",
                        help="print the captions there are, one JSON line each")  # fmt: skip
    add_client_options(parser, top=False)
    parser.set_defaults(handler=run_captions)


def output_path(output: str, post_id: str) -> Path:
    """The file ``-o`` names: ``{post_id}.mp4`` in a directory, or the file path given.

    A directory is one that exists, a path ending in ``/``, or a new name without a
    suffix (``-o videos``); anything else (``-o videos/clip.mp4``) is the file itself.
    """
    path = Path(output)
    if path.is_dir() or output.endswith(("/", os.sep)) or (not path.exists() and not path.suffix):
        return path / f"{post_id}.mp4"
    return path


def run_download(args: argparse.Namespace) -> int:
    if args.max_height is not None and args.max_height < 1:
        raise UsageError("--max-height must be a positive number of pixels")
    bar = ProgressBar(sys.stderr) if sys.stderr.isatty() else None
    choice = {"codec": args.codec, "max_height": args.max_height, "smallest": args.smallest}
    with open_client(args) as client:
        post_id = resolve_ref(client, "post", args.post)
        if not (post_id.isascii() and post_id.isdigit()):
            raise UsageError(f"{args.post} does not name a post by a numeric id")
        if args.list_formats:
            post = client.posts.get(post_id)
            formats = client.media.formats(post, watermark=args.watermark, **choice)
            emit([_line(f, direct=f.direct) for f in formats], sys.stdout)
            return 0
        path = output_path(args.output, post_id)
        post = client.posts.get(post_id)
        dest = _photo_folder_parent(post, path, args) if post.is_photo else _video_file(path, args)
        try:
            result = client.media.download(
                post, dest, watermark=args.watermark, progress=bar, **choice
            )
        finally:
            if bar is not None:
                bar.finish()
    emit(attrs.asdict(result), sys.stdout)
    return 0


def _video_file(path: Path, args: argparse.Namespace) -> Path:
    """``path``, checked: not a directory, not an existing file unless --overwrite."""
    if path.is_dir():
        raise UsageError(f"{path} is a directory: give another -o")
    if path.exists() and not args.overwrite:
        raise UsageError(f"{path} exists: give --overwrite to replace it, or another -o")
    _make_directory(path.parent)
    return path


def _photo_folder_parent(post: Post, path: Path, args: argparse.Namespace) -> Path:
    """The directory a photo post's folder ``{aweme_id}`` goes in: ``-o``, which must name one."""
    directory = Path(args.output)
    if path != directory / f"{post.aweme_id}.mp4":
        raise UsageError(
            f"{post.aweme_id} is a photo post, saved as a folder: -o must be a directory"
        )
    folder = directory / (post.aweme_id or "")
    if folder.exists() and not args.overwrite:
        raise UsageError(f"{folder} exists: give --overwrite to replace it, or another -o")
    _make_directory(directory)
    return directory


def _make_directory(directory: Path) -> None:
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"cannot make the directory {directory}: {exc.strerror or exc}") from None


def _line(value: Any, **more: Any) -> Dict[str, Any]:
    """An attrs value as a JSON line's dict, without its address (its urls are listed)."""
    fields: Dict[str, Any] = attrs.asdict(value, filter=lambda a, _: a.name != "address")
    return {**fields, **more}


def run_captions(args: argparse.Namespace) -> int:
    with open_client(args) as client:
        post_id = resolve_ref(client, "post", args.post)
        captions = client.media.captions(client.posts.get(post_id))
        if args.list:
            emit([_line(c, urls=c.address.url_list or []) for c in captions], sys.stdout)
            return 0
        chosen = [c for c in captions if args.lang is None or c.matches(args.lang)]
        if not chosen:
            there = ", ".join(sorted({c.language for c in captions})) or "none"
            wanted = f" in {args.lang}" if args.lang else ""
            raise UsageError(f"post {post_id} has no captions{wanted} (there are: {there})")
        text = client.media.caption_text(chosen[0], format=args.format)
    if args.output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
    else:
        try:
            Path(args.output).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise UsageError(f"cannot write {args.output}: {exc.strerror or exc}") from None
    return 0


class ProgressBar:
    """``[#####-----]  48%  1.2 of 2.5 MB`` redrawn in place on ``stream``, at most 10 times a second."""

    def __init__(
        self, stream: TextIO, width: int = 30, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.stream = stream
        self.width = width
        self.clock = clock
        self._last: Optional[float] = None
        self._drawn = False

    def __call__(self, done: int, total: Optional[int]) -> None:
        now = self.clock()
        final = total is not None and done >= total
        if self._last is not None and now - self._last < 0.1 and not final:
            return
        self._last = now
        if total:
            filled = min(self.width, self.width * done // total)
            line = (
                f"[{'#' * filled}{'-' * (self.width - filled)}] {100 * done // total:3d}%  "
                f"{done / 1e6:.1f} of {total / 1e6:.1f} MB"
            )
        else:
            line = f"{done / 1e6:.1f} MB"
        self.stream.write(f"\r{line}")
        self.stream.flush()
        self._drawn = True

    def finish(self) -> None:
        if self._drawn:
            self.stream.write("\n")
            self.stream.flush()
