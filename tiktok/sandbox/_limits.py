"""What one request or one connection may cost the sandbox, and reading a body within it.

A sandbox may run for days in front of anything that can reach its port: each
malformed request gets a 4xx and one log line, a body never grows past
``max_body`` whatever its framing says, an idle connection is closed, and at
most ``max_connections`` connections are served at once (the others get 503).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from email.message import Message
from io import BufferedIOBase
from typing import List

__all__ = ["BadRequestError", "Limits", "read_body"]

# The longest line of chunked framing we read (a size, its extensions, a trailer).
MAX_FRAMING_LINE = 4096
MAX_TRAILERS = 32
_CHUNK_SIZE = re.compile(rb"[0-9a-fA-F]{1,8}")
_LENGTH = re.compile(r"[0-9]{1,12}")


@dataclass(frozen=True)
class Limits:
    """The sandbox's bounds; the defaults fit every test and demo with room to spare."""

    #: request bodies (forms and JSON of this API are tiny)
    max_body: int = 1 << 20
    #: connections served at once; one more is answered 503 and closed
    max_connections: int = 64
    #: seconds a connection may stay silent (between requests or inside one)
    idle_timeout: float = 30.0

    def __post_init__(self) -> None:
        for name in ("max_body", "max_connections"):
            value = getattr(self, name)
            if type(value) is not int or value < 1:
                raise ValueError(f"{name} must be an int >= 1, not {value!r}")
        timeout = self.idle_timeout
        if type(timeout) not in (int, float) or not 0 < timeout < float("inf"):
            raise ValueError(f"idle_timeout must be seconds > 0, not {timeout!r}")


class BadRequestError(Exception):
    """A request the sandbox refuses before reading further: its status and reason."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


def read_body(rfile: BufferedIOBase, headers: Message, max_body: int) -> bytes:
    """The body of a request whose headers are read, or :class:`BadRequestError`.

    Framing follows RFC 9112 section 6: ``Transfer-Encoding: chunked`` alone, or
    one ``Content-Length`` of digits; both at once, several lengths, or any other
    transfer coding are refused, since reading them our way could take a second
    request for a body (or a body for a request).
    """
    if headers.defects:
        raise BadRequestError(400, "malformed header line")
    codings = headers.get_all("Transfer-Encoding") or []
    lengths = headers.get_all("Content-Length") or []
    if codings:
        if lengths:
            raise BadRequestError(400, "both Transfer-Encoding and Content-Length")
        names = [part.strip().lower() for value in codings for part in value.split(",")]
        if names != ["chunked"]:
            raise BadRequestError(501, "only the chunked transfer coding is supported")
        return _read_chunks(rfile, max_body)
    if not lengths:
        return b""
    if len(set(value.strip() for value in lengths)) != 1 or not _LENGTH.fullmatch(
        lengths[0].strip()
    ):
        raise BadRequestError(400, "malformed Content-Length")
    length = int(lengths[0])
    if length > max_body:
        raise BadRequestError(413, "body too large")
    body = rfile.read(length) if length else b""
    if len(body) != length:
        raise BadRequestError(400, "body shorter than its Content-Length")
    return body


def _read_chunks(rfile: BufferedIOBase, max_body: int) -> bytes:
    chunks: List[bytes] = []
    total = 0
    while True:
        size = _chunk_size(_line(rfile))
        if size == 0:
            break
        total += size
        if total > max_body:
            raise BadRequestError(413, "body too large")
        chunk = rfile.read(size)
        if len(chunk) != size or _line(rfile).strip():
            raise BadRequestError(400, "malformed chunk")
        chunks.append(chunk)
    for _ in range(MAX_TRAILERS + 1):
        if not _line(rfile).strip():
            return b"".join(chunks)
    raise BadRequestError(431, "too many trailers")


def _line(rfile: BufferedIOBase) -> bytes:
    line = rfile.readline(MAX_FRAMING_LINE + 1)
    if len(line) > MAX_FRAMING_LINE:
        raise BadRequestError(400, "chunk framing line too long")
    if not line.endswith(b"\n"):
        raise BadRequestError(400, "body ended inside its chunked framing")
    return line


def _chunk_size(line: bytes) -> int:
    digits = line.split(b";", 1)[0].strip()
    if not _CHUNK_SIZE.fullmatch(digits):
        raise BadRequestError(400, "malformed chunk size")
    return int(digits, 16)
