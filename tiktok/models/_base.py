"""The base of every model: attrs classes with the wire's field names.

Every field defaults to ``None`` ("not sent, or sent as ``null``"), so partial
objects such as ``"author": {}`` parse; keys a model does not declare land in
``additional_properties`` and :func:`tiktok.to_dict` merges them back
(docs/protocol.rst (Models)).
"""

from __future__ import annotations

from typing import (
    TYPE_CHECKING,
    Any,
    Callable,
    ClassVar,
    Dict,
    List,
    Optional,
    Tuple,
    Type,
    TypeVar,
)

import attrs

__all__ = [
    "ID",
    "Envelope",
    "Model",
    "PagedResponse",
    "ResponseExtra",
    "SkippedItem",
    "UrlList",
    "model",
]

if TYPE_CHECKING:
    # To type checkers (ours and users') an id is a plain str, as it is at runtime:
    # ``Tag(user_id="123")`` and ``f(post.aweme_id)`` with ``f(x: str)`` both check.
    ID = str
else:
    from typing import NewType

    # At runtime a distinct name, so the converter knows which fields are ids.
    ID = NewType("ID", str)
    ID.__doc__ = (
        "An id (``uid``, ``aweme_id``, ``room_id``, …): always a ``str``, exact at any size."
    )

C = TypeVar("C")
F = TypeVar("F")

if TYPE_CHECKING:
    # Tells type checkers (mypy, pyright) that a model's __init__ takes its fields as
    # keywords: they do not see through attrs.define when it is called by another name.
    from typing_extensions import dataclass_transform
else:

    def dataclass_transform(**_: Any) -> Callable[[F], F]:
        return lambda decorated: decorated


@dataclass_transform(kw_only_default=True, field_specifiers=(attrs.field,))
def model(cls: Type[C]) -> Type[C]:
    """Make ``cls`` a model: an attrs class with keyword-only fields and the short repr."""
    return attrs.define(cls, kw_only=True, repr=False)


# Marks the attributes of a model that are not wire fields (the converter skips them).
NOT_WIRE = {"tiktok_wire": False}


def is_wire_field(attribute: Any) -> bool:
    """Whether an attrs attribute of a model is one of the wire's fields."""
    return attribute.metadata.get("tiktok_wire", True) is not False


@model
class Model:
    """Base of all models. ``additional_properties`` holds the keys not declared."""

    additional_properties: Dict[str, Any] = attrs.field(factory=dict, repr=False, metadata=NOT_WIRE)
    # The declared fields the wire sent as null: they read None like fields not sent
    # at all, and to_dict gives the null back for those still None.
    _nulls: Tuple[str, ...] = attrs.field(default=(), init=False, repr=False, metadata=NOT_WIRE)

    def __repr__(self) -> str:
        # Only what the wire sent: a post has dozens of fields, most of them absent.
        shown = ", ".join(
            f"{a.name}={getattr(self, a.name)!r}"
            for a in attrs.fields(type(self))  # type: ignore[arg-type]
            if a.repr and getattr(self, a.name) is not None
        )
        return f"{type(self).__name__}({shown})"


@attrs.frozen
class SkippedItem:
    """An item of a listing page that did not fit its model, kept as it came.

    ``raw`` is the item's JSON as decoded, ``reason`` why it did not fit and
    ``index`` its place in the page's list.
    """

    raw: Any
    reason: str
    index: int


@model
class UrlList(Model):
    """An image or media reference: ``url_list`` holds mirrors of the same file.

    Media addresses may say the file's size in bytes (``data_size``) and its MD5
    (``file_hash``, hex): downloads check both when present.
    """

    uri: Optional[str] = None
    url_list: Optional[List[str]] = None
    width: Optional[int] = None
    height: Optional[int] = None
    data_size: Optional[int] = None
    file_hash: Optional[str] = None
    url_key: Optional[str] = None


@model
class ResponseExtra(Model):
    """The ``extra`` block of a response: server time in ms and the log id."""

    now: Optional[int] = None
    logid: Optional[str] = None
    fatal_item_ids: Optional[List[Any]] = None


@model
class Envelope(Model):
    """The envelope every endpoint answers with; status-only calls return it as is."""

    status_code: Optional[int] = None
    status_msg: Optional[str] = None
    extra: Optional[ResponseExtra] = None


@model
class PagedResponse(Envelope):
    """The envelope of one page of a listing; ``ITEMS`` names the field of its items.

    Each item is built on its own: one that does not fit its model is left out of
    that field and kept in :attr:`skipped` (its JSON and the reason), so that it
    does not sink the page (docs/protocol.rst (Models)).
    """

    ITEMS: ClassVar[str]

    skipped: List[SkippedItem] = attrs.field(
        factory=list, init=False, repr=False, metadata=NOT_WIRE
    )
