"""Posts ("awemes") and their parts."""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar, List, Optional

from ._base import ID, Envelope, Model, PagedResponse, UrlList, model
from ._show import at, clipped, handle, short_repr
from ._user import User

__all__ = [
    "AutoCaption",
    "AutoVideoCaptionInfo",
    "BitRate",
    "CaptionInfo",
    "ClaInfo",
    "ImagePostInfo",
    "InteractionSticker",
    "LikeResult",
    "Music",
    "MusicResponse",
    "Post",
    "PostImage",
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
    """A post's counters: ``digg_count`` is likes, ``forward_count`` reposts,
    ``collect_count`` saves ("favourites")."""

    aweme_id: Optional[ID] = None
    collect_count: Optional[int] = None
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
class CaptionInfo(Model):
    """One caption track of ``video.cla_info``: its language (``lang``, such as
    ``eng-US``), its address (``url``, mirrors in ``url_list``) and ``Format``
    (such as ``webvtt``); docs/protocol.rst (Captions)."""

    lang: Optional[str] = None
    language_code: Optional[str] = None
    language_id: Optional[ID] = None
    url: Optional[str] = None
    url_list: Optional[List[str]] = None
    Format: Optional[str] = None
    caption_format: Optional[str] = None
    is_auto_generated: Optional[int] = None
    sub_id: Optional[ID] = None
    expire: Optional[int] = None


@model
class ClaInfo(Model):
    """A video's caption tracks (``caption_infos``) and whether captions are shown."""

    caption_infos: Optional[List[CaptionInfo]] = None
    has_original_audio: Optional[int] = None
    enable_auto_caption: Optional[int] = None
    original_language_info: Optional[Any] = None


@model
class Video(Model):
    """A post's video: covers, play and download addresses, size and duration (ms).

    ``play_addr`` and the encodings of ``bit_rate`` are without watermark,
    ``download_addr`` with it; ``play_addr_bytevc1`` is H.265. Which one a
    download takes is docs/downloads.rst (Formats). A photo post's video block
    is a still with ``duration`` 0 (docs/protocol.rst (Media)).
    """

    cover: Optional[UrlList] = None
    origin_cover: Optional[UrlList] = None
    dynamic_cover: Optional[UrlList] = None
    animated_cover: Optional[UrlList] = None
    ai_dynamic_cover: Optional[UrlList] = None
    ai_dynamic_cover_bak: Optional[UrlList] = None
    play_addr: Optional[UrlList] = None
    play_addr_h264: Optional[UrlList] = None
    play_addr_bytevc1: Optional[UrlList] = None
    download_addr: Optional[UrlList] = None
    bit_rate: Optional[List[BitRate]] = None
    duration: Optional[int] = None
    width: Optional[int] = None
    height: Optional[int] = None
    ratio: Optional[str] = None
    has_watermark: Optional[int] = None
    cla_info: Optional[ClaInfo] = None


@model
class PostImage(Model):
    """One image of a photo post: ``display_image`` without watermark,
    ``owner_watermark_image`` with it, and a small ``thumbnail``; each an address
    with the image's ``width`` and ``height``."""

    display_image: Optional[UrlList] = None
    owner_watermark_image: Optional[UrlList] = None
    user_watermark_image: Optional[UrlList] = None
    thumbnail: Optional[UrlList] = None


@model
class ImagePostInfo(Model):
    """A photo post's images (``images``, in the order the post shows them) and its cover."""

    images: Optional[List[PostImage]] = None
    image_post_cover: Optional[PostImage] = None
    title: Optional[str] = None


@model
class AutoCaption(Model):
    """One automatic caption of a post: ``language`` and ``url`` (JSON ``utterances``)."""

    language: Optional[str] = None
    url: Optional[UrlList] = None


@model
class AutoVideoCaptionInfo(Model):
    """The automatic captions an interaction sticker carries."""

    auto_captions: Optional[List[AutoCaption]] = None


@model
class InteractionSticker(Model):
    """A sticker laid over a post; some carry its automatic captions."""

    type: Optional[int] = None
    index: Optional[int] = None
    auto_video_caption_info: Optional[AutoVideoCaptionInfo] = None


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
    """A post (the API calls them awemes): a video, or a photo post (:attr:`is_photo`)."""

    #: ``aweme_type`` of a photo post ("slideshow"; docs/protocol.rst (Media))
    PHOTO_TYPE: ClassVar[int] = 150

    aweme_id: Optional[ID] = None
    desc: Optional[str] = None
    create_time: Optional[int] = None
    author: Optional[User] = None
    author_user_id: Optional[ID] = None
    aweme_type: Optional[int] = None
    music: Optional[Music] = None
    video: Optional[Video] = None
    image_post_info: Optional[ImagePostInfo] = None
    interaction_stickers: Optional[List[InteractionSticker]] = None
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

    @property
    def is_photo(self) -> bool:
        """Whether this is a photo post: ``aweme_type`` 150, or images sent without that type."""
        info = self.image_post_info
        return self.aweme_type == self.PHOTO_TYPE or bool(info is not None and info.images)

    @property
    def images(self) -> List[PostImage]:
        """A photo post's images in order (empty for a video)."""
        info = self.image_post_info
        return list(info.images or ()) if info is not None else []

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
class PostResponse(Envelope):
    """The answer of ``posts.get``."""

    aweme_detail: Optional[Post] = None


@model
class PostsResponse(Envelope):
    """The answer of ``posts.get_many``: the posts the server found."""

    aweme_details: Optional[List[Post]] = None


@model
class MusicResponse(Envelope):
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
class LikeResult(Envelope):
    """The answer to ``posts.like`` / ``posts.unlike``.

    ``is_digg`` is inverted on the wire (0 after a like); read :attr:`liked`.
    """

    is_digg: Optional[int] = None

    @property
    def liked(self) -> Optional[bool]:
        """Whether the post is now liked by you (``None`` if the server did not say)."""
        return None if self.is_digg is None else self.is_digg == 0
