"""Typed models of every response. Field names are the wire's names."""

from typing import TYPE_CHECKING

from .._deprecation import old_names
from ._base import ID, Envelope, Model, PagedResponse, ResponseExtra, SkippedItem, UrlList
from ._comment import Comment, CommentPage, CommentResponse
from ._comment import Tag as Tag  # another name for TextExtra, not listed twice
from ._follow import (
    ApproveResult,
    FollowerPage,
    FollowingPage,
    FollowResult,
    RejectResult,
    RequestPage,
)
from ._hashtag import (
    Category,
    CategoryPage,
    ChallengeResponse,
    Hashtag,
    HashtagSearchPage,
    HashtagSearchResult,
)
from ._hashtag import Challenge as Challenge  # the API's name for Hashtag, not listed twice
from ._live import (
    CanStartResponse,
    LiveCoreSdkData,
    LiveStatus,
    LiveStreamData,
    PullData,
    QualityStreams,
    Room,
    RoomInfoResponse,
    RoomResponse,
    SdkParams,
    StatusChangeReason,
    StreamUrl,
    StreamVariant,
)
from ._login import LoginFailure, LoginResponse, LoginResult
from ._post import (
    AutoCaption,
    AutoVideoCaptionInfo,
    BitRate,
    CaptionInfo,
    ClaInfo,
    ImagePostInfo,
    InteractionSticker,
    LikeResult,
    Music,
    MusicResponse,
    Post,
    PostImage,
    PostPage,
    PostResponse,
    PostsResponse,
    PostStatus,
    RiskInfo,
    ShareInfo,
    Statistics,
    StickerDetail,
    TextExtra,
    Video,
)
from ._sticker import Sticker, StickerResponse
from ._user import (
    Position,
    QRCode,
    QRCodeResponse,
    User,
    UserResponse,
    UserSearchPage,
    UserSearchResult,
)

__all__ = [
    "ID",
    "ApproveResult",
    "AutoCaption",
    "AutoVideoCaptionInfo",
    "BitRate",
    "CanStartResponse",
    "CaptionInfo",
    "Category",
    "CategoryPage",
    "ChallengeResponse",
    "ClaInfo",
    "Comment",
    "CommentPage",
    "CommentResponse",
    "Envelope",
    "FollowResult",
    "FollowerPage",
    "FollowingPage",
    "Hashtag",
    "HashtagSearchPage",
    "HashtagSearchResult",
    "ImagePostInfo",
    "InteractionSticker",
    "LikeResult",
    "LiveCoreSdkData",
    "LiveStatus",
    "LiveStreamData",
    "LoginFailure",
    "LoginResponse",
    "LoginResult",
    "Model",
    "Music",
    "MusicResponse",
    "PagedResponse",
    "Position",
    "Post",
    "PostImage",
    "PostPage",
    "PostResponse",
    "PostStatus",
    "PostsResponse",
    "PullData",
    "QRCode",
    "QRCodeResponse",
    "QualityStreams",
    "RejectResult",
    "RequestPage",
    "ResponseExtra",
    "RiskInfo",
    "Room",
    "RoomInfoResponse",
    "RoomResponse",
    "SdkParams",
    "ShareInfo",
    "SkippedItem",
    "Statistics",
    "StatusChangeReason",
    "Sticker",
    "StickerDetail",
    "StickerResponse",
    "StreamUrl",
    "StreamVariant",
    "TextExtra",
    "UrlList",
    "User",
    "UserResponse",
    "UserSearchPage",
    "UserSearchResult",
    "Video",
]

#: Old names, kept for one release (using one warns).
RENAMED = {"Response": "Envelope"}

if TYPE_CHECKING:  # type checkers see the old names as the classes they are
    Response = Envelope
else:
    __getattr__ = old_names(__name__, RENAMED, globals())
