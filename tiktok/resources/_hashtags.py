"""``client.hashtags``: a hashtag, trending categories, hashtag search and a hashtag's posts."""

from __future__ import annotations

from typing import Optional, Union

from .._transport import Endpoint
from ..models import (
    Category,
    CategoryPage,
    ChallengeResponse,
    Hashtag,
    HashtagSearchPage,
    HashtagSearchResult,
    Post,
    PostPage,
)
from ..pagination import Cursor, Pager, Style
from ._base import Listing, Resource, check_id, check_text, required
from ._declare import KEYWORD, declare, identifier

__all__ = ["Hashtags"]

GET = Endpoint(
    "GET", "aweme/v1/challenge/detail/", ChallengeResponse, query=("ch_id",), result="ch_info"
)
CATEGORIES = Listing(
    Endpoint(
        "GET",
        "aweme/v1/category/list/",
        CategoryPage,
        query=("count", "cursor", ("retry_type", "no_retry")),
    ),
    Style.OFFSET,
    "category_list",
    count=10,
)
SEARCH = Listing(
    Endpoint(
        "GET",
        "aweme/v1/challenge/search/",
        HashtagSearchPage,
        query=("keyword", "count", "cursor", ("retry_type", "no_retry")),
    ),
    Style.OFFSET,
    "challenge_list",
    max_count=30,
)
POSTS = Listing(
    Endpoint(
        "GET",
        "aweme/v1/challenge/aweme/",
        PostPage,
        query=(
            "ch_id",
            ("query_type", "0"),
            ("type", "5"),
            "count",
            "cursor",
            ("retry_type", "no_retry"),
        ),
    ),
    Style.OFFSET,
    "aweme_list",
)


class Hashtags(Resource):
    """``client.hashtags``: trending categories, hashtag search, a hashtag's posts."""

    namespace = "hashtags"
    summary = "a hashtag, trending categories, hashtag search, a hashtag's posts"

    @declare(
        GET, "one hashtag", identifier("hashtag", "hashtag_id", "the hashtag: id (cid) or tag link")
    )
    def get(self, hashtag_id: Union[str, int]) -> Hashtag:
        """One hashtag (its ``Hashtag.cid``): name, description, user and view counts."""
        answer = self._read(GET, ChallengeResponse, ch_id=check_id(hashtag_id, "hashtag_id"))
        return required(answer.ch_info, GET)

    @declare(CATEGORIES, "trending categories")
    def categories(
        self,
        *,
        count: Optional[int] = None,
        limit: Optional[int] = None,
        cursor: Optional[Cursor] = None,
        strict: bool = False,
    ) -> Pager[Category]:
        """Trending categories (10 a page)."""
        return self._pager(CATEGORIES, strict=strict, count=count, limit=limit, cursor=cursor)

    @declare(SEARCH, "hashtags matching a keyword", KEYWORD)
    def search(
        self,
        keyword: str,
        *,
        count: Optional[int] = None,
        limit: Optional[int] = None,
        cursor: Optional[Cursor] = None,
        strict: bool = False,
    ) -> Pager[HashtagSearchResult]:
        """Hashtags matching ``keyword``."""
        return self._pager(
            SEARCH,
            strict=strict,
            count=count,
            limit=limit,
            cursor=cursor,
            keyword=check_text(keyword, "keyword"),
        )

    @declare(
        POSTS,
        "the posts in a hashtag",
        identifier(
            "hashtag", "hashtag_id", "the hashtag: id (cid in `hashtags search`) or tag link"
        ),
    )
    def posts(
        self,
        hashtag_id: Union[str, int],
        *,
        count: Optional[int] = None,
        limit: Optional[int] = None,
        cursor: Optional[Cursor] = None,
        strict: bool = False,
    ) -> Pager[Post]:
        """Posts in a hashtag (its ``Hashtag.cid``)."""
        return self._pager(
            POSTS,
            strict=strict,
            count=count,
            limit=limit,
            cursor=cursor,
            ch_id=check_id(hashtag_id, "hashtag_id"),
        )
