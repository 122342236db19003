"""What can be crawled: ``KIND:ID`` targets, the listing each walks and where its total comes from."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Callable, Dict, Generic, Optional, Protocol, Type, TypeVar

import attrs

from ..pagination import Cursor, Pager
from ..resources import Follows, Hashtags, Music, Posts, Resource, Stickers, Users
from ..resources._declare import Call, Paging, Shape

if TYPE_CHECKING:
    from ..client import Client

__all__ = ["KINDS", "Kind", "Target", "item_key", "parse_target"]

L = TypeVar("L", bound=Resource)
Item = TypeVar("Item")
T = TypeVar("T", bound=Resource)
M = TypeVar("M")
L_contra = TypeVar("L_contra", bound=Resource, contravariant=True)
M_co = TypeVar("M_co", covariant=True)


class ListingMethod(Protocol[L_contra, Item]):
    """A declared listing taking one id: ``Follows.followers``, ``Users.posts``..."""

    def __call__(
        self,
        __resource: L_contra,
        __id: str,
        *,
        count: Optional[int] = ...,
        cursor: Optional[Cursor] = ...,
    ) -> Pager[Item]: ...


class OneMethod(Protocol[L_contra, M_co]):
    """A declared call taking one id and giving one model: ``Users.get``..."""

    def __call__(self, __resource: L_contra, __id: str) -> M_co: ...


def declared(resource: Type[Resource], function: Callable[..., Any]) -> Call:
    """The declaration of ``resource``'s method ``function``."""
    for call in resource.calls:
        if call.function is function:
            return call
    raise ValueError(f"{function.__qualname__} is not a call declared on {resource.__name__}")


@attrs.frozen
class Kind(Generic[L, Item, T, M]):
    """One kind of target: a declared listing of one id, and where its total comes from.

    ``counted`` is the declared call whose answer counts the listing
    (``Users.get`` for followers), ``count`` reads the number from it.
    """

    name: str
    resource: Type[L]
    walks: ListingMethod[L, Item]
    counter: Type[T]
    counted: OneMethod[T, M]
    count: Callable[[M], Optional[int]]
    #: the item's id: a replayed page cannot store it twice
    key: Callable[[Item], object]
    call: Call = attrs.field(init=False)

    @call.default
    def _declared(self) -> Call:
        call = declared(self.resource, self.walks)
        first = call.params[0] if call.params else None
        if call.paging is not Paging.LISTING or first is None or first.shape is not Shape.ID:
            raise ValueError(f"{call.qualname} is not a resumable listing of one id")
        declared(self.counter, self.counted)
        return call

    @property
    def user(self) -> bool:
        """Whether the target's id is a user's (it may then be a sec_user_id)."""
        return self.call.params[0].of == "user"

    def listing(
        self, client: Client, id: str, count: Optional[int], cursor: Optional[int]
    ) -> Pager[Item]:
        """The listing from ``cursor``, ``count`` a page (``None``: the endpoint's default)."""
        return self.walks(client.resource(self.resource), id, count=count, cursor=cursor)

    def total(self, client: Client, id: str) -> Optional[int]:
        """The listing's total as the profile (or post, hashtag...) counts it; None when unknown."""
        value = self.count(self.counted(client.resource(self.counter), id))
        return value if type(value) is int else None


KINDS: Dict[str, Kind[Any, Any, Any, Any]] = {
    kind.name: kind
    for kind in (
        Kind("followers", Follows, Follows.followers,
             Users, Users.get, lambda user: user.follower_count, lambda user: user.uid),
        Kind("following", Follows, Follows.following,
             Users, Users.get, lambda user: user.following_count, lambda user: user.uid),
        Kind("posts", Users, Users.posts,
             Users, Users.get, lambda user: user.aweme_count, lambda post: post.aweme_id),
        Kind("liked", Users, Users.liked,
             Users, Users.get, lambda user: user.favoriting_count, lambda post: post.aweme_id),
        Kind("comments", Posts, Posts.comments,
             Posts, Posts.get, lambda post: post.statistics.comment_count if post.statistics else None,
             lambda comment: comment.cid),
        Kind("hashtag", Hashtags, Hashtags.posts,
             Hashtags, Hashtags.get, lambda hashtag: hashtag.user_count, lambda post: post.aweme_id),
        Kind("music", Music, Music.posts,
             Music, Music.get, lambda music: music.user_count, lambda post: post.aweme_id),
        Kind("sticker", Stickers, Stickers.posts,
             Stickers, Stickers.get, lambda sticker: sticker.user_count, lambda post: post.aweme_id),
    )
}  # fmt: skip

_NUMERIC = re.compile(r"[0-9]+")
# A user may also be named by sec_user_id (docs/protocol.rst (Apps and hosts)).
_SEC_USER_ID = re.compile(r"MS4wLjABAAAA[A-Za-z0-9_-]+")


@attrs.frozen
class Target:
    """``KIND:ID``: one listing of one user, post, hashtag, sound or sticker."""

    kind: str
    id: str

    def __str__(self) -> str:
        return f"{self.kind}:{self.id}"


def parse_target(text: str) -> Target:
    """``Target`` from ``KIND:ID``; ``ValueError`` naming what is wrong."""
    kind, colon, id = text.strip().partition(":")
    if not colon:
        raise ValueError(f"a target is KIND:ID (e.g. followers:6800000000000000002), not {text!r}")
    spec = KINDS.get(kind)
    if spec is None:
        raise ValueError(f"unknown target kind {kind!r} in {text!r}: one of {', '.join(KINDS)}")
    if not (_NUMERIC.fullmatch(id) or (spec.user and _SEC_USER_ID.fullmatch(id))):
        what = "a numeric id or a sec_user_id" if spec.user else "a numeric id"
        raise ValueError(f"the id of {text!r} must be {what}")
    return Target(kind, id)


def item_key(kind: Kind[Any, Any, Any, Any], item: Any, position: str) -> str:
    """The item's id (a user's uid, a post's aweme_id, a comment's cid), else its position."""
    value = kind.key(item)
    return str(value) if value else f"at:{position}"
