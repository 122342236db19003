"""Hashtags (the API calls them challenges) and their categories."""

from __future__ import annotations

from typing import ClassVar, List, Optional

from ._base import ID, Envelope, Model, PagedResponse, model
from ._post import Post
from ._show import short_repr
from ._user import Position, User

__all__ = [
    "Category",
    "CategoryPage",
    "Challenge",
    "ChallengeResponse",
    "Hashtag",
    "HashtagSearchPage",
    "HashtagSearchResult",
]


@model
class Hashtag(Model):
    """A hashtag. ``cid`` is its id (``hashtags.posts(hashtag.cid)``).

    The API calls hashtags challenges (``ch_info``, ``challenge_info``):
    :data:`tiktok.Challenge` is another name for this class.
    """

    cid: Optional[ID] = None
    cha_name: Optional[str] = None
    desc: Optional[str] = None
    author: Optional[User] = None
    user_count: Optional[int] = None
    view_count: Optional[int] = None
    type: Optional[int] = None
    schema: Optional[str] = None
    is_pgcshow: Optional[int] = None

    def __repr__(self) -> str:
        return short_repr(self, cid=self.cid, cha_name=self.cha_name, user_count=self.user_count)


#: The API's name for a hashtag: the same class as :class:`Hashtag`.
Challenge = Hashtag


@model
class ChallengeResponse(Envelope):
    """The answer of ``hashtags.get``."""

    ch_info: Optional[Hashtag] = None


@model
class Category(Model):
    """A trending category: a hashtag with a few of its posts."""

    challenge_info: Optional[Hashtag] = None
    aweme_list: Optional[List[Post]] = None
    category_type: Optional[int] = None
    desc: Optional[str] = None


@model
class CategoryPage(PagedResponse):
    """A page of ``hashtags.categories`` (offset pagination)."""

    ITEMS: ClassVar[str] = "category_list"

    category_list: Optional[List[Category]] = None
    cursor: Optional[int] = None
    has_more: Optional[int] = None


@model
class HashtagSearchResult(Model):
    """One hit of ``hashtags.search``: the hashtag and where the keyword matched."""

    challenge_info: Optional[Hashtag] = None
    position: Optional[List[Position]] = None


@model
class HashtagSearchPage(PagedResponse):
    """A page of ``hashtags.search`` (offset pagination)."""

    ITEMS: ClassVar[str] = "challenge_list"

    challenge_list: Optional[List[HashtagSearchResult]] = None
    is_match: Optional[int] = None
    keyword_disabled: Optional[int] = None
    cursor: Optional[int] = None
    has_more: Optional[int] = None
