"""Query encoding and the signing step (docs/protocol.rst (Query order; Request signing)).

We never implement TikTok's signature: the user supplies a signer of either
generation. A URL signer (the seed's) appends ``&as=…&cp=…&mas=…`` to the URL; a
request signer sees everything that goes on the wire for one attempt (a
:class:`SignRequest`) and answers headers (a :class:`Signature`).
:func:`sign_attempt` is the one place either is called.
"""

from __future__ import annotations

import hashlib
import inspect
import ipaddress
import json
import re
import time
from types import MappingProxyType
from typing import (
    Any,
    Callable,
    Dict,
    Iterable,
    List,
    Mapping,
    Optional,
    Protocol,
    Tuple,
    Union,
    runtime_checkable,
)
from urllib.parse import quote

import attrs
import requests
import urllib3.exceptions
from urllib3.util import parse_url

from ._redact import redact, redact_exception
from .device import Device
from .errors import SignerError

__all__ = [
    "RemoteSigner",
    "RequestSigner",
    "SignRequest",
    "Signature",
    "Signer",
    "SupportsSignRequest",
    "as_signer",
    "encode_query",
    "sign_attempt",
    "ss_stub",
    "xor_encode",
]

# RFC 3986 unreserved characters plus "*" and "," stay as they are, so
# resolution=1080*1920 and sticker_ids=1,2 look as the app sends them.
_SAFE = "*,"
STUB_HEADER = "X-SS-STUB"
#: The largest answer a signing service may give, in bytes: a signature is a few headers.
MAX_SIGNER_ANSWER = 64 * 1024
# Headers that frame or route the request, or carry the session: the client sets them, a
# signer never does (one that gives back the value already there is not setting it).
RESERVED_HEADERS = frozenset(
    {
        "host",
        "content-length",
        "transfer-encoding",
        "connection",
        "keep-alive",
        "te",
        "trailer",
        "upgrade",
        "expect",
        "proxy-authorization",
        "proxy-connection",
        "cookie",
    }
)
# What a signing service is not sent: the token is no part of any signature (docs/signing.rst),
# and the cookies go once, as "cookie".
_NOT_FOR_THE_SERVICE = frozenset({"cookie", "x-tt-token"})


@runtime_checkable
class Signer(Protocol):
    """Anything that signs a request URL (the seed's generation).

    ``sign`` gets the full URL (with ``ts`` and ``_rticket`` already in it), the
    same ``ts`` as an int, and the device id; it returns that URL with
    ``&as=…&cp=…&mas=…`` appended.
    """

    def sign(self, url: str, ts: int, device_id: str) -> str:
        """Return ``url`` exactly as given, with ``&as=…&cp=…&mas=…`` appended."""
        ...


SignerFunction = Callable[[str, int, str], str]


def _read_only(value: Mapping[str, str]) -> Mapping[str, str]:
    if not isinstance(value, Mapping):
        raise TypeError(f"headers must be a mapping of str to str, not {type(value).__name__}")
    return MappingProxyType(dict(value))


def _bytes(value: bytes) -> bytes:
    if not isinstance(value, (bytes, bytearray, memoryview)):
        raise TypeError(f"body must be bytes, not {type(value).__name__}")
    return bytes(value)


@attrs.frozen
class SignRequest:
    """Everything that goes on the wire for one attempt, as a request signer sees it.

    ``url`` is ``base + path + "?" + query`` exactly as it will be sent (``ts`` and
    ``_rticket`` included); ``path`` runs from the first ``/`` after the host up
    to ``?`` and ``query`` follows it, so the request target is
    ``path + "?" + query``. ``body`` is the exact body (``b""`` when none).
    ``headers`` are the headers the client itself sets for this attempt (not
    ``Host`` or ``Content-Length``, which the HTTP library adds), ``Cookie``,
    ``x-tt-token`` and ``X-SS-STUB`` among them when they apply; ``cookie`` is
    the ``Cookie`` value (``""`` when none). ``time_left`` is the seconds left
    before the call's deadline (``None`` when not known): a signer that waits on
    something (a service) should give up by then. Build one with :meth:`create`.
    """

    method: str
    url: str
    path: str
    query: str
    body: bytes = attrs.field(converter=_bytes)
    headers: Mapping[str, str] = attrs.field(converter=_read_only)
    cookie: str
    ts: int
    rticket: int
    device: Device
    time_left: Optional[float] = attrs.field(default=None, eq=False)

    @classmethod
    def create(
        cls,
        *,
        method: str,
        url: str,
        body: bytes = b"",
        headers: Mapping[str, str],
        ts: int,
        rticket: int,
        device: Device,
        time_left: Optional[float] = None,
    ) -> SignRequest:
        """Derive ``path``, ``query`` and ``cookie``; add ``X-SS-STUB`` when there is a body."""
        target = _target(url)
        path, _, query = target.partition("?")
        all_headers = dict(headers)
        if body and _find(all_headers, STUB_HEADER) is None:
            all_headers[STUB_HEADER] = ss_stub(body)
        cookie_name = _find(all_headers, "Cookie")
        return cls(
            method=method,
            url=url,
            path=path,
            query=query,
            body=body,
            headers=all_headers,
            cookie=all_headers[cookie_name] if cookie_name is not None else "",
            ts=ts,
            rticket=rticket,
            device=device,
            time_left=time_left,
        )


@attrs.frozen
class Signature:
    """A request signer's answer: headers to add (replacing any of the same name,
    whatever its case) and, optionally, a ``url`` that extends the one given."""

    headers: Mapping[str, str] = attrs.field(factory=dict, converter=_read_only)
    url: Optional[str] = None


@runtime_checkable
class SupportsSignRequest(Protocol):
    """Anything that signs a whole request (today's generation)."""

    def sign_request(self, request: SignRequest) -> Signature:
        """Return the signature headers (and optionally a URL) for ``request``."""
        ...


AnySigner = Union[Signer, SupportsSignRequest]
"""A signer of either generation, as :func:`as_signer` returns it."""


class RequestSigner:
    """Makes a request signer of a plain function ``fn(SignRequest) -> Signature``."""

    __slots__ = ("_function",)

    def __init__(self, function: Callable[[SignRequest], Signature]) -> None:
        if not callable(function):
            raise TypeError(
                f"RequestSigner wraps a function (SignRequest) -> Signature, not {function!r}"
            )
        self._function = function

    def sign_request(self, request: SignRequest) -> Signature:
        """Call the wrapped function."""
        return self._function(request)

    def __repr__(self) -> str:
        return f"RequestSigner({getattr(self._function, '__qualname__', self._function)!r})"


class RemoteSigner:
    """A request signer that asks an HTTP signing service (docs/protocol.rst (Request signing)).

    Each attempt POSTs JSON ``{"method", "url", "stub", "headers", "cookie",
    "ts", "rticket", "device_id", "iid"}`` to ``endpoint`` (docs/signing.rst says
    exactly what each holds: never the body, only its MD5 ``stub``; never the
    ``x-tt-token``); the service answers ``200`` with JSON ``{"headers": {...}}``
    and optionally ``"url"``. Anything else is a :class:`~tiktok.SignerError`
    naming the HTTP status, and so is an answer over 64 KiB or one that is not
    complete within ``timeout`` seconds, or the time left of the call's deadline
    if that is shorter. The service is reached through a session of its own,
    never the API client's.

    ``endpoint`` must be ``https://``, or ``http://`` on this machine
    (``localhost``, ``127.0.0.0/8``, ``::1``): the service receives the session's
    cookies, and at login the encoded password. ``allow_http=True`` accepts plain
    ``http://`` to another host (a service on a private network you trust).
    """

    def __init__(self, endpoint: str, *, timeout: float = 5.0, allow_http: bool = False) -> None:
        _check_endpoint(endpoint, allow_http)
        if type(timeout) not in (int, float) or not 0 < timeout < float("inf"):
            raise ValueError(f"timeout must be seconds > 0, not {timeout!r}")
        self.endpoint = endpoint
        self.timeout = float(timeout)
        self.session = requests.Session()

    def __repr__(self) -> str:
        return f"RemoteSigner({redact(self.endpoint)!r}, timeout={self.timeout:g})"

    def close(self) -> None:
        """Close the signing service's pooled connections."""
        self.session.close()

    def __enter__(self) -> RemoteSigner:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def sign_request(self, request: SignRequest) -> Signature:
        """Ask the service to sign ``request``, within ``timeout`` and the call's deadline."""
        budget = self.timeout
        if request.time_left is not None:
            budget = min(budget, request.time_left)
        if budget <= 0:
            raise SignerError("no time was left to ask the signing service: the deadline passed")
        payload = {
            "method": request.method,
            "url": request.url,
            "stub": ss_stub(request.body) if request.body else "",
            "headers": {
                name: value
                for name, value in request.headers.items()
                if name.lower() not in _NOT_FOR_THE_SERVICE
            },
            "cookie": request.cookie,
            "ts": request.ts,
            "rticket": request.rticket,
            "device_id": request.device.device_id,
            "iid": request.device.iid,
        }
        body = self._ask(self.endpoint, budget, json=payload)
        try:
            data = json.loads(body)
        except (ValueError, RecursionError):
            raise SignerError("the signing service answered HTTP 200 without JSON") from None
        headers = data.get("headers") if isinstance(data, dict) else None
        url = data.get("url") if isinstance(data, dict) else None
        if not isinstance(headers, dict) or not (url is None or isinstance(url, str)):
            raise SignerError(
                'the signing service answered HTTP 200 without {"headers": {...}} '
                '(and an optional "url" string)'
            )
        return Signature(headers=headers, url=url)

    def encrypt(self, data: bytes) -> bytes:
        """The app's encryption of ``data`` (a device description), by the service's
        ``POST /encrypt`` beside its ``/sign`` (docs/signing.rst (A signing service: RemoteSigner)):
        the bytes in, the encrypted bytes out, within ``timeout``."""
        endpoint = self.endpoint.rstrip("/").rsplit("/", 1)[0] + "/encrypt"
        content = {"Content-Type": "application/octet-stream"}
        return self._ask(endpoint, self.timeout, data=data, headers=content)

    def _ask(
        self, endpoint: str, budget: float, *, headers: Optional[Dict[str, str]] = None, **body: Any
    ) -> bytes:
        """POST to the service and read its HTTP 200 answer, within ``budget`` seconds."""
        ends_at = time.monotonic() + budget
        try:
            response = self.session.post(
                endpoint,
                **body,
                headers={**(headers or {}), "Accept-Encoding": "identity"},
                timeout=budget,
                allow_redirects=False,
                stream=True,
            )
        except requests.RequestException as exc:
            redact_exception(exc)
            raise SignerError(
                f"the signing service could not be reached: {type(exc).__name__}"
            ) from exc
        try:
            if response.status_code != 200:
                raise SignerError(f"the signing service answered HTTP {response.status_code}")
            return _read_answer(response, ends_at, budget)
        finally:
            response.close()


def _read_answer(response: requests.Response, ends_at: float, budget: float) -> bytes:
    """The service's body as it arrives: at most MAX_SIGNER_ANSWER bytes, by ``ends_at``."""
    parts: List[bytes] = []
    size = 0
    try:
        while True:
            if time.monotonic() >= ends_at:
                raise SignerError(f"the signing service did not answer within {budget:.2g}s")
            data = response.raw.read1(MAX_SIGNER_ANSWER, decode_content=False)
            if not data:
                return b"".join(parts)
            size += len(data)
            if size > MAX_SIGNER_ANSWER:
                raise SignerError(
                    f"the signing service answered more than {MAX_SIGNER_ANSWER} bytes"
                )
            parts.append(data)
    except (urllib3.exceptions.HTTPError, OSError) as exc:
        if time.monotonic() >= ends_at:
            raise SignerError(f"the signing service did not answer within {budget:.2g}s") from None
        raise SignerError(f"the signing service's answer broke off: {type(exc).__name__}") from None


def _check_endpoint(endpoint: object, allow_http: bool) -> None:
    """An http(s) URL; plain http only to this machine unless ``allow_http``."""
    if not isinstance(endpoint, str) or not endpoint.startswith(("http://", "https://")):
        raise ValueError(f"endpoint must be an http(s) URL, not {endpoint!r}")
    try:
        host = parse_url(endpoint).host  # the host requests will connect to
    except ValueError:
        raise ValueError("endpoint is not a valid URL") from None
    if not host:
        raise ValueError("endpoint names no host")
    if endpoint.startswith("http://") and not allow_http and not is_loopback(host):
        raise ValueError(
            f"endpoint {redact(endpoint)!r} is plain http to another machine: the signing "
            "service receives the session's cookies (and at login the encoded password) in "
            "clear. Use https://, or pass allow_http=True for a network you trust"
        )


def is_loopback(host: str) -> bool:
    """Whether ``host`` (a name or an address, ``[v6]`` too) is this machine's loopback."""
    name = host.strip("[]").lower().rstrip(".")
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def encode_value(value: str) -> str:
    """Percent-encode one query value as UTF-8 (space is ``%20``)."""
    return quote(value, safe=_SAFE)


def encode_query(params: Iterable[Tuple[str, str]]) -> str:
    """``k=v&k=v`` in the given order, values percent-encoded."""
    return "&".join(f"{key}={quote(value, safe=_SAFE)}" for key, value in params)


def xor_encode(text: str, name: str = "text") -> str:
    """The login encoding of docs/protocol.rst (Login): each code point XOR 5, as lower-case hex.

    Only characters whose code XOR 5 is two hex digits (U+0010 to U+00FF) can be
    told apart once joined; any other raises :class:`ValueError` naming ``name``
    (never quoting the text: it is a credential).
    """
    for position, char in enumerate(text):
        if not 0x10 <= ord(char) <= 0xFF:
            raise ValueError(
                f"{name} has a character (at position {position}) that the login encoding "
                f"cannot carry: only U+0010 to U+00FF (e.g. ASCII) can be sent"
            )
    return "".join(format(ord(char) ^ 5, "x") for char in text)


def ss_stub(body: bytes) -> str:
    """The ``X-SS-STUB`` header of a body: its MD5 in upper-case hex (docs/protocol.rst (Request signing))."""
    return hashlib.md5(body, usedforsecurity=False).hexdigest().upper()


class _FunctionSigner:
    """Adapts a plain ``(url, ts, device_id) -> str`` function to :class:`Signer`."""

    __slots__ = ("_function",)

    def __init__(self, function: SignerFunction) -> None:
        self._function = function

    def sign(self, url: str, ts: int, device_id: str) -> str:
        return self._function(url, ts, device_id)

    def __repr__(self) -> str:
        return f"<signer {getattr(self._function, '__qualname__', self._function)!r}>"


_SHAPES = (
    "an object with .sign(url, ts, device_id) -> signed url, a function of that shape, "
    "an object with .sign_request(SignRequest) -> Signature, "
    "or tiktok.RequestSigner(function of that shape)"
)


def as_signer(signer: Union[Signer, SupportsSignRequest, SignerFunction, None]) -> AnySigner:
    """Accept a signer of either generation, or a plain URL-signing function.

    An object with ``sign_request`` is a request signer (even if it also has
    ``sign``); an object with ``sign`` is a URL signer; a plain function is a URL
    signer ``(url, ts, device_id) -> str``. A request-signing function must be
    wrapped as ``tiktok.RequestSigner(fn)``: a function alone says nothing of
    which generation it is.
    """
    if signer is None:
        raise TypeError(
            f"a signer is required: signer= takes {_SHAPES} "
            "(tiktok.sandbox.SandboxSigner signs for the sandbox)"
        )
    if callable(getattr(signer, "sign_request", None)):
        return signer  # type: ignore[return-value]
    if callable(getattr(signer, "sign", None)):
        return signer  # type: ignore[return-value]
    if callable(signer):
        _check_url_function(signer)
        return _FunctionSigner(signer)
    raise TypeError(f"signer must be {_SHAPES}; got {signer!r}")


def _check_url_function(function: Callable[..., Any]) -> None:
    try:
        shape = inspect.signature(function)
    except (TypeError, ValueError):  # some builtins cannot be inspected: trust the caller
        return
    try:
        shape.bind("url", 0, "device_id")
    except TypeError:
        pass
    else:
        return
    try:
        shape.bind(None)
    except TypeError:
        raise TypeError(
            f"a signer function must take (url, ts, device_id) and return the signed url; "
            f"{function!r} takes {shape}"
        ) from None
    raise TypeError(
        f"{function!r} takes one argument: a request signer function must be wrapped "
        "as tiktok.RequestSigner(fn); a plain function signs URLs (url, ts, device_id)"
    )


def is_request_signer(signer: AnySigner) -> bool:
    """Whether ``signer`` is of today's generation (has ``sign_request``)."""
    return callable(getattr(signer, "sign_request", None))


def sign_attempt(signer: AnySigner, request: SignRequest) -> Tuple[str, Dict[str, str]]:
    """The final ``(url, headers)`` of one attempt; :class:`SignerError` if the signer misbehaves.

    A URL signer gets ``(request.url, request.ts, device_id)`` and returns the URL
    with params appended; the headers are ``request.headers`` unchanged. A request
    signer gets ``request``; its headers are merged in (replacing those of the same
    name, whatever the case) and its ``url``, when given, must extend
    ``request.url`` with params and replaces it.
    """
    headers = dict(request.headers)
    if not is_request_signer(signer):
        return sign_url(signer, request.url, request.ts, request.device.device_id), headers  # type: ignore[arg-type]
    try:
        signature = signer.sign_request(request)  # type: ignore[union-attr]
    except SignerError:
        raise  # already says what went wrong (RemoteSigner's do)
    except Exception as exc:
        redact_exception(exc)
        raise SignerError(f"the signer raised {type(exc).__name__}: {redact(str(exc))}") from exc
    if not isinstance(signature, Signature):
        raise SignerError(
            f"sign_request must return a tiktok.Signature, not {type(signature).__name__}"
        )
    url = request.url
    if signature.url is not None:
        url = _check_extension(request.url, signature.url)
    for name, value in signature.headers.items():
        _check_header(name, value)
        existing = _find(headers, name)
        if name.lower() in RESERVED_HEADERS:
            if existing is not None and headers[existing] == value:
                continue  # given back as it was: nothing set
            raise SignerError(
                f"the signer may not set {name}: it frames or routes the request, or carries "
                "the session, and the client alone sets it"
            )
        if existing is not None:
            del headers[existing]
        headers[name] = value
    return url, headers


# RFC 9110 token characters; a value is visible ASCII, spaces and tabs inside.
_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
_VALUE = re.compile(r"(?:[\x21-\x7e](?:[\x20-\x7e\t]*[\x21-\x7e])?)?")


def _check_header(name: object, value: object) -> None:
    if not isinstance(name, str) or not isinstance(value, str):
        raise SignerError(
            f"signature headers must be str to str, not {type(name).__name__} "
            f"to {type(value).__name__}"
        )
    if not _TOKEN.fullmatch(name):
        raise SignerError(f"the signer returned an illegal header name {redact(name)[:40]!r}")
    if not _VALUE.fullmatch(value):
        raise SignerError(
            f"the signer returned an illegal value for header {name!r} "
            "(CR, LF, non-ASCII or surrounding whitespace)"
        )


def _check_extension(given: str, returned: object) -> str:
    if not isinstance(returned, str):
        raise SignerError(f"Signature.url must be a str, not {type(returned).__name__}")
    if returned == given:
        return returned
    _check_suffix(given, returned)
    return returned


def _find(headers: Mapping[str, str], name: str) -> Optional[str]:
    """The key of ``headers`` that is ``name`` whatever its case, or None."""
    lowered = name.lower()
    for key in headers:
        if key.lower() == lowered:
            return key
    return None


def _target(url: str) -> str:
    """Everything from the first ``/`` after the host (the request target as sent)."""
    scheme_end = url.find("://")
    host_start = scheme_end + 3 if scheme_end >= 0 else 0
    slash = url.find("/", host_start)
    return url[slash:] if slash >= 0 else "/"


def sign_url(signer: Signer, url: str, ts: int, device_id: str) -> str:
    """Call the signer and check that it returned ``url`` plus ``&name=value`` params."""
    try:
        signed = signer.sign(url, ts, device_id)
    except Exception as exc:
        redact_exception(exc)
        raise SignerError(f"the signer raised {type(exc).__name__}: {redact(str(exc))}") from exc
    if not isinstance(signed, str):
        raise SignerError(
            f"the signer must return the signed URL as str, not {type(signed).__name__}"
        )
    _check_suffix(url, signed)
    return signed


def _check_suffix(url: str, signed: str) -> None:
    if not signed.startswith(url):
        raise SignerError(
            "the signer must return the URL it was given with params appended; it changed the URL"
        )
    added = signed[len(url) :]
    if not _is_param_suffix(added):
        raise SignerError(
            "the signer appended something that is not '&name=value' params of visible "
            f"ASCII: {added[:40]!r}"
        )


def _is_param_suffix(added: str) -> bool:
    # Visible ASCII only: a request line is ASCII, and anything else could not be sent.
    if not added.startswith("&") or "#" in added or not all("!" <= c <= "~" for c in added):
        return False
    return all("=" in part and part.split("=", 1)[0] for part in added[1:].split("&"))
