"""Follower listings and the answers to follow, approve and reject."""

from __future__ import annotations

from typing import ClassVar, List, Optional

from ._base import Envelope, PagedResponse, model
from ._user import User

__all__ = [
    "ApproveResult",
    "FollowResult",
    "FollowerPage",
    "FollowingPage",
    "RejectResult",
    "RequestPage",
]


@model
class _TimePage(PagedResponse):
    has_more: Optional[int] = None
    max_time: Optional[int] = None
    min_time: Optional[int] = None
    total: Optional[int] = None


@model
class FollowerPage(_TimePage):
    """A page of ``follows.followers`` (time pagination)."""

    ITEMS: ClassVar[str] = "followers"

    followers: Optional[List[User]] = None


@model
class FollowingPage(_TimePage):
    """A page of ``follows.following`` (time pagination)."""

    ITEMS: ClassVar[str] = "followings"

    followings: Optional[List[User]] = None


@model
class RequestPage(_TimePage):
    """A page of ``follows.requests`` (time pagination)."""

    ITEMS: ClassVar[str] = "request_users"

    request_users: Optional[List[User]] = None


@model
class FollowResult(Envelope):
    """``follow_status`` is 1 when you now follow the user, 0 when you do not."""

    follow_status: Optional[int] = None
    watch_status: Optional[int] = None

    @property
    def following(self) -> Optional[bool]:
        """Whether you now follow the user (``None`` if the server did not say)."""
        return None if self.follow_status is None else self.follow_status != 0


@model
class ApproveResult(Envelope):
    """The answer of ``follows.approve``; ``approve_status`` 0 means done."""

    approve_status: Optional[int] = None


@model
class RejectResult(Envelope):
    """The answer of ``follows.reject``; ``reject_status`` 0 means done."""

    reject_status: Optional[int] = None
