"""Hiding secrets (credentials, session keys, tokens) in text, log records and exceptions."""

from __future__ import annotations

import contextlib
import re
from typing import List, Optional, Set

__all__ = ["redact", "redact_exception"]

# A secret's name, then "=" (a query, a cookie) or ":" (JSON, a dict or a header), then
# its value. The login's query carries the XOR-encoded credentials (trivially reversed).
_SECRET = re.compile(
    r"(?i)(?<![\w-])(password|email|username|mobile|session_?key|sessionid|x-tt-token)"
    r"([\"']?\s*[=:]\s*[\"']?)"
    r"[^&\s\"';,}]+"
)


def redact(text: str) -> str:
    """``text`` with the values of passwords, credentials, session keys and tokens hidden."""
    return _SECRET.sub(r"\1\2[redacted]", text)


def redact_exception(exc: BaseException) -> None:
    """Hide secrets in the messages of ``exc`` and of every exception it chains or wraps.

    Exceptions from urllib3 and from signers quote the request URL, and the login's
    URL carries the credentials; this runs before such an exception is chained to ours.
    """
    pending: List[Optional[BaseException]] = [exc]
    seen: Set[int] = set()
    while pending:
        current = pending.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        with contextlib.suppress(Exception):  # an exception class with read-only args
            current.args = tuple(redact(a) if isinstance(a, str) else a for a in current.args)
        pending.extend(a for a in current.args if isinstance(a, BaseException))
        pending.extend((current.__cause__, current.__context__))
