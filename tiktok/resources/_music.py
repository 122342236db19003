"""``client.music``: a sound and the posts that use it."""

from __future__ import annotations

from typing import Optional, Union

from .. import models
from .._transport import Endpoint
from ..models import MusicResponse, Post, PostPage
from ..pagination import Cursor, Pager, Style
from ._base import Listing, Resource, check_id, required
from ._declare import declare, identifier

__all__ = ["Music"]

GET = Endpoint(
    "GET", "aweme/v1/music/detail/", MusicResponse, query=("music_id",), result="music_info"
)
POSTS = Listing(
    Endpoint(
        "GET",
        "aweme/v1/music/aweme/",
        PostPage,
        query=("music_id", "cursor", "count", ("type", "6"), ("retry_type", "no_retry")),
    ),
    Style.OFFSET,
    "aweme_list",
)

MUSIC_ID = identifier("music", "music_id", "the sound: id (music.id of a post) or link")


class Music(Resource):
    """``client.music``: a sound (``post.music.id``, a :class:`tiktok.Music`) and the posts that use it."""

    namespace = "music"
    summary = "a sound and the posts that use it"

    @declare(GET, "one sound", MUSIC_ID)
    def get(self, music_id: Union[str, int]) -> models.Music:
        """One sound: title, author, owner, duration, cover and play addresses."""
        answer = self._read(GET, MusicResponse, music_id=check_id(music_id, "music_id"))
        return required(answer.music_info, GET)

    @declare(POSTS, "the posts that use a sound", MUSIC_ID)
    def posts(
        self,
        music_id: Union[str, int],
        *,
        count: Optional[int] = None,
        limit: Optional[int] = None,
        cursor: Optional[Cursor] = None,
        strict: bool = False,
    ) -> Pager[Post]:
        """Posts that use a sound (offset pagination, 20 a page)."""
        return self._pager(
            POSTS,
            strict=strict,
            count=count,
            limit=limit,
            cursor=cursor,
            music_id=check_id(music_id, "music_id"),
        )
