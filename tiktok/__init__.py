"""A typed, synchronous client for the TikTok (musical.ly) mobile app's private API.

The names below are imported when first used (PEP 562), so that ``import
tiktok`` costs nothing until one is: pytest loads the ``tiktok.testing``
plugin in every run of any project where tiktok is installed.
"""

import importlib as _importlib
import typing as _typing

if _typing.TYPE_CHECKING:  # what type checkers and IDEs see; at run time, __getattr__ below
    from ._captions import Caption
    from ._clock import Clock
    from ._converter import to_dict
    from ._formats import Format
    from ._identity import Health, Identity
    from ._links import LINK_HOSTS, Link
    from ._liveness import LiveState
    from ._loading import from_dict
    from ._media import MEDIA_HOSTS, Download
    from ._recording import Recording
    from ._registration import register_device
    from ._streams import LiveStream
    from .client import DEFAULT_BASE_URL, Client
    from .device import Device
    from .errors import (
        APIError,
        AppTooOldError,
        BlockedError,
        BodyTooLargeError,
        CaptchaRequiredError,
        DeadlineExceededError,
        DecodeError,
        DownloadError,
        EmptyResponseError,
        IdentityBlockedError,
        IdentityRef,
        InstallIdRefusedError,
        InvalidParameterError,
        IPBlockedError,
        LiveStartError,
        LoginError,
        LoginRequiredError,
        NotFoundError,
        NotLiveError,
        PrivateAccountError,
        PrivatePostError,
        RateLimitError,
        RegistrationError,
        RequestError,
        SessionError,
        SessionExpiredError,
        SignerError,
        SoftBlockError,
        TikTokError,
        TransportError,
        TrapReplyError,
        UserNotFoundError,
    )
    from .errors import BodyTooLarge as BodyTooLarge  # old names (_RENAMED below)
    from .errors import CaptchaRequired as CaptchaRequired
    from .errors import DeadlineExceeded as DeadlineExceeded
    from .errors import LoginRequired as LoginRequired
    from .models import (
        ID,
        ApproveResult,
        Category,
        Comment,
        Envelope,
        FollowResult,
        Hashtag,
        HashtagSearchResult,
        LikeResult,
        LiveStatus,
        LoginResult,
        Music,
        Post,
        PostStatus,
        QRCode,
        RejectResult,
        RiskInfo,
        Room,
        ShareInfo,
        SkippedItem,
        Statistics,
        StatusChangeReason,
        Sticker,
        StreamUrl,
        TextExtra,
        User,
        UserSearchResult,
        Video,
    )
    from .models import Challenge as Challenge  # the API's name for Hashtag, not listed twice
    from .models import Response as Response
    from .models import Tag as Tag  # another name for TextExtra, not listed twice
    from .pagination import END, Cursor, Page, Pager, Stall, Style, Walk
    from .signing import RemoteSigner, RequestSigner, Signature, Signer, SignRequest

__version__ = "0.1.0"

# Where each public name lives, as imported above: one module imported on first use.
_EXPORTS: "dict[str, tuple[str, ...]]" = {
    "._clock": ("Clock",),
    "._captions": ("Caption",),
    "._converter": ("to_dict",),
    "._formats": ("Format",),
    "._links": ("LINK_HOSTS", "Link"),
    "._loading": ("from_dict",),
    "._liveness": ("LiveState",),
    "._media": ("MEDIA_HOSTS", "Download"),
    "._recording": ("Recording",),
    "._registration": ("register_device",),
    "._streams": ("LiveStream",),
    ".client": ("DEFAULT_BASE_URL", "Client"),
    ".device": ("Device",),
    "._identity": ("Health", "Identity"),
    ".errors": (
        "APIError",
        "AppTooOldError",
        "BlockedError",
        "BodyTooLargeError",
        "CaptchaRequiredError",
        "DeadlineExceededError",
        "DecodeError",
        "DownloadError",
        "EmptyResponseError",
        "IPBlockedError",
        "IdentityBlockedError",
        "IdentityRef",
        "InstallIdRefusedError",
        "InvalidParameterError",
        "LiveStartError",
        "LoginError",
        "LoginRequiredError",
        "NotFoundError",
        "NotLiveError",
        "PrivateAccountError",
        "PrivatePostError",
        "RateLimitError",
        "RegistrationError",
        "RequestError",
        "SessionError",
        "SessionExpiredError",
        "SignerError",
        "SoftBlockError",
        "TikTokError",
        "TransportError",
        "TrapReplyError",
        "UserNotFoundError",
    ),
    ".models": (
        "ID",
        "ApproveResult",
        "Category",
        "Challenge",
        "Comment",
        "Envelope",
        "FollowResult",
        "Hashtag",
        "HashtagSearchResult",
        "LikeResult",
        "LiveStatus",
        "LoginResult",
        "Music",
        "Post",
        "PostStatus",
        "QRCode",
        "RejectResult",
        "RiskInfo",
        "Room",
        "ShareInfo",
        "SkippedItem",
        "Statistics",
        "StatusChangeReason",
        "Sticker",
        "StreamUrl",
        "TextExtra",
        "User",
        "UserSearchResult",
        "Video",
        "Tag",
    ),
    ".pagination": ("END", "Cursor", "Page", "Pager", "Stall", "Style", "Walk"),
    ".signing": ("RemoteSigner", "RequestSigner", "Signature", "Signer", "SignRequest"),
}
_HOME: "dict[str, str]" = {name: module for module, names in _EXPORTS.items() for name in names}
# Old names kept for one release, and the module whose RENAMED gives the new name: using
# one warns.
_RENAMED: "dict[str, str]" = {
    "BodyTooLarge": ".errors",
    "CaptchaRequired": ".errors",
    "DeadlineExceeded": ".errors",
    "LoginRequired": ".errors",
    "Response": ".models",
}
# Submodules reachable as attributes (``tiktok.apps.TIKTOK``) as after an eager import.
_SUBMODULES = frozenset(
    {"apps", "client", "device", "errors", "models", "pagination", "resources", "signing"}
)

__all__ = [
    "DEFAULT_BASE_URL",
    "END",
    "ID",
    "LINK_HOSTS",
    "MEDIA_HOSTS",
    "APIError",
    "AppTooOldError",
    "ApproveResult",
    "BlockedError",
    "BodyTooLargeError",
    "CaptchaRequiredError",
    "Caption",
    "Category",
    "Client",
    "Clock",
    "Comment",
    "Cursor",
    "DeadlineExceededError",
    "DecodeError",
    "Device",
    "Download",
    "DownloadError",
    "EmptyResponseError",
    "Envelope",
    "FollowResult",
    "Format",
    "Hashtag",
    "HashtagSearchResult",
    "Health",
    "IPBlockedError",
    "Identity",
    "IdentityBlockedError",
    "IdentityRef",
    "InstallIdRefusedError",
    "InvalidParameterError",
    "LikeResult",
    "Link",
    "LiveStartError",
    "LiveState",
    "LiveStatus",
    "LiveStream",
    "LoginError",
    "LoginRequiredError",
    "LoginResult",
    "Music",
    "NotFoundError",
    "NotLiveError",
    "Page",
    "Pager",
    "Post",
    "PostStatus",
    "PrivateAccountError",
    "PrivatePostError",
    "QRCode",
    "RateLimitError",
    "Recording",
    "RegistrationError",
    "RejectResult",
    "RemoteSigner",
    "RequestError",
    "RequestSigner",
    "RiskInfo",
    "Room",
    "SessionError",
    "SessionExpiredError",
    "ShareInfo",
    "SignRequest",
    "Signature",
    "Signer",
    "SignerError",
    "SkippedItem",
    "SoftBlockError",
    "Stall",
    "Statistics",
    "StatusChangeReason",
    "Sticker",
    "StreamUrl",
    "Style",
    "TextExtra",
    "TikTokError",
    "TransportError",
    "TrapReplyError",
    "User",
    "UserNotFoundError",
    "UserSearchResult",
    "Video",
    "Walk",
    "__version__",
    "from_dict",
    "register_device",
    "to_dict",
]


def __getattr__(name: str) -> _typing.Any:
    home = _HOME.get(name)
    if home is not None:
        value = getattr(_importlib.import_module(home, __name__), name)
    elif name in _SUBMODULES:
        value = _importlib.import_module(f".{name}", __name__)
    elif name in _RENAMED:
        new = _importlib.import_module(_RENAMED[name], __name__).RENAMED[name]
        from ._deprecation import warn_renamed

        warn_renamed(__name__, name, new)
        return __getattr__(new)  # not kept: every use of the old name warns
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value  # once: later reads do not come here
    return value


def __dir__() -> "list[str]":
    return sorted({*globals(), *_HOME, *_SUBMODULES})
