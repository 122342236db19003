"""What can be crawled: ``KIND:ID`` targets, the listing each walks and where its total comes from."""

from __future__ import annotations

import re
from typing import Any, Callable, Dict, Optional

import attrs

from ..pagination import Pager

__all__ = ["KINDS", "Kind", "Target", "item_key", "parse_target"]

# A listing from (client, id, count, cursor); count None is the endpoint's default.
Listing = Callable[[Any, str, Optional[int], Optional[int]], Pager[Any]]
# The listing's total as the profile (or post, hashtag...) counts it; None when unknown.
Total = Callable[[Any, str], Optional[int]]


def _resource_call(namespace: str, method: str) -> Callable[..., Any]:
    """``client.NAMESPACE.METHOD``, looked up on the client when the crawl calls it."""

    def call(client: Any, *args: Any, **kwargs: Any) -> Any:
        resource = getattr(client, namespace, None)
        function = getattr(resource, method, None)
        if function is None:
            raise ValueError(f"this version of the client has no {namespace}.{method}")
        return function(*args, **kwargs)

    return call


def _listing(namespace: str, method: str) -> Listing:
    call = _resource_call(namespace, method)

    def listing(client: Any, id: str, count: Optional[int], cursor: Optional[int]) -> Pager[Any]:
        return call(client, id, count=count, cursor=cursor)  # type: ignore[no-any-return]

    return listing


def _counter(namespace: str, method: str, *path: str) -> Total:
    call = _resource_call(namespace, method)

    def total(client: Any, id: str) -> Optional[int]:
        value: Any = call(client, id)
        for name in path:
            value = getattr(value, name, None)
        return value if type(value) is int else None

    return total


@attrs.frozen
class Kind:
    """One kind of target: its listing, its total, and whether its id is a user's."""

    name: str
    listing: Listing
    total: Total
    #: the item field that names an item: a replayed page cannot store it twice
    key: str
    user: bool = False


def _kinds(*kinds: Kind) -> Dict[str, Kind]:
    return {kind.name: kind for kind in kinds}


KINDS: Dict[str, Kind] = _kinds(
    Kind("followers", _listing("follows", "followers"),
         _counter("users", "get", "follower_count"), "uid", user=True),
    Kind("following", _listing("follows", "following"),
         _counter("users", "get", "following_count"), "uid", user=True),
    Kind("posts", _listing("users", "posts"),
         _counter("users", "get", "aweme_count"), "aweme_id", user=True),
    Kind("liked", _listing("users", "liked"),
         _counter("users", "get", "favoriting_count"), "aweme_id", user=True),
    Kind("comments", _listing("posts", "comments"),
         _counter("posts", "get", "statistics", "comment_count"), "cid"),
    Kind("hashtag", _listing("hashtags", "posts"),
         _counter("hashtags", "get", "user_count"), "aweme_id"),
    Kind("music", _listing("music", "posts"), _counter("music", "get", "user_count"), "aweme_id"),
    Kind("sticker", _listing("stickers", "posts"),
         _counter("stickers", "get", "user_count"), "aweme_id"),
)  # fmt: skip

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


def item_key(kind: Kind, item: Any, position: str) -> str:
    """The item's id (a user's uid, a post's aweme_id, a comment's cid), else its position."""
    value = getattr(item, kind.key, None)
    return str(value) if value else f"at:{position}"
