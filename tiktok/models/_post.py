"""Posts ("awemes") and their parts."""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar, List, Optional

from ._base import ID, Model, PagedResponse, Response, UrlList, model
from ._show import at, clipped, handle, short_repr
from ._user import User

__all__ = [
    "BitRate",
    "LikeResult",
    "Music",
    "MusicResponse",
    "Post",
    "PostPage",
    "PostResponse",
    "PostStatus",
    "PostsResponse",
    "RiskInfo",
    "ShareInfo",
    "Statistics",
    "StickerDetail",
    "TextExtra",
    "Video",
]


@model
class Statistics(Model):
    """A post's counters: ``digg_count`` is likes, ``forward_count`` reposts."""

    aweme_id: Optional[ID] = None
    comment_count: Optional[int] = None
    digg_count: Optional[int] = None
    forward_count: Optional[int] = None
    play_count: Optional[int] = None
    share_count: Optional[int] = None


@model
class BitRate(Model):
    """One encoding of a post's video: its bit rate (bit/s), codec flags and address."""

    gear_name: Optional[str] = None
    quality_type: Optional[int] = None
    bit_rate: Optional[int] = None
    is_h265: Optional[int] = None
    is_bytevc1: Optional[int] = None
    play_addr: Optional[UrlList] = None

    @property
    def h265(self) -> bool:
        """Whether this encoding is H.265 (``bytevc1``), which fewer players decode than H.264."""
        return bool(self.is_h265 or self.is_bytevc1)


@model
class Video(Model):
    """A post's video: covers, play and download addresses, size and duration (ms).

    ``play_addr`` and the encodings of ``bit_rate`` are without watermark,
    ``download_addr`` with it (docs/protocol.rst (Media)).
    """

    cover: Optional[UrlList] = None
    origin_cover: Optional[UrlList] = None
    dynamic_cover: Optional[UrlList] = None
    play_addr: Optional[UrlList] = None
    play_addr_h264: Optional[UrlList] = None
    download_addr: Optional[UrlList] = None
    bit_rate: Optional[List[BitRate]] = None
    duration: Optional[int] = None
    width: Optional[int] = None
    height: Optional[int] = None
    ratio: Optional[str] = None
    has_watermark: Optional[int] = None


@model
class Music(Model):
    """The sound a post uses."""

    id: Optional[ID] = None
    title: Optional[str] = None
    author: Optional[str] = None
    album: Optional[str] = None
    duration: Optional[int] = None
    owner_id: Optional[ID] = None
    owner_handle: Optional[str] = None
    owner_nickname: Optional[str] = None
    user_count: Optional[int] = None
    play_url: Optional[UrlList] = None
    cover_hd: Optional[UrlList] = None
    cover_large: Optional[UrlList] = None
    cover_medium: Optional[UrlList] = None
    cover_thumb: Optional[UrlList] = None

    def __repr__(self) -> str:
        return short_repr(self, id=self.id, title=self.title, author=self.author)


@model
class ShareInfo(Model):
    """What the app shows when a post is shared: the link and its texts."""

    share_url: Optional[str] = None
    share_title: Optional[str] = None
    share_desc: Optional[str] = None
    share_quote: Optional[str] = None
    share_link_desc: Optional[str] = None
    share_signature_desc: Optional[str] = None
    share_signature_url: Optional[str] = None
    share_weibo_desc: Optional[str] = None
    bool_persist: Optional[int] = None


@model
class RiskInfo(Model):
    """A content warning shown over the post."""

    content: Optional[str] = None
    type: Optional[int] = None
    warn: Optional[int] = None
    vote: Optional[int] = None
    risk_sink: Optional[int] = None


@model
class PostStatus(Model):
    """Whether a post is private, deleted, under review, and what it allows."""

    allow_comment: Optional[int] = None
    allow_share: Optional[int] = None
    download_status: Optional[int] = None
    is_delete: Optional[int] = None
    is_private: Optional[int] = None
    in_reviewing: Optional[int] = None
    is_prohibited: Optional[int] = None
    private_status: Optional[int] = None
    reviewed: Optional[int] = None


@model
class TextExtra(Model):
    """A hashtag or mention inside a text: ``type`` 0 is a user, 1 a hashtag."""

    begin: Optional[int] = None
    end: Optional[int] = None
    type: Optional[int] = None
    hashtag_name: Optional[str] = None
    hashtag_id: Optional[ID] = None
    user_id: Optional[ID] = None


@model
class StickerDetail(Model):
    """The sticker (effect) a post was made with."""

    id: Optional[ID] = None
    name: Optional[str] = None


@model
class Post(Model):
    """A post (the API calls them awemes)."""

    aweme_id: Optional[ID] = None
    desc: Optional[str] = None
    create_time: Optional[int] = None
    author: Optional[User] = None
    author_user_id: Optional[ID] = None
    aweme_type: Optional[int] = None
    music: Optional[Music] = None
    video: Optional[Video] = None
    statistics: Optional[Statistics] = None
    status: Optional[PostStatus] = None
    share_info: Optional[ShareInfo] = None
    share_url: Optional[str] = None
    risk_infos: Optional[RiskInfo] = None
    text_extra: Optional[List[TextExtra]] = None
    sticker_detail: Optional[StickerDetail] = None
    stickers: Optional[str] = None
    region: Optional[str] = None
    rate: Optional[int] = None
    prevent_download: Optional[int] = None
    user_digged: Optional[int] = None

    @property
    def created_at(self) -> Optional[datetime]:
        """``create_time`` as an aware UTC ``datetime`` (``None`` if not sent)."""
        return at(self.create_time)

    def __repr__(self) -> str:
        stats = self.statistics
        return short_repr(
            self,
            aweme_id=self.aweme_id,
            author=handle(self.author),
            desc=clipped(self.desc),
            digg_count=stats.digg_count if stats is not None else None,
            comment_count=stats.comment_count if stats is not None else None,
            play_count=stats.play_count if stats is not None else None,
        )


@model
class PostResponse(Response):
    """The answer of ``posts.get``."""

    aweme_detail: Optional[Post] = None


@model
class PostsResponse(Response):
    """The answer of ``posts.get_many``: the posts the server found."""

    aweme_details: Optional[List[Post]] = None


@model
class MusicResponse(Response):
    """The answer of ``music.get``."""

    music_info: Optional[Music] = None


@model
class PostPage(PagedResponse):
    """A page of posts: user posts and feeds (``max_cursor``) or offset listings (``cursor``)."""

    ITEMS: ClassVar[str] = "aweme_list"

    aweme_list: Optional[List[Post]] = None
    has_more: Optional[int] = None
    max_cursor: Optional[int] = None
    min_cursor: Optional[int] = None
    cursor: Optional[int] = None
    stickers: Optional[List[Any]] = None


@model
class LikeResult(Response):
    """The answer to ``posts.like`` / ``posts.unlike``.

    ``is_digg`` is inverted on the wire (0 after a like); read :attr:`liked`.
    """

    is_digg: Optional[int] = None

    @property
    def liked(self) -> Optional[bool]:
        """Whether the post is now liked by you (``None`` if the server did not say)."""
        return None if self.is_digg is None else self.is_digg == 0
