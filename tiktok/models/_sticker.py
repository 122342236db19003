"""Stickers (effects)."""

from __future__ import annotations

from typing import Any, List, Optional

from ._base import ID, Envelope, Model, UrlList, model
from ._show import short_repr

__all__ = ["Sticker", "StickerResponse"]


@model
class Sticker(Model):
    """A sticker (camera effect)."""

    id: Optional[ID] = None
    effect_id: Optional[ID] = None
    name: Optional[str] = None
    desc: Optional[str] = None
    icon_url: Optional[UrlList] = None
    owner_id: Optional[ID] = None
    owner_nickname: Optional[str] = None
    user_count: Optional[int] = None
    is_favorite: Optional[int] = None
    children: Optional[List[Any]] = None
    tags: Optional[List[Any]] = None

    def __repr__(self) -> str:
        return short_repr(self, id=self.id, name=self.name, user_count=self.user_count)


@model
class StickerResponse(Envelope):
    """The answer of ``stickers.get`` and ``stickers.get_many``."""

    sticker_infos: Optional[List[Sticker]] = None
