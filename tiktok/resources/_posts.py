"""``client.posts``: posts, likes and comments."""

from __future__ import annotations

import json
import sys
import warnings
from datetime import datetime
from typing import Any, Dict, Iterable, List, Mapping, Optional, Union

import attrs

from .._converter import to_dict
from .._transport import Endpoint
from ..errors import NotFoundError
from ..models import (
    Comment,
    CommentPage,
    CommentResponse,
    LikeResult,
    Post,
    PostPage,
    PostResponse,
    PostsResponse,
    TextExtra,
    User,
)
from ..pagination import Cursor, Pager, Style
from ._base import (
    Listing,
    Resource,
    answered_id,
    check_cursor,
    check_id,
    check_ids,
    check_limit,
    check_text,
    check_time,
    required,
)
from ._declare import KEYWORD, POST_ID, declare, id_list, identifier, tags, text

__all__ = ["Posts"]

# No result field: a success without aweme_detail means no such post (see Posts.get).
GET = Endpoint("GET", "aweme/v1/aweme/detail/", PostResponse, query=("aweme_id",))
LIST = Listing(
    Endpoint(
        "GET",
        "aweme/v1/aweme/post/",
        PostPage,
        query=("user_id", "max_cursor", "count", ("retry_type", "no_retry")),
    ),
    Style.CURSOR,
    "aweme_list",
    max_count=35,
)
LIKE = Endpoint("GET", "aweme/v1/commit/item/digg/", LikeResult, query=("aweme_id", ("type", "1")))
UNLIKE = Endpoint(
    "GET", "aweme/v1/commit/item/digg/", LikeResult, query=("aweme_id", ("type", "0"))
)
COMMENTS = Listing(
    Endpoint(
        "GET",
        "aweme/v1/comment/list/",
        CommentPage,
        query=(
            "aweme_id",
            "cursor",
            "count",
            ("comment_style", "2"),
            ("digged_cid", ""),
            ("insert_cids", ""),
            ("retry_type", "no_retry"),
        ),
    ),
    Style.OFFSET,
    "comments",
    max_count=50,
)
GET_MANY = Endpoint(
    "POST",
    "aweme/v1/multi/aweme/detail/",
    PostsResponse,
    form=("aweme_ids", ("request_source", "0")),
    result="aweme_details",
)
# The related feed is the feed with type 5 and the post it starts from.
RELATED = Listing(
    Endpoint(
        "GET",
        "aweme/v1/feed/",
        PostPage,
        query=(
            ("type", "5"),
            "aweme_id",
            "count",
            ("max_cursor", "0"),
            ("pull_type", "2"),
            ("retry_type", "no_retry"),
        ),
    ),
    Style.FEED,
    "aweme_list",
    count=6,
)
# Post search sends its position as offset and answers the next one in cursor
# (docs/protocol.rst (Calls beyond the seed)).
SEARCH = Listing(
    Endpoint(
        "GET",
        "aweme/v1/search/item/",
        PostPage,
        query=(
            "keyword",
            "offset",
            "count",
            ("sort_type", "0"),
            ("publish_time", "0"),
            ("retry_type", "no_retry"),
        ),
    ),
    Style.OFFSET,
    "aweme_list",
    param="offset",
    max_count=30,
)
REPLIES = Listing(
    Endpoint(
        "GET",
        "aweme/v1/comment/list/reply/",
        CommentPage,
        query=("comment_id", "item_id", "cursor", "count", ("retry_type", "no_retry")),
    ),
    Style.OFFSET,
    "comments",
    max_count=50,
)
COMMENT = Endpoint(
    "POST",
    "aweme/v1/comment/publish/",
    CommentResponse,
    form=("aweme_id", "text", "text_extra", ("is_self_see", "0")),
    result="comment",
)


# A conversation's page is a comments page with every reply: its size in items has no
# bound of its own, only the walk's limit (see Posts.conversation).
WHOLE_PAGE = sys.maxsize


def _tag_json(tags: Iterable[Union[TextExtra, Mapping[str, Any]]]) -> str:
    out = []
    for tag in tags:
        if isinstance(tag, TextExtra):
            out.append(to_dict(tag))
        elif isinstance(tag, Mapping):
            out.append(dict(tag))
        else:
            raise ValueError(
                f"tags must be tiktok.TextExtra models or dicts, not {type(tag).__name__}"
            )
    return json.dumps(out, separators=(",", ":"), ensure_ascii=False)


class Posts(Resource):
    """``client.posts``: posts, a user's posts, likes and comments."""

    namespace = "posts"
    summary = "posts, a user's posts, comments and replies, likes, search, related posts"

    @declare(GET, "one post", POST_ID)
    def get(self, post_id: Union[str, int]) -> Post:
        """One post; :class:`tiktok.NotFoundError` when there is no such post."""
        response = self._read(GET, PostResponse, aweme_id=check_id(post_id, "post_id"))
        if response.aweme_detail is None:
            # How the API answers a post that does not exist (docs/protocol.rst (Failures)).
            raise NotFoundError(
                f"{GET.path} answered without 'aweme_detail': there is no post {post_id}",
                status_code=response.status_code,
                status_msg=response.status_msg,
                http_status=200,
            )
        return response.aweme_detail

    def iter(
        self,
        user_id: Union[str, int, User],
        *,
        count: Optional[int] = None,
        limit: Optional[int] = None,
        cursor: Optional[Cursor] = None,
        strict: bool = False,
        since: Union[int, float, datetime, None] = None,
        until: Union[int, float, datetime, None] = None,
    ) -> Pager[Post]:
        """Deprecated: :meth:`tiktok.resources.Users.posts` (``client.users.posts``), the same listing."""
        warnings.warn(
            "client.posts.iter(user) is deprecated, use client.users.posts(user)",
            DeprecationWarning,
            stacklevel=2,
        )
        return self._user_pager(
            LIST,
            user_id,
            strict=strict,
            count=count,
            limit=limit,
            cursor=cursor,
            since=check_time(since, "since"),
            until=check_time(until, "until"),
        )

    @declare(
        GET_MANY,
        "several posts in one request, one line each, in the order given",
        id_list("post", "post_ids", "post ids or links"),
    )
    def get_many(self, post_ids: Iterable[Union[str, int]]) -> List[Post]:
        """Several posts in one request, in the order asked; ids the server did not answer are left out.

        An id asked twice is sent and returned once.
        """
        ids = list(dict.fromkeys(check_ids(post_ids, "post_ids")))
        answer = self._read(
            GET_MANY, PostsResponse, aweme_ids=json.dumps(ids, separators=(",", ":"))
        )
        posts = required(answer.aweme_details, GET_MANY)
        by_id: Dict[str, Post] = {}
        for post in posts:
            if post.aweme_id is not None:
                by_id.setdefault(post.aweme_id, post)
        return [by_id[post_id] for post_id in ids if post_id in by_id]

    @declare(RELATED, "posts related to a post (endless: stops at --limit)", POST_ID)
    def related(
        self,
        post_id: Union[str, int],
        *,
        count: Optional[int] = None,
        limit: Optional[int] = None,
        strict: bool = False,
    ) -> Pager[Post]:
        """Posts like ``post_id`` (a feed: endless, pass ``limit``; 6 a page)."""
        return self._pager(
            RELATED,
            strict=strict,
            count=count,
            limit=limit,
            cursor=None,
            aweme_id=check_id(post_id, "post_id"),
        )

    @declare(SEARCH, "posts matching a keyword", KEYWORD)
    def search(
        self,
        keyword: str,
        *,
        count: Optional[int] = None,
        limit: Optional[int] = None,
        cursor: Optional[Cursor] = None,
        strict: bool = False,
    ) -> Pager[Post]:
        """Posts matching ``keyword`` (offset pagination, 20 a page)."""
        return self._pager(
            SEARCH,
            strict=strict,
            count=count,
            limit=limit,
            cursor=cursor,
            keyword=check_text(keyword, "keyword"),
        )

    @declare(
        REPLIES,
        "the replies to a comment",
        identifier("comment", "comment_id", "the comment's id (cid)"),
        POST_ID,
    )
    def replies(
        self,
        comment_id: Union[str, int],
        post_id: Union[str, int],
        *,
        count: Optional[int] = None,
        limit: Optional[int] = None,
        cursor: Optional[Cursor] = None,
        strict: bool = False,
    ) -> Pager[Comment]:
        """The replies to comment ``comment_id`` (its ``cid``) of post ``post_id``."""
        return self._pager(
            REPLIES,
            strict=strict,
            count=count,
            limit=limit,
            cursor=cursor,
            comment_id=check_id(comment_id, "comment_id"),
            item_id=check_id(post_id, "post_id"),
        )

    @declare(
        LIKE,
        "like a post (is_digg is inverted on the wire: 0 means liked)",
        POST_ID,
        login=True,
        adds=("liked",),
    )
    def like(self, post_id: Union[str, int]) -> LikeResult:
        """Like a post; ``result.liked`` says whether it is now liked."""
        return self._read(LIKE, LikeResult, aweme_id=check_id(post_id, "post_id"))

    @declare(
        UNLIKE,
        "take a like back (is_digg 1 means not liked)",
        POST_ID,
        login=True,
        adds=("liked",),
    )
    def unlike(self, post_id: Union[str, int]) -> LikeResult:
        """Take a like back; ``result.liked`` is then ``False``."""
        return self._read(UNLIKE, LikeResult, aweme_id=check_id(post_id, "post_id"))

    @declare(COMMENTS, "a post's comments", POST_ID)
    def comments(
        self,
        post_id: Union[str, int],
        *,
        count: Optional[int] = None,
        limit: Optional[int] = None,
        cursor: Optional[Cursor] = None,
        strict: bool = False,
    ) -> Pager[Comment]:
        """A post's comments (offset pagination, 20 a page)."""
        return self._pager(
            COMMENTS,
            strict=strict,
            count=count,
            limit=limit,
            cursor=cursor,
            aweme_id=check_id(post_id, "post_id"),
        )

    @declare(
        COMMENT,
        "comment on a post",
        POST_ID,
        text("text", "the comment"),
        tags("tags", "mentions: tiktok.TextExtra models or dicts"),
        login=True,
    )
    def comment(
        self,
        post_id: Union[str, int],
        text: str,
        tags: Iterable[Union[TextExtra, Mapping[str, Any]]] = (),
    ) -> Comment:
        """Comment on a post. ``tags`` mark mentions: ``TextExtra(begin=0, end=5, type=0, user_id=…)``."""
        aweme_id = check_id(post_id, "post_id")
        if not isinstance(text, str):
            raise ValueError(f"text must be a str, not {type(text).__name__}")
        if not text.strip():
            raise ValueError("text must not be empty")
        answer = self._read(
            COMMENT, CommentResponse, aweme_id=aweme_id, text=text, text_extra=_tag_json(tags)
        )
        return required(answer.comment, COMMENT)

    @declare(
        COMMENTS,
        "a post's comments, each followed by all its replies (reply_id: the parent's cid)",
        POST_ID,
    )
    def conversation(
        self,
        post_id: Union[str, int],
        *,
        count: Optional[int] = None,
        limit: Optional[int] = None,
        cursor: Optional[Cursor] = None,
        strict: bool = False,
    ) -> Pager[Comment]:
        """A post's whole conversation: each comment followed by all its replies.

        Walks :meth:`comments` and, for each comment whose ``reply_comment_total``
        is not 0, :meth:`replies` to its end (a comment with none costs no request).
        A reply's ``reply_id`` is its comment's ``cid`` (a comment's is ``"0"``), so
        the tree is ``itertools.groupby``-ready. ``count`` is the comments page size;
        ``limit`` caps the comments and replies yielded together, and no reply past
        it is asked for. Every request is paced like any call. The pager's
        :attr:`~tiktok.Pager.cursor` is the comments position: a walk resumed from it
        starts again at the comments page where it stopped, so the items of that page
        already seen come again (keep the last page's cids to drop them).
        """
        aweme_id = check_id(post_id, "post_id")
        page_size = COMMENTS.page_size(count)

        fetch_comments = self._page_fetch(COMMENTS, strict=strict, aweme_id=aweme_id)

        def fetch(position: Optional[int], size: int) -> CommentPage:
            # size is what the walk's limit leaves (WHOLE_PAGE when it has none).
            answer = fetch_comments(position, min(page_size, size))
            thread: List[Comment] = []
            for comment in answer.comments or ():
                thread.append(comment)
                # One item past the limit tells the pager the page goes on (it resumes there).
                budget = size + 1 - len(thread)
                if not comment.reply_comment_total or budget <= 0 or comment.cid is None:
                    continue
                cid = answered_id(comment.cid, "cid", COMMENTS.endpoint.path)
                thread.extend(self.replies(cid, aweme_id, limit=budget, strict=strict))
            whole: CommentPage = attrs.evolve(answer, comments=thread)
            whole.skipped.extend(answer.skipped)  # not an init field: evolve leaves it empty
            return whole

        return Pager(
            fetch,
            style=COMMENTS.style,
            items_key=COMMENTS.items,
            count=WHOLE_PAGE,
            limit=check_limit(limit),
            cursor=check_cursor(cursor),
        )
