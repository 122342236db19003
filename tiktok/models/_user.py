"""Users, user search results and the QR code of a profile."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar, List, Optional

from ._base import ID, Envelope, Model, PagedResponse, UrlList, model
from ._show import at, short_repr

__all__ = [
    "Position",
    "QRCode",
    "QRCodeResponse",
    "User",
    "UserResponse",
    "UserSearchPage",
    "UserSearchResult",
]


@model
class User(Model):
    """A profile, as in ``aweme/v1/user/`` and every listing of users."""

    uid: Optional[ID] = None
    unique_id: Optional[str] = None
    nickname: Optional[str] = None
    signature: Optional[str] = None
    avatar_thumb: Optional[UrlList] = None
    avatar_medium: Optional[UrlList] = None
    avatar_larger: Optional[UrlList] = None
    aweme_count: Optional[int] = None
    follower_count: Optional[int] = None
    following_count: Optional[int] = None
    favoriting_count: Optional[int] = None
    total_favorited: Optional[int] = None
    follow_status: Optional[int] = None
    follower_status: Optional[int] = None
    create_time: Optional[int] = None
    custom_verify: Optional[str] = None
    is_verified: Optional[int] = None
    verification_type: Optional[int] = None
    region: Optional[str] = None
    room_id: Optional[ID] = None
    secret: Optional[int] = None
    ins_id: Optional[str] = None
    twitter_id: Optional[str] = None
    youtube_channel_id: Optional[str] = None
    #: today's app's other key for a user, opaque (docs/protocol.rst (Apps and hosts))
    sec_uid: Optional[str] = None

    @property
    def created_at(self) -> Optional[datetime]:
        """``create_time`` as an aware UTC ``datetime`` (``None`` if not sent)."""
        return at(self.create_time)

    def __repr__(self) -> str:
        return short_repr(
            self,
            uid=self.uid,
            unique_id=self.unique_id,
            nickname=self.nickname,
            follower_count=self.follower_count,
        )


@model
class UserResponse(Envelope):
    """The answer of ``users.get``."""

    user: Optional[User] = None


@model
class Position(Model):
    """Where the keyword matched in a search result."""

    begin: Optional[int] = None
    end: Optional[int] = None


@model
class UserSearchResult(Model):
    """One hit of ``users.search``: the user and where the keyword matched."""

    user_info: Optional[User] = None
    position: Optional[List[Position]] = None
    uniqid_position: Optional[List[Position]] = None


@model
class UserSearchPage(PagedResponse):
    """A page of ``users.search`` (offset pagination)."""

    ITEMS: ClassVar[str] = "user_list"

    user_list: Optional[List[UserSearchResult]] = None
    type: Optional[int] = None
    cursor: Optional[int] = None
    has_more: Optional[int] = None


@model
class QRCode(UrlList):
    """The QR code image of a profile (``url_list[0]`` is the image)."""


@model
class QRCodeResponse(Envelope):
    """The answer of ``users.qr_code``."""

    qrcode_url: Optional[QRCode] = None
