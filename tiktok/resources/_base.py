"""What every resource shares: argument checks and the two ways to call an endpoint."""

from __future__ import annotations

import datetime
import functools
import json
import logging
import math
import re
from typing import Any, ClassVar, List, Optional, Tuple, Type, TypeVar

import attrs

from .._transport import Endpoint, Transport
from ..errors import DecodeError
from ..models import User
from ..pagination import END, Cursor, Fetch, Pager, Style
from ._declare import Call, calls_of

__all__ = [
    "Listing",
    "Resource",
    "answered_id",
    "check_count",
    "check_id",
    "check_ids",
    "check_numeric_user",
    "check_text",
    "check_user",
    "sec_variant",
]

T = TypeVar("T")
R = TypeVar("R")

log = logging.getLogger("tiktok")

MAX_COUNT = 100
# Cursors are offsets or millisecond times: 64-bit numbers on the wire.
MAX_CURSOR = 2**63 - 1
# Ids are 64-bit on the wire; a few more digits are let through for the server to judge.
MAX_ID_DIGITS = 32


def shown(value: object) -> str:
    """``repr(value)`` for an error message, short, and safe for ints too big to print."""
    if type(value) is int and value.bit_length() > 128:
        return f"an int of {value.bit_length()} bits"
    text = repr(value) if not isinstance(value, (list, tuple, dict, set)) else type(value).__name__
    return text if len(text) <= 80 else text[:60] + "..." + text[-10:]


MAX_SEC_USER_ID = 200


@attrs.frozen
class Listing:
    """A paginated endpoint: its pagination style, item key and default page size.

    ``param`` names the request param that carries the position when the endpoint
    does not use its style's own (``posts.search`` sends ``offset`` but answers
    the next one in ``cursor``); ``None`` keeps the style's.
    """

    endpoint: Endpoint
    style: Style
    items: str
    count: int = 20
    param: Optional[str] = None
    #: the most items a page of it serves: a larger ``count`` is sent as this
    #: (docs/protocol.rst (Page sizes))
    max_count: int = 100

    def page_size(self, count: Optional[int]) -> int:
        """The ``count`` a page asks for: the default, or ``count`` checked and clamped."""
        return self.count if count is None else min(check_count(count), self.max_count)


def check_id(value: object, name: str) -> str:
    """An id as the wire wants it: a string of digits (an int >= 0 is accepted)."""
    if type(value) is int and 0 <= value < 10**MAX_ID_DIGITS:
        return str(value)
    # isinstance: an id that arrived as a JSON number is a str subclass (room_id, stream_id).
    if (
        isinstance(value, str)
        and value.isdigit()
        and value.isascii()
        and len(value) <= MAX_ID_DIGITS
    ):
        return str(value)
    raise ValueError(
        f"{name} must be a numeric id (a string of at most {MAX_ID_DIGITS} digits), "
        f"not {shown(value)}"
    )


# docs/protocol.rst (Apps and hosts): sec_user_ids share this prefix and are otherwise opaque.
_SEC_USER_ID = re.compile(r"MS4wLjABAAAA[A-Za-z0-9_-]+")


def check_user(value: object, name: str = "user") -> Tuple[str, str]:
    """``("user_id", digits)`` or ``("sec_user_id", text)`` for a ``User``, a numeric id or a sec_user_id."""
    if isinstance(value, User):
        if value.uid:
            return "user_id", check_id(value.uid, f"{name}.uid")
        if value.sec_uid:
            return "sec_user_id", _sec_user_id(value.sec_uid, f"{name}.sec_uid")
        raise ValueError(f"{name} is a User without uid or sec_uid")
    if isinstance(value, str) and value.startswith("MS4w"):
        return "sec_user_id", _sec_user_id(value, name)
    try:
        return "user_id", check_id(value, name)
    except ValueError:
        # A handle is what a user has at hand; it takes a search to become an id.
        handle = (
            f"; for a handle use client.users.by_username({shown(value)})"
            if isinstance(value, str) and value.startswith("@")
            else ""
        )
        raise ValueError(
            f"{name} must be a tiktok.User, a numeric id or a sec_user_id (MS4wLjABAAAA...), "
            f"not {shown(value)}{handle}"
        ) from None


def check_numeric_user(value: object, name: str = "user_id") -> str:
    """The numeric id of a ``User`` or a numeric id, for calls that take no sec_user_id."""
    key, checked = check_user(value, name)
    if key != "user_id":
        raise ValueError(
            f"{name}: this call takes the numeric id (a User's uid), not a sec_user_id"
        )
    return checked


def _sec_user_id(value: str, name: str) -> str:
    if len(value) > MAX_SEC_USER_ID or not _SEC_USER_ID.fullmatch(value):
        raise ValueError(
            f"{name} is not a sec_user_id (MS4wLjABAAAA then base64url): {shown(value)}"
        )
    return value


@functools.cache  # one per endpoint: a handful
def sec_variant(endpoint: Endpoint) -> Endpoint:
    """``endpoint`` naming its user by ``sec_user_id`` where it names it by ``user_id``."""
    query = tuple("sec_user_id" if item == "user_id" else item for item in endpoint.query)
    return attrs.evolve(endpoint, query=query)


def required(value: Optional[T], endpoint: Endpoint) -> T:
    """The endpoint's result field, read from its answer: absent is the server's fault."""
    if value is None:
        raise DecodeError(f"{endpoint.path} answered without {endpoint.result!r}")
    return value


def check_ids(values: object, name: str) -> List[str]:
    """A non-empty list of ids (any iterable but a string) as the wire wants them."""
    if isinstance(values, (str, bytes)) or not hasattr(values, "__iter__"):
        raise ValueError(f"{name} must be a list of ids, not {shown(values)}")
    ids = [check_id(value, name) for value in values]
    if not ids:
        raise ValueError(f"{name} must not be empty")
    return ids


def answered_id(value: object, name: str, path: str) -> str:
    """An id the server sent, to be sent back: a bad one is the server's fault (DecodeError)."""
    try:
        return check_id(value, name)
    except ValueError:
        raise DecodeError(f"{path} answered without a usable {name}: {shown(value)}") from None


def check_text(value: object, name: str) -> str:
    if not isinstance(value, str):
        raise ValueError(f"{name} must be a str, not {type(value).__name__}")
    if not value.strip():
        raise ValueError(f"{name} must not be empty")
    return value


def check_count(value: object, name: str = "count") -> int:
    if type(value) is not int or not 1 <= value <= MAX_COUNT:
        raise ValueError(f"{name} must be an int from 1 to {MAX_COUNT}, not {shown(value)}")
    return value


def check_limit(value: object) -> Optional[int]:
    if value is None:
        return None
    if type(value) is not int or value < 0:
        raise ValueError(f"limit must be None or an int >= 0, not {shown(value)}")
    return value


def check_time(value: object, name: str) -> Optional[int]:
    """``since``/``until`` as epoch seconds: ``None``, an aware ``datetime`` or a number."""
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None:
            raise ValueError(f"{name} must be an aware datetime (say its timezone), not naive")
        return math.ceil(value.timestamp())
    if type(value) is int and 0 <= value < 2**63:
        return value
    if type(value) is float and 0 <= value < 2**63:
        return math.ceil(value)
    raise ValueError(f"{name} must be None, an aware datetime or epoch seconds, not {shown(value)}")


def check_cursor(value: object) -> Optional[Cursor]:
    if value is None:
        return None
    if value == END:
        return END
    if type(value) is str and value.isdigit() and value.isascii() and len(value) <= 19:
        value = int(value)
    if type(value) is int and 0 <= value <= MAX_CURSOR:
        return value
    raise ValueError(
        f"cursor must be None, an int from 0 to 2**63 - 1 or {END!r} (as .cursor gave it), "
        f"not {shown(value)}"
    )


class Resource:
    """A namespace of calls (``client.users``, ``client.posts``…) over one transport.

    A subclass names its client attribute (``namespace``, also its command line
    group) and says what it holds (``summary``); its methods marked with
    :func:`~tiktok.resources._declare.declare` are its :attr:`calls`.
    """

    namespace: ClassVar[str] = ""
    summary: ClassVar[str] = ""
    #: the declared calls of this class, in the order its methods are written
    calls: ClassVar[Tuple[Call, ...]] = ()

    def __init_subclass__(cls) -> None:
        super().__init_subclass__()
        cls.calls = calls_of(cls)

    def __init__(self, transport: Transport) -> None:
        self._transport = transport

    def __repr__(self) -> str:
        return f"<{type(self).__name__}>"

    def _read(self, endpoint: Endpoint, envelope: Type[R], **values: Any) -> R:
        """The endpoint's whole answer, typed as ``envelope`` (the model it declares).

        Read its fields explicitly (``required(answer.user, GET)``) so the types hold
        from the endpoint to the result. A mismatch with the endpoint's declared
        model is a bug here, raised as ``TypeError`` at once.
        """
        response = self._transport.call(endpoint, values)
        if not isinstance(response, envelope):
            raise TypeError(f"{endpoint.path} answers {endpoint.response!r}, not {envelope!r}")
        return response

    def _user_read(self, endpoint: Endpoint, envelope: Type[R], user: object, **values: Any) -> R:
        """:meth:`_read` naming the user by ``user_id`` or ``sec_user_id`` (see :func:`check_user`)."""
        key, value = check_user(user, "user_id")
        endpoint = sec_variant(endpoint) if key == "sec_user_id" else endpoint
        return self._read(endpoint, envelope, **values, **{key: value})

    def _user_pager(
        self,
        listing: Listing,
        user: object,
        *,
        count: Optional[int],
        limit: Optional[int],
        cursor: Optional[Cursor],
        strict: bool = False,
        since: Optional[int] = None,
        until: Optional[int] = None,
    ) -> Pager[Any]:
        """:meth:`_pager` naming the user by ``user_id`` or ``sec_user_id``."""
        key, value = check_user(user, "user_id")
        if key == "sec_user_id":
            listing = attrs.evolve(listing, endpoint=sec_variant(listing.endpoint))
        return self._pager(
            listing,
            count=count,
            limit=limit,
            cursor=cursor,
            strict=strict,
            since=since,
            until=until,
            **{key: value},
        )

    def _pager(
        self,
        listing: Listing,
        *,
        count: Optional[int],
        limit: Optional[int],
        cursor: Optional[Cursor],
        strict: bool = False,
        since: Optional[int] = None,
        until: Optional[int] = None,
        **values: Any,
    ) -> Pager[Any]:
        """The listing's pager. ``strict``: an item that does not fit its model raises
        :class:`DecodeError` instead of being set aside on its page (``Page.skipped``)."""
        return Pager(
            self._page_fetch(listing, strict=strict, **values),
            style=listing.style,
            items_key=listing.items,
            count=listing.page_size(count),
            limit=check_limit(limit),
            cursor=check_cursor(cursor),
            since=since,
            until=until,
        )

    def _page_fetch(self, listing: Listing, *, strict: bool, **values: Any) -> Fetch:
        """What a pager of ``listing`` calls for one page: ``fetch(position, size)``."""
        transport = self._transport
        endpoint = listing.endpoint
        param = listing.param if listing.param is not None else listing.style.param

        def fetch(position: Optional[int], size: int) -> Any:
            page_values = dict(values, count=size)
            if param is not None:
                page_values[param] = position
            response = transport.call(endpoint, page_values)
            for skipped in getattr(response, "skipped", ()):
                where = f"{endpoint.path}: item {skipped.index} of the page does not fit its model"
                if strict:
                    raise DecodeError(
                        f"{where}: {skipped.reason}",
                        body=json.dumps(skipped.raw, ensure_ascii=False).encode(),
                    )
                log.warning("%s, skipped: %s", where, skipped.reason)
            return response

        return fetch
