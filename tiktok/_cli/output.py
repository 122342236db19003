"""JSON Lines on stdout; progress and the resume cursor on stderr."""

from __future__ import annotations

import functools
import json
import re
import signal
import threading
import typing
from types import FrameType, TracebackType
from typing import Any, Dict, List, Optional, TextIO, Type

import attrs

from .._converter import to_dict
from ..models import ID, Model
from ..pagination import Pager

__all__ = ["emit", "json_line", "json_text", "printable", "stream"]

# Erase the current terminal line and return to its start.
CLEAR_LINE = "\r\x1b[K"


# API text (nicknames, bios, status_msg) is anyone's: an escape sequence in it must not
# reach a terminal raw (OSC sets the title or the clipboard, CSI clears the screen).
# C0 controls, DEL and the C1 controls (0x9b is CSI and 0x9d OSC on their own).
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
# json.dumps escapes C0 itself; DEL and C1 only occur inside JSON strings, where \u is exact.
_JSON_CONTROL = re.compile("[\x7f-\x9f]")


def printable(text: str) -> str:
    """``text`` for a human-readable line on a terminal: control characters as ``\\xNN``."""
    return _CONTROL.sub(lambda match: f"\\x{ord(match.group()):02x}", text)


def json_text(data: Any) -> str:
    """``data`` as one line of JSON, with no control character left raw (it parses the same)."""
    text = json.dumps(data, ensure_ascii=False)
    return _JSON_CONTROL.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def json_line(value: Any) -> str:
    """One JSON line: a model through ``to_dict`` with every id a string, anything else as is."""
    data = ids_as_text(value, to_dict(value)) if isinstance(value, Model) else value
    return json_text(data)


def ids_as_text(value: Any, data: Any) -> Any:
    """``data``, the JSON of the model ``value``, with every id a string (see docs/cli.rst).

    ``to_dict`` gives an id sent as a JSON number back as a number; a 19-digit one
    loses its last digits in ``jq`` and JavaScript. The id fields (typed ``ID``) are
    printed as strings instead. Unknown keys (``additional_properties``) are left
    as they came.
    """
    if isinstance(value, list) and isinstance(data, list) and len(value) == len(data):
        return [ids_as_text(item, item_data) for item, item_data in zip(value, data)]
    if isinstance(value, Model) and isinstance(data, dict):
        cl: type = type(value)
        fields = _id_fields(cl)
        return {
            key: item
            if key not in fields
            else _as_text(item)
            if fields[key]
            else ids_as_text(getattr(value, key), item)
            for key, item in data.items()
        }
    return data


_ID_TYPES = (ID, Optional[ID], List[ID], Optional[List[ID]])


@functools.cache
def _id_fields(cl: type) -> Dict[str, bool]:
    """A model's field names, each with whether it holds an id (or a list of ids)."""
    hints = typing.get_type_hints(cl)
    return {field.name: hints.get(field.name) in _ID_TYPES for field in attrs.fields(cl)}


def _as_text(item: Any) -> Any:
    if type(item) is int:
        return str(item)
    if type(item) is list:
        return [str(one) if type(one) is int else one for one in item]
    return item


def emit(result: Any, out: TextIO) -> None:
    """Write a command's result: a model or dict per line (a list gives several lines)."""
    for value in result if isinstance(result, list) else [result]:
        out.write(json_line(value) + "\n")
    out.flush()


def resume_hint(cursor: int) -> str:
    return f"next cursor: {cursor} (resume with --cursor {cursor})"


class _Progress:
    """A single self-overwriting status line, only ever drawn on a terminal."""

    def __init__(self, err: TextIO, label: str) -> None:
        self._err = err
        self._label = label
        self._shown = False

    def show(self, items: int, pages: int) -> None:
        noun = "page" if pages == 1 else "pages"
        self._err.write(f"{CLEAR_LINE}{self._label}: {items} items, {pages} {noun}...")
        self._err.flush()
        self._shown = True

    def clear(self) -> None:
        if self._shown:
            self._err.write(CLEAR_LINE)
            self._err.flush()
            self._shown = False


class _PageWhole:
    """Ctrl-C while a page's lines are written takes effect once they are all out.

    A KeyboardInterrupt raised inside a write to a full pipe leaves half a JSON
    line behind. Only the command line's own listings use this, on the main
    thread, and only where Ctrl-C raises KeyboardInterrupt (a background job's
    ignored SIGINT stays ignored).
    """

    def __init__(self) -> None:
        self.pending = False
        self._previous: Any = None

    def _hold(self, signum: int, frame: Optional[FrameType]) -> None:
        self.pending = True

    def __enter__(self) -> _PageWhole:
        self.pending = False
        main = threading.current_thread() is threading.main_thread()
        if main and signal.getsignal(signal.SIGINT) is signal.default_int_handler:
            self._previous = signal.signal(signal.SIGINT, self._hold)
        return self

    def __exit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc: Optional[BaseException],
        tb: Optional[TracebackType],
    ) -> None:
        if self._previous is not None:
            signal.signal(signal.SIGINT, self._previous)
            self._previous = None
        if self.pending and exc_type is None:
            raise KeyboardInterrupt


def stream(pager: Pager[Any], out: TextIO, err: TextIO, *, label: str) -> int:
    """Write every item of ``pager`` as it arrives; return the number written.

    When the walk stops before the listing's end (the limit was reached, or an
    error or Ctrl-C cut it short after some pages), the cursor to resume from is
    printed on ``err``. Pages are written whole, so that cursor never skips or
    repeats an item. Items set aside because they did not fit their model are
    counted on ``err`` at the end.
    """
    progress = _Progress(err, label) if _is_terminal(err) else None
    items = pages = 0
    # Where the next unwritten page starts; None before the first page and for feeds.
    resume: Optional[int] = None
    finished = False
    walk = pager.pages()
    try:
        for page in walk:
            if progress is not None:
                progress.clear()
            with _PageWhole():
                for item in page.items:
                    out.write(json_line(item) + "\n")
                out.flush()
                items += len(page.items)
                pages += 1
                resume = None if page.is_last else page.next_cursor
            if progress is not None:
                progress.show(items, pages)
        finished = True
    finally:
        if progress is not None:
            progress.clear()
        if finished:
            # The walk knows whether it saw the end (an empty last page included).
            cursor = walk.cursor
            resume = cursor if isinstance(cursor, int) and not walk.exhausted else None
        if resume is not None:
            err.write(resume_hint(resume) + "\n")
        if walk.skipped_count:
            err.write(skipped_note(walk.skipped_count) + "\n")
        err.flush()
    return items


def skipped_note(count: int) -> str:
    noun = "item" if count == 1 else "items"
    return (
        f"skipped {count} {noun} that did not fit the model"
        " (each logged as a warning; --strict stops at the first instead)"
    )


def _is_terminal(stream: TextIO) -> bool:
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())
