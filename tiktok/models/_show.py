"""What models share beyond their fields: aware datetimes from epoch seconds, short reprs."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Optional

__all__ = ["at", "short_repr"]

# How much of a free text (a post's desc, a comment) a repr shows.
TEXT_SHOWN = 40


def at(seconds: Optional[int]) -> Optional[datetime]:
    """A Unix time in seconds as a timezone-aware UTC ``datetime``.

    ``None`` when the field was not sent, or holds no usable time (not an
    integer, or out of the platform's range).
    """
    if type(seconds) is not int:
        return None
    try:
        return datetime.fromtimestamp(seconds, tz=timezone.utc)
    except (OverflowError, OSError, ValueError):
        return None


def handle(user: Any) -> Optional[str]:
    """A user as a repr shows them: ``@unique_id``, else the uid."""
    if user is None:
        return None
    name = getattr(user, "unique_id", None)
    return f"@{name}" if name else getattr(user, "uid", None)


def clipped(text: Optional[str]) -> Optional[str]:
    if text is None or len(text) <= TEXT_SHOWN:
        return text
    return text[: TEXT_SHOWN - 1] + "…"


def short_repr(model: Any, **shown: Any) -> str:
    """``Name(key=value, …)`` with the values that are not ``None``."""
    fields = ", ".join(f"{key}={value!r}" for key, value in shown.items() if value is not None)
    return f"{type(model).__name__}({fields})"
