"""Typed models of every response. Field names are the wire's names."""

from ._base import ID, Model, Response, ResponseExtra, UrlList
from .comment import Comment, CommentPage, CommentResponse, Tag
from .follow import ApproveResult, FollowerPage, FollowingPage, FollowResult, RejectResult, RequestPage
from .hashtag import Category, CategoryPage, Challenge, HashtagSearchPage, HashtagSearchResult
from .live import CanStartResponse, LiveStatus, Room, RoomResponse, StatusChangeReason, StreamUrl
from .login import LoginFailure, LoginResponse, LoginResult
from .post import (
    LikeResult,
    Music,
    Post,
    PostPage,
    PostResponse,
    PostStatus,
    RiskInfo,
    ShareInfo,
    Statistics,
    StickerDetail,
    TextExtra,
    Video,
)
from .sticker import Sticker, StickerResponse
from .user import Position, QRCode, QRCodeResponse, User, UserResponse, UserSearchPage, UserSearchResult

__all__ = [
    "ID", "ApproveResult", "CanStartResponse", "Category", "CategoryPage", "Challenge", "Comment",
    "CommentPage", "CommentResponse", "FollowResult", "FollowerPage", "FollowingPage",
    "HashtagSearchPage", "HashtagSearchResult", "LikeResult", "LiveStatus", "LoginFailure",
    "LoginResponse", "LoginResult", "Model", "Music", "Position", "Post", "PostPage",
    "PostResponse", "PostStatus", "QRCode", "QRCodeResponse", "RejectResult", "RequestPage",
    "Response", "ResponseExtra", "RiskInfo", "Room", "RoomResponse", "ShareInfo",
    "StatusChangeReason", "Statistics", "Sticker", "StickerDetail", "StickerResponse",
    "StreamUrl", "Tag", "TextExtra", "UrlList", "User", "UserResponse", "UserSearchPage",
    "UserSearchResult", "Video",
]  # fmt: skip
