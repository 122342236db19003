"""``client.feed``: the For You and Following feeds (endless: pass ``limit``)."""

from __future__ import annotations

from typing import Optional

from .._transport import Endpoint
from ..models import Post, PostPage
from ..pagination import Pager, Style
from ._base import Listing, Resource
from ._declare import declare

__all__ = ["Feed"]


def _feed(feed_type: str) -> Listing:
    query = (
        ("type", feed_type),
        "count",
        ("is_cold_start", "1"),
        ("max_cursor", "0"),
        ("pull_type", "2"),
        ("retry_type", "no_retry"),
    )
    return Listing(
        Endpoint("GET", "aweme/v1/feed/", PostPage, query=query), Style.FEED, "aweme_list", count=6
    )


FOR_YOU = _feed("0")
FOLLOWING = _feed("1")


class Feed(Resource):
    """``client.feed``: the For You and Following feeds."""

    namespace = "feed"
    summary = "the For You and Following feeds"

    @declare(FOR_YOU, "the For You feed (endless: stops at --limit)")
    def for_you(
        self, *, count: Optional[int] = None, limit: Optional[int] = None, strict: bool = False
    ) -> Pager[Post]:
        """The For You feed. It never ends by itself: pass ``limit`` or break out."""
        return self._pager(FOR_YOU, strict=strict, count=count, limit=limit, cursor=None)

    @declare(
        FOLLOWING,
        "posts of the accounts you follow (endless: stops at --limit)",
        login=True,
    )
    def following(
        self, *, count: Optional[int] = None, limit: Optional[int] = None, strict: bool = False
    ) -> Pager[Post]:
        """Posts of the accounts you follow. Endless like :meth:`for_you`."""
        return self._pager(FOLLOWING, strict=strict, count=count, limit=limit, cursor=None)
