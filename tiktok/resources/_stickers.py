"""``client.stickers``: stickers (effects) and the posts that use them."""

from __future__ import annotations

from typing import Iterable, List, Optional, Union

from .._transport import Endpoint
from ..errors import DecodeError
from ..models import Post, PostPage, Sticker, StickerResponse
from ..pagination import Cursor, Pager, Style
from ._base import Listing, Resource, check_id, check_ids, required
from ._declare import declare, id_list, identifier

__all__ = ["Stickers"]

DETAIL = Endpoint(
    "GET",
    "aweme/v1/sticker/detail/",
    StickerResponse,
    query=("sticker_ids",),
    result="sticker_infos",
)
POSTS = Listing(
    Endpoint(
        "GET",
        "aweme/v1/sticker/aweme/",
        PostPage,
        query=("sticker_id", "count", "cursor", ("retry_type", "no_retry")),
    ),
    Style.OFFSET,
    "aweme_list",
)
STICKER_ID = identifier("sticker", "sticker_id", "the sticker's id")


class Stickers(Resource):
    """``client.stickers``: stickers (effects) and the posts that use them."""

    namespace = "stickers"
    summary = "stickers (effects) and the posts that use them"

    @declare(DETAIL, "one sticker", STICKER_ID, command=None)
    def get(self, sticker_id: Union[str, int]) -> Sticker:
        """One sticker."""
        stickers = self.get_many([check_id(sticker_id, "sticker_id")])
        if not stickers:
            raise DecodeError(f"{DETAIL.path} answered with no sticker for id {sticker_id}")
        return stickers[0]

    @declare(
        DETAIL,
        "one or more stickers, one line each",
        id_list("sticker", "sticker_ids", "sticker ids"),
        command="get",
    )
    def get_many(self, sticker_ids: Iterable[Union[str, int]]) -> List[Sticker]:
        """Several stickers in one request, in the order the server gives them."""
        ids = check_ids(sticker_ids, "sticker_ids")
        answer = self._read(DETAIL, StickerResponse, sticker_ids=",".join(ids))
        return required(answer.sticker_infos, DETAIL)

    @declare(POSTS, "the posts that use a sticker", STICKER_ID)
    def posts(
        self,
        sticker_id: Union[str, int],
        *,
        count: Optional[int] = None,
        limit: Optional[int] = None,
        cursor: Optional[Cursor] = None,
        strict: bool = False,
    ) -> Pager[Post]:
        """Posts that use a sticker."""
        return self._pager(
            POSTS,
            strict=strict,
            count=count,
            limit=limit,
            cursor=cursor,
            sticker_id=check_id(sticker_id, "sticker_id"),
        )
