"""``tiktok live status TARGET`` and ``tiktok live record TARGET -o DIR``: who is live, and keeping it.

``record`` stops when the room ends, at ``--max-seconds``/``--max-bytes``, or on
Ctrl-C or SIGTERM: this command's own handlers set the recording's stop event,
and the file is closed whole (docs/live.rst (Recording)).
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from pathlib import Path
from types import FrameType
from typing import Any, Callable, Dict, Optional, Union

import attrs

from ..client import Client
from ..models import Room
from .config import UsageError, open_client
from .output import emit

__all__ = ["add_live"]

TARGET_HELP = "the user (@handle, numeric id or sec_user_id), or with --room the room's id"


def add_live(
    actions: Any,
    add_client_options: Callable[..., None],
    seconds: Callable[[str], float],
    positive_int: Callable[[str], int],
) -> None:
    """Add ``status`` and ``record`` to the ``live`` group's ``actions`` (argparse subparsers);
    ``seconds`` and ``positive_int`` parse their limits as the other commands' options."""
    status = actions.add_parser(
        "status",
        help="whether a user or room is live now (from the room's status, 2 live, 4 ended)",
        description="Print whether a user or room is live now as one JSON line: live, "
        "status (2 live, 4 ended), room_id, user. A user who is not live is an answer "
        "(exit 0), not an error.",
    )
    _add_target(status)
    add_client_options(status, top=False)
    status.set_defaults(handler=_run_status)

    record = actions.add_parser(
        "record",
        help="record a live room into a directory until it ends (or Ctrl-C)",
        description="Record a live room as it streams (HTTP-FLV, or HLS with --hls or when "
        "the room has no FLV stream) into a file named {handle}-{room_id}-{time}.flv in "
        "-o DIR, reconnecting after drops while the room is live. Stops when the room "
        "ends, at a limit, or on Ctrl-C or SIGTERM, leaving a file that plays; prints "
        "what was written as one JSON line.",
    )
    _add_target(record)
    record.add_argument("-o", "--output", metavar="DIR", default=".",
                        help="the directory (made if missing; default: here) or a file path")  # fmt: skip
    record.add_argument("--quality", metavar="NAME",
                        help="a stream quality by name (origin, hd, FULL_HD1...; default: the best)")  # fmt: skip
    record.add_argument("--hls", action="store_true",
                        help="record the HLS stream rather than HTTP-FLV")  # fmt: skip
    record.add_argument("--max-seconds", type=seconds, metavar="S",
                        help="stop after this many seconds of stream")  # fmt: skip
    record.add_argument("--max-bytes", type=positive_int, metavar="N",
                        help="stop before the file would pass N bytes")  # fmt: skip
    add_client_options(record, top=False)
    record.set_defaults(handler=_run_record)


def _add_target(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("target", metavar="TARGET", help=TARGET_HELP)
    parser.add_argument("--room", action="store_true",
                        help="TARGET is a room id, not a user")  # fmt: skip
    parser.add_argument("--webcast-url", metavar="URL",
                        help="the webcast host that answers room info (default: TikTok's)")  # fmt: skip


def _target(args: argparse.Namespace) -> Union[str, Room]:
    text: str = args.target
    if args.room:
        if not (text.isascii() and text.isdigit()):
            raise UsageError(f"--room takes a numeric room id, not {text!r}")
        return Room(room_id=text)
    return text


def _run_status(args: argparse.Namespace) -> int:
    with open_client(args, login=False) as client:
        state = client.live.status(_target(args))
    user = state.user
    emit(
        {
            "live": state.live,
            "status": state.status,
            "room_id": state.room.key if state.room is not None else None,
            "user": f"@{user.unique_id}" if user is not None and user.unique_id else None,
        },
        sys.stdout,
    )
    return 0


def _run_record(args: argparse.Namespace) -> int:
    output = Path(args.output)
    if not output.suffix:
        try:
            output.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UsageError(f"cannot make the directory {output}: {exc.strerror or exc}") from None
    stop = threading.Event()
    progress = _Progress() if sys.stderr.isatty() else None

    def stop_recording(signum: int, frame: Optional[FrameType]) -> None:
        stop.set()

    # This command's own handlers (a library sets none): Ctrl-C and SIGTERM end the
    # recording at the next chunk, closing the file whole.
    previous = {sig: signal.signal(sig, stop_recording) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        with open_client(args, login=False) as client:
            result = _record(client, args, output, stop, progress)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if progress is not None:
            progress.finish()
    data: Dict[str, Any] = attrs.asdict(result)
    data["stream"] = {key: data["stream"][key] for key in ("quality", "protocol", "codec")}
    emit(data, sys.stdout)
    return 0


def _record(
    client: Client,
    args: argparse.Namespace,
    output: Path,
    stop: threading.Event,
    progress: Optional[_Progress],
) -> Any:
    return client.live.record(
        _target(args),
        output,
        quality=args.quality,
        protocol="hls" if args.hls else None,
        max_seconds=args.max_seconds,
        max_bytes=args.max_bytes,
        progress=progress,
        stop=stop,
    )


class _Progress:
    """``12.3 MB, 00:04:10 recorded`` redrawn in place on stderr."""

    def __init__(self) -> None:
        self._drawn = False

    def __call__(self, size: int, seconds: float) -> None:
        minutes, second = divmod(int(seconds), 60)
        hours, minute = divmod(minutes, 60)
        sys.stderr.write(f"\r{size / 1e6:.1f} MB, {hours:02d}:{minute:02d}:{second:02d} recorded")
        sys.stderr.flush()
        self._drawn = True

    def finish(self) -> None:
        if self._drawn:
            sys.stderr.write("\n")
            sys.stderr.flush()
