"""Comments and the tags (mentions) a comment can carry."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar, List, Optional

from ._base import ID, Envelope, Model, PagedResponse, model
from ._post import TextExtra
from ._show import at, clipped, handle, short_repr
from ._user import User

__all__ = ["Comment", "CommentPage", "CommentResponse"]


@model
class Comment(Model):
    """A comment on a post; ``cid`` is its id, ``user`` its author."""

    cid: Optional[ID] = None
    aweme_id: Optional[ID] = None
    text: Optional[str] = None
    create_time: Optional[int] = None
    digg_count: Optional[int] = None
    reply_id: Optional[ID] = None
    #: how many replies the comment has (``posts.replies`` lists them)
    reply_comment_total: Optional[int] = None
    status: Optional[int] = None
    text_extra: Optional[List[TextExtra]] = None
    user: Optional[User] = None
    user_digged: Optional[int] = None

    @property
    def created_at(self) -> Optional[datetime]:
        """``create_time`` as an aware UTC ``datetime`` (``None`` if not sent)."""
        return at(self.create_time)

    def __repr__(self) -> str:
        return short_repr(
            self,
            cid=self.cid,
            user=handle(self.user),
            text=clipped(self.text),
            digg_count=self.digg_count,
        )


#: Another name for :class:`TextExtra` (the one the docs used first); the same class.
Tag = TextExtra


@model
class CommentPage(PagedResponse):
    """A page of ``posts.comments`` (offset pagination)."""

    ITEMS: ClassVar[str] = "comments"

    comments: Optional[List[Comment]] = None
    cursor: Optional[int] = None
    has_more: Optional[int] = None
    total: Optional[int] = None


@model
class CommentResponse(Envelope):
    """The answer of ``posts.comment``: the comment as posted."""

    comment: Optional[Comment] = None
