"""A typed, synchronous client for the TikTok (musical.ly) mobile app's private API."""

from ._converter import ID, to_dict
from .client import DEFAULT_BASE_URL, Client
from .device import Device
from .errors import (
    APIError,
    DecodeError,
    EmptyResponseError,
    LiveStartError,
    LoginError,
    LoginRequired,
    RateLimitError,
    SignerError,
    TikTokError,
    TransportError,
)
from .models import (
    ApproveResult,
    Category,
    Challenge,
    Comment,
    FollowResult,
    HashtagSearchResult,
    LikeResult,
    LiveStatus,
    LoginResult,
    Music,
    Post,
    PostStatus,
    QRCode,
    RejectResult,
    Response,
    RiskInfo,
    Room,
    ShareInfo,
    StatusChangeReason,
    Statistics,
    Sticker,
    StreamUrl,
    Tag,
    TextExtra,
    User,
    UserSearchResult,
    Video,
)
from .pagination import Page, Pager, Style
from .signing import Signer

__version__ = "0.1.0"

__all__ = [
    "DEFAULT_BASE_URL", "ID", "APIError", "ApproveResult", "Category", "Challenge", "Client",
    "Comment", "DecodeError", "Device", "EmptyResponseError", "FollowResult",
    "HashtagSearchResult", "LikeResult", "LiveStartError", "LiveStatus", "LoginError",
    "LoginRequired", "LoginResult", "Music", "Page", "Pager", "Post", "PostStatus", "QRCode",
    "RateLimitError", "RejectResult", "Response", "RiskInfo", "Room", "ShareInfo", "SignerError",
    "StatusChangeReason", "Statistics", "Sticker", "StreamUrl", "Style", "Tag", "TextExtra",
    "TikTokError", "TransportError", "User", "UserSearchResult", "Video", "__version__", "to_dict",
]  # fmt: skip
