"""The base of every model: attrs classes with the wire's field names.

Every field defaults to ``None`` ("not sent"), so partial objects such as
``"author": {}`` parse; keys a model does not declare land in
``additional_properties`` and :func:`tiktok.to_dict` merges them back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Dict, List, Optional, Type, TypeVar

import attrs

from .._converter import ID

__all__ = ["ID", "Model", "Response", "ResponseExtra", "UrlList", "model"]

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


@model
class Model:
    """Base of all models. ``additional_properties`` holds the keys not declared."""

    additional_properties: Dict[str, Any] = attrs.field(factory=dict, repr=False)

    def __repr__(self) -> str:
        # Only what the wire sent: a post has dozens of fields, most of them absent.
        shown = ", ".join(
            f"{a.name}={getattr(self, a.name)!r}"
            for a in attrs.fields(type(self))  # type: ignore[arg-type]
            if a.repr and getattr(self, a.name) is not None
        )
        return f"{type(self).__name__}({shown})"


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
class Response(Model):
    """The envelope every endpoint answers with; status-only calls return it as is."""

    status_code: Optional[int] = None
    status_msg: Optional[str] = None
    extra: Optional[ResponseExtra] = None
