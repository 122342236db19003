"""Query encoding and the signing step (docs/protocol.rst (Query order)), done in one place.

We never implement TikTok's signature: the user supplies a :class:`Signer`.
"""

from __future__ import annotations

from typing import Callable, Iterable, Protocol, Tuple, Union, runtime_checkable
from urllib.parse import quote

from ._redact import redact, redact_exception
from .errors import SignerError

__all__ = ["Signer", "encode_query", "xor_encode"]

# RFC 3986 unreserved characters plus "*" and "," stay as they are, so
# resolution=1080*1920 and sticker_ids=1,2 look as the app sends them.
_SAFE = "*,"


@runtime_checkable
class Signer(Protocol):
    """Anything that signs a request URL.

    ``sign`` gets the full URL (with ``ts`` and ``_rticket`` already in it), the
    same ``ts`` as an int, and the device id; it returns that URL with
    ``&as=…&cp=…&mas=…`` appended.
    """

    def sign(self, url: str, ts: int, device_id: str) -> str:
        """Return ``url`` exactly as given, with ``&as=…&cp=…&mas=…`` appended."""
        ...


SignerFunction = Callable[[str, int, str], str]


def encode_value(value: str) -> str:
    """Percent-encode one query value as UTF-8 (space is ``%20``)."""
    return quote(value, safe=_SAFE)


def encode_query(params: Iterable[Tuple[str, str]]) -> str:
    """``k=v&k=v`` in the given order, values percent-encoded."""
    return "&".join(f"{key}={quote(value, safe=_SAFE)}" for key, value in params)


def xor_encode(text: str) -> str:
    """The login encoding of docs/protocol.rst (Login): each code point XOR 5, as lower-case hex."""
    return "".join(format(ord(char) ^ 5, "x") for char in text)


class _FunctionSigner:
    """Adapts a plain ``(url, ts, device_id) -> str`` function to :class:`Signer`."""

    __slots__ = ("_function",)

    def __init__(self, function: SignerFunction) -> None:
        self._function = function

    def sign(self, url: str, ts: int, device_id: str) -> str:
        return self._function(url, ts, device_id)

    def __repr__(self) -> str:
        return f"<signer {getattr(self._function, '__qualname__', self._function)!r}>"


def as_signer(signer: Union[Signer, SignerFunction, None]) -> Signer:
    """Accept a :class:`Signer` or a plain function; refuse anything else clearly."""
    if signer is None:
        raise TypeError(
            "a signer is required: pass signer=obj with .sign(url, ts, device_id) -> signed url, "
            "or a function of that shape (tiktok.sandbox.SandboxSigner signs for the sandbox)"
        )
    if callable(getattr(signer, "sign", None)):
        return signer  # type: ignore[return-value]
    if callable(signer):
        return _FunctionSigner(signer)
    raise TypeError(
        f"signer must have a sign(url, ts, device_id) method or be callable, not {signer!r}"
    )


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
    if not signed.startswith(url):
        raise SignerError(
            "the signer must return the URL it was given with params appended; it changed the URL"
        )
    added = signed[len(url) :]
    if not _is_param_suffix(added):
        raise SignerError(
            f"the signer appended something that is not '&name=value' params: {added[:40]!r}"
        )
    return signed


def _is_param_suffix(added: str) -> bool:
    if not added.startswith("&") or any(c in added for c in " #\r\n\t"):
        return False
    return all("=" in part and part.split("=", 1)[0] for part in added[1:].split("&"))
