"""Hashtags (the API calls them challenges) and their categories."""

from __future__ import annotations

from typing import ClassVar, List, Optional

from ._base import ID, Model, PagedResponse, Response, model
from ._post import Post
from ._show import short_repr
from ._user import Position, User

__all__ = [
    "Category",
    "CategoryPage",
    "Challenge",
    "ChallengeResponse",
    "HashtagSearchPage",
    "HashtagSearchResult",
]


@model
class Challenge(Model):
    """A hashtag. ``cid`` is its id (``hashtags.posts(challenge.cid)``)."""

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


@model
class ChallengeResponse(Response):
    """The answer of ``hashtags.get``."""

    ch_info: Optional[Challenge] = None


@model
class Category(Model):
    """A trending category: a hashtag with a few of its posts."""

    challenge_info: Optional[Challenge] = None
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

    challenge_info: Optional[Challenge] = None
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
