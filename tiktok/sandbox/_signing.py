"""The sandbox's signature schemes, for the client and the server.

URL mode (docs/protocol.rst (Query order and URL signing)): ``h =
HMAC-SHA256(key, request_target).hexdigest()``; the signed URL is the URL plus
``&as=h[0:20]&cp=h[20:40]&mas=h[40:64]``. The request target is everything from
the first ``/`` after the host: path, ``?`` and query, exactly as given.

Headers mode (docs/protocol.rst (Request signing)): ``X-Khronos``, ``X-SS-STUB``
and ``X-Gorgon`` over the target, the body and the cookie.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
from typing import Dict, List, Mapping

from ..signing import Signature, SignRequest, ss_stub

__all__ = [
    "SandboxRequestSigner",
    "SandboxSigner",
    "decode_target",
    "gorgon",
    "request_target",
    "sign_for_service",
    "signature",
    "signature_headers",
    "verify_headers",
    "verify_target",
]

_STUB = re.compile(r"(?:[0-9A-F]{32})?")
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


# -- headers mode (docs/protocol.rst (Request signing)) ----------------------------------

SIGNING_MODES = ("url", "headers")
#: How far X-Khronos may be from the sandbox's clock, in seconds.
MAX_SKEW = 60
#: The headers-mode signature headers, as the sandbox sees them (lower case).
URL_SIGNATURE_PARAMS = frozenset({"as", "cp", "mas"})


def gorgon(key: str, khronos: str, method: str, target: str, stub: str, cookie: str) -> str:
    """The sandbox's ``X-Gorgon``: ``"8404"`` and the first 48 hex digits of
    HMAC-SHA256(key, ``"{khronos}\\n{method}\\n{target}\\n{stub}\\n{cookie}"``)."""
    message = f"{khronos}\n{method}\n{target}\n{stub}\n{cookie}"
    return "8404" + signature(key, message.encode("utf-8"))[:48]


def signature_headers(
    key: str, *, ts: int, method: str, target: str, body: bytes, cookie: str
) -> Dict[str, str]:
    """``X-Khronos``, ``X-SS-STUB`` (when there is a body) and ``X-Gorgon`` for a request."""
    stub = ss_stub(body) if body else ""
    return stub_signature_headers(
        key, ts=ts, method=method, target=target, stub=stub, cookie=cookie
    )


def stub_signature_headers(
    key: str, *, ts: int, method: str, target: str, stub: str, cookie: str
) -> Dict[str, str]:
    """The same from the body's stub (its MD5, ``""`` when none): all the scheme signs of it."""
    headers = {"X-Khronos": str(ts)}
    if stub:
        headers["X-SS-STUB"] = stub
    headers["X-Gorgon"] = gorgon(key, str(ts), method, target, stub, cookie)
    return headers


def verify_headers(
    key: str,
    *,
    method: str,
    target: str,
    headers: Mapping[str, str],
    body: bytes,
    now: float,
) -> bool:
    """Whether a request (``headers`` by lower-case name, ``target`` raw) is signed in headers mode."""
    _, _, query = target.partition("?")
    params: Dict[str, List[str]] = {}
    for part in query.split("&") if query else ():
        name, _, value = part.partition("=")
        params.setdefault(name, []).append(value)
    if URL_SIGNATURE_PARAMS & params.keys():
        return False
    khronos = headers.get("x-khronos", "")
    if params.get("ts") != [khronos] or not khronos.isdigit():
        return False
    if abs(now - int(khronos)) > MAX_SKEW:
        return False
    stub = headers.get("x-ss-stub", "")
    if body and stub != ss_stub(body):
        return False
    cookie = headers.get("cookie", "")
    # http.server read the target and headers as latin-1: these are the bytes received.
    message = f"{khronos}\n{method}\n{target}\n{stub}\n{cookie}".encode("latin-1", "replace")
    expected = "8404" + signature(key, message)[:48]
    return hmac.compare_digest(expected, headers.get("x-gorgon", ""))


class SandboxRequestSigner:
    """Signs requests in headers for a sandbox started with ``signing="headers"`` and the same ``key``.

    The request-signer counterpart of :class:`SandboxSigner`: it answers
    ``X-Khronos``, ``X-SS-STUB`` and ``X-Gorgon`` as docs/protocol.rst (Request
    signing) describes. A real signer for TikTok is yours to supply.
    """

    def __init__(self, key: str = "sandbox") -> None:
        if not isinstance(key, str) or not key:
            raise ValueError("the signing key must be a non-empty str")
        self.key = key

    def __repr__(self) -> str:
        return f"SandboxRequestSigner(key={self.key!r})"

    def sign_request(self, request: SignRequest) -> Signature:
        """The three headers for ``request`` (over its target, body and cookie)."""
        return Signature(
            headers=signature_headers(
                self.key,
                ts=request.ts,
                method=request.method,
                target=f"{request.path}?{request.query}",
                body=request.body,
                cookie=request.cookie,
            )
        )


def sign_for_service(key: str, mode: str, payload: object) -> Dict[str, object]:
    """The ``POST /sign`` answer for a RemoteSigner payload; ValueError if it is malformed."""
    if not isinstance(payload, dict):
        raise ValueError("the payload must be a JSON object")
    method, url, cookie = payload.get("method"), payload.get("url"), payload.get("cookie", "")
    ts, body, stub = payload.get("ts"), payload.get("body", ""), payload.get("stub")
    if not isinstance(method, str) or not isinstance(url, str) or not isinstance(cookie, str):
        raise ValueError('"method", "url" and "cookie" must be strings')
    if type(ts) is not int or not isinstance(body, str):
        raise ValueError('"ts" must be an integer and "body" base64 text')
    if stub is not None and (not isinstance(stub, str) or not _STUB.fullmatch(stub)):
        raise ValueError('"stub" must be the body\'s MD5 in upper-case hex, or ""')
    # RemoteSigner sends the body's MD5 ("stub"), which is all the scheme signs; a
    # payload with the whole body (base64 "body") is read too.
    if stub is None:
        try:
            raw = base64.b64decode(body, validate=True)
        except (binascii.Error, ValueError):
            raise ValueError('"body" is not base64') from None
        stub = ss_stub(raw) if raw else ""
    if mode == "url":
        return {"headers": {}, "url": SandboxSigner(key).sign(url, ts, "")}
    headers = stub_signature_headers(
        key, ts=ts, method=method, target=request_target(url), stub=stub, cookie=cookie
    )
    return {"headers": headers}


def sandbox_encrypt(key: str, data: bytes) -> bytes:
    """The sandbox's own stand-in for an app's encryption of a device description:
    XOR with SHA-256 of the key, repeated (no secret at all; never TikTok's scheme).
    Applied twice, it gives the data back."""
    pad = hashlib.sha256(f"encrypt:{key}".encode()).digest()
    return bytes(byte ^ pad[n % len(pad)] for n, byte in enumerate(data))
