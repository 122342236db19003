"""``client.follows``: followers, following, follow / unfollow and follow requests."""

from __future__ import annotations

from typing import Optional, Union

from .._transport import Endpoint, Template
from ..models import (
    ApproveResult,
    FollowerPage,
    FollowingPage,
    FollowResult,
    RejectResult,
    RequestPage,
    User,
)
from ..pagination import Cursor, Pager, Style
from ._base import Listing, Resource, check_numeric_user
from ._declare import USER_ID, declare

__all__ = ["Follows"]


def _time_listing(path: str, response: type, items: str, *, by_user: bool) -> Listing:
    query: Template = ("max_time", "count", ("retry_type", "no_retry"))
    if by_user:
        query = ("user_id", *query)
    return Listing(Endpoint("GET", path, response, query=query), Style.TIME, items)


FOLLOWERS = _time_listing("aweme/v1/user/follower/list/", FollowerPage, "followers", by_user=True)
FOLLOWING = _time_listing(
    "aweme/v1/user/following/list/", FollowingPage, "followings", by_user=True
)
REQUESTS = _time_listing(
    "aweme/v1/user/following/request/list/", RequestPage, "request_users", by_user=False
)
FOLLOW = Endpoint(
    "GET", "aweme/v1/commit/follow/user/", FollowResult, query=("user_id", ("type", "1"))
)
UNFOLLOW = Endpoint(
    "GET", "aweme/v1/commit/follow/user/", FollowResult, query=("user_id", ("type", "0"))
)
APPROVE = Endpoint(
    "GET", "aweme/v1/commit/follow/request/approve/", ApproveResult, query=("from_user_id",)
)
REJECT = Endpoint(
    "GET", "aweme/v1/commit/follow/request/reject/", RejectResult, query=("from_user_id",)
)


class Follows(Resource):
    """``client.follows``: followers, following, follow / unfollow, follow requests."""

    namespace = "follows"
    summary = "followers, following, follow / unfollow, follow requests"

    @declare(FOLLOWERS, "the users who follow a user", USER_ID)
    def followers(
        self,
        user_id: Union[str, int, User],
        *,
        count: Optional[int] = None,
        limit: Optional[int] = None,
        cursor: Optional[Cursor] = None,
        strict: bool = False,
    ) -> Pager[User]:
        """The users who follow ``user_id`` (``max_time`` pagination, 20 a page)."""
        return self._user_pager(
            FOLLOWERS, user_id, strict=strict, count=count, limit=limit, cursor=cursor
        )

    @declare(FOLLOWING, "the users a user follows", USER_ID)
    def following(
        self,
        user_id: Union[str, int, User],
        *,
        count: Optional[int] = None,
        limit: Optional[int] = None,
        cursor: Optional[Cursor] = None,
        strict: bool = False,
    ) -> Pager[User]:
        """The users ``user_id`` follows."""
        return self._user_pager(
            FOLLOWING, user_id, strict=strict, count=count, limit=limit, cursor=cursor
        )

    @declare(FOLLOW, "follow a user", USER_ID, login=True)
    def follow(self, user_id: Union[str, int, User]) -> FollowResult:
        """Follow a user (needs login). ``result.follow_status`` is 1 on success."""
        return self._user_read(FOLLOW, FollowResult, user_id)

    @declare(UNFOLLOW, "stop following a user", USER_ID, login=True)
    def unfollow(self, user_id: Union[str, int, User]) -> FollowResult:
        """Stop following a user (needs login)."""
        return self._user_read(UNFOLLOW, FollowResult, user_id)

    @declare(REQUESTS, "users asking to follow you", login=True)
    def requests(
        self,
        *,
        count: Optional[int] = None,
        limit: Optional[int] = None,
        cursor: Optional[Cursor] = None,
        strict: bool = False,
    ) -> Pager[User]:
        """Users asking to follow you (needs login)."""
        return self._pager(REQUESTS, strict=strict, count=count, limit=limit, cursor=cursor)

    @declare(APPROVE, "approve a follow request", USER_ID, login=True)
    def approve(self, user_id: Union[str, int, User]) -> ApproveResult:
        """Approve a follow request from ``user_id`` (a numeric id or a ``User``)."""
        return self._read(APPROVE, ApproveResult, from_user_id=check_numeric_user(user_id))

    @declare(REJECT, "reject a follow request", USER_ID, login=True)
    def reject(self, user_id: Union[str, int, User]) -> RejectResult:
        """Reject a follow request from ``user_id`` (a numeric id or a ``User``)."""
        return self._read(REJECT, RejectResult, from_user_id=check_numeric_user(user_id))
