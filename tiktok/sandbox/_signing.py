"""The sandbox's signature scheme (issue 3, item 3), for the client and the server.

``h = HMAC-SHA256(key, request_target).hexdigest()``; the signed URL is the URL
plus ``&as=h[0:20]&cp=h[20:40]&mas=h[40:64]``. The request target is everything
from the first ``/`` after the host: path, ``?`` and query, exactly as given.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from typing import List

__all__ = ["SandboxSigner", "decode_target", "request_target", "signature", "verify_target"]

_SIGNED = re.compile(
    r"(?P<target>.*)&as=(?P<as>[0-9a-f]{20})&cp=(?P<cp>[0-9a-f]{20})&mas=(?P<mas>[0-9a-f]{24})"
)


def request_target(url: str) -> str:
    """The request target of an absolute URL (or the URL itself when it is one already)."""
    if url.startswith("/"):
        return url
    scheme_end = url.find("://")
    host_start = scheme_end + 3 if scheme_end >= 0 else 0
    slash = url.find("/", host_start)
    if slash < 0:
        query = url.find("?", host_start)
        return "/" + url[query:] if query >= 0 else "/"
    return url[slash:]


def signature(key: str, target: bytes) -> str:
    return hmac.new(key.encode("utf-8"), target, hashlib.sha256).hexdigest()


# Node's legacy url.parse, which the npm client's HTTP stack applies *after* signing,
# percent-escapes these characters of its unencoded query values.
_NODE_ESCAPES = re.compile(r"%(20|22|27|3C|3E|5C|5E|60|7B|7C|7D)")


def _signed_forms(target: str) -> List[bytes]:
    """The byte strings a client may have signed for a target the server read as latin-1.

    First the bytes on the wire, exactly (http.server decodes the request line as
    latin-1). Then two leniencies for the npm client: Node writes code points up
    to U+00FF as single bytes but signs their UTF-8, and re-escapes some
    characters after signing.
    """
    forms = [target.encode("latin-1", "replace")]
    as_text = target.encode("utf-8")
    if as_text != forms[0]:
        forms.append(as_text)
    unescaped = _NODE_ESCAPES.sub(lambda match: chr(int(match[1], 16)), target)
    if unescaped != target:
        forms.append(unescaped.encode("utf-8"))
    return forms


def verify_target(key: str, target: str) -> bool:
    """Whether a raw request target carries the right ``as``/``cp``/``mas`` for ``key``."""
    match = _SIGNED.fullmatch(target)
    if match is None:
        return False
    given = match["as"] + match["cp"] + match["mas"]
    return any(
        hmac.compare_digest(signature(key, form), given) for form in _signed_forms(match["target"])
    )


def decode_target(target: str) -> str:
    """The text of a target read as latin-1: raw UTF-8 bytes become the characters they encode."""
    if target.isascii():
        return target
    try:
        return target.encode("latin-1").decode("utf-8")
    except UnicodeError:
        return target


class SandboxSigner:
    """Signs requests for a :class:`~tiktok.sandbox.Sandbox` started with the same ``key``.

    A real signer for TikTok is yours to supply; this one only satisfies the sandbox.
    """

    def __init__(self, key: str = "sandbox") -> None:
        if not isinstance(key, str) or not key:
            raise ValueError("the signing key must be a non-empty str")
        self.key = key

    def __repr__(self) -> str:
        return f"SandboxSigner(key={self.key!r})"

    def sign(self, url: str, ts: int, device_id: str) -> str:
        """Return ``url`` with ``&as=…&cp=…&mas=…`` appended (``ts`` and ``device_id`` unused)."""
        digest = signature(self.key, request_target(url).encode("utf-8"))
        return f"{url}&as={digest[:20]}&cp={digest[20:40]}&mas={digest[40:64]}"
