"""``tiktok download POST_OR_LINK [-o DIR] [--watermark]``: a post's video into a directory."""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Any, Callable, Optional, TextIO

import attrs

from .commands import id_or_link, resolve_ref
from .config import UsageError, open_client
from .output import emit

__all__ = ["ProgressBar", "add_download", "run_download"]

HELP = "download a post's video (no watermark by default) into a directory or a file"


def add_download(commands: Any, add_client_options: Callable[..., None]) -> None:
    """Add ``download`` to the top-level ``commands`` (argparse's subparsers)."""
    parser = commands.add_parser(
        "download",
        help=HELP,
        description=f"{HELP[0].upper()}{HELP[1:]} (in a directory: {{aweme_id}}.mp4); an "
        "existing file is refused unless --overwrite. Prints what was "
        "written as one JSON line (path, size, md5, url). A progress bar shows on a terminal.",
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
    add_client_options(parser, top=False)
    parser.set_defaults(handler=run_download)


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
    bar = ProgressBar(sys.stderr) if sys.stderr.isatty() else None
    with open_client(args) as client:
        post_id = resolve_ref(client, "post", args.post)
        if not (post_id.isascii() and post_id.isdigit()):
            raise UsageError(f"{args.post} does not name a post by a numeric id")
        path = output_path(args.output, post_id)
        if path.is_dir():
            raise UsageError(f"{path} is a directory: give another -o")
        if path.exists() and not args.overwrite:
            raise UsageError(f"{path} exists: give --overwrite to replace it, or another -o")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UsageError(
                f"cannot make the directory {path.parent}: {exc.strerror or exc}"
            ) from None
        post = client.posts.get(post_id)
        try:
            result = client.media.download(post, path, watermark=args.watermark, progress=bar)
        finally:
            if bar is not None:
                bar.finish()
    emit(attrs.asdict(result), sys.stdout)
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
