"""Every public call of the client, with valid arguments, for tests that sweep them all."""

from __future__ import annotations

from typing import Any, Callable, Dict, Tuple

import tiktok

from ._scripted import DEVICE, append_signature

NAMESPACES = tiktok.Client(DEVICE, append_signature, base_url="https://api.invalid/")

# Every public call: (how to call it, its valid arguments).
Call = Callable[..., Any]
CALLS: Dict[str, Tuple[Call, Dict[str, Any]]] = {
    "login_with_email": (
        lambda c, **a: c.login_with_email(**a),
        {"email": "me@example.com", "password": "pw"},
    ),
    "login_with_username": (
        lambda c, **a: c.login_with_username(**a),
        {"username": "me", "password": "pw"},
    ),
    "users.get": (lambda c, **a: c.users.get(**a), {"user_id": "42"}),
    "users.search": (lambda c, **a: c.users.search(**a), {"keyword": "cats"}),
    "users.qr_code": (lambda c, **a: c.users.qr_code(**a), {"user_id": "42", "schema_type": 4}),
    "posts.get": (lambda c, **a: c.posts.get(**a), {"post_id": "42"}),
    "posts.iter": (lambda c, **a: c.posts.iter(**a), {"user_id": "42"}),
    "users.posts": (lambda c, **a: c.users.posts(**a), {"user_id": "42"}),
    "posts.like": (lambda c, **a: c.posts.like(**a), {"post_id": "42"}),
    "posts.unlike": (lambda c, **a: c.posts.unlike(**a), {"post_id": "42"}),
    "posts.comments": (lambda c, **a: c.posts.comments(**a), {"post_id": "42"}),
    "posts.comment": (
        lambda c, **a: c.posts.comment(**a),
        {"post_id": "42", "text": "nice", "tags": ()},
    ),
    "follows.followers": (lambda c, **a: c.follows.followers(**a), {"user_id": "42"}),
    "follows.following": (lambda c, **a: c.follows.following(**a), {"user_id": "42"}),
    "follows.follow": (lambda c, **a: c.follows.follow(**a), {"user_id": "42"}),
    "follows.unfollow": (lambda c, **a: c.follows.unfollow(**a), {"user_id": "42"}),
    "follows.requests": (lambda c, **a: c.follows.requests(**a), {}),
    "follows.approve": (lambda c, **a: c.follows.approve(**a), {"user_id": "42"}),
    "follows.reject": (lambda c, **a: c.follows.reject(**a), {"user_id": "42"}),
    "live.join": (lambda c, **a: c.live.join(**a), {"room_id": "42"}),
    "live.leave": (lambda c, **a: c.live.leave(**a), {"room_id": "42"}),
    "live.can_start": (lambda c, **a: c.live.can_start(**a), {}),
    "live.create_room": (lambda c, **a: c.live.create_room(**a), {"title": "hello"}),
    "live.update_status": (
        lambda c, **a: c.live.update_status(**a),
        {"room_id": "42", "stream_id": "43", "status": 2, "reason": 0},
    ),
    "live.start": (lambda c, **a: c.live.start(**a), {"title": "hello"}),
    "live.end": (lambda c, **a: c.live.end(**a), {"room_id": "42", "stream_id": "43"}),
    "feed.for_you": (lambda c, **a: c.feed.for_you(**a), {}),
    "feed.following": (lambda c, **a: c.feed.following(**a), {}),
    "hashtags.categories": (lambda c, **a: c.hashtags.categories(**a), {}),
    "hashtags.search": (lambda c, **a: c.hashtags.search(**a), {"keyword": "cats"}),
    "hashtags.posts": (lambda c, **a: c.hashtags.posts(**a), {"hashtag_id": "42"}),
    "stickers.get": (lambda c, **a: c.stickers.get(**a), {"sticker_id": "42"}),
    "stickers.get_many": (lambda c, **a: c.stickers.get_many(**a), {"sticker_ids": ["42", 43]}),
    "stickers.posts": (lambda c, **a: c.stickers.posts(**a), {"sticker_id": "42"}),
    # Beyond the seed (docs/protocol.rst, Calls beyond the seed).
    "users.by_username": (lambda c, **a: c.users.by_username(**a), {"name": "@someone"}),
    "users.liked": (lambda c, **a: c.users.liked(**a), {"user_id": "42"}),
    "posts.get_many": (lambda c, **a: c.posts.get_many(**a), {"post_ids": ["42", 43]}),
    "posts.related": (lambda c, **a: c.posts.related(**a), {"post_id": "42"}),
    "posts.search": (lambda c, **a: c.posts.search(**a), {"keyword": "cats"}),
    "posts.replies": (
        lambda c, **a: c.posts.replies(**a),
        {"comment_id": "42", "post_id": "43"},
    ),
    "hashtags.get": (lambda c, **a: c.hashtags.get(**a), {"hashtag_id": "42"}),
    "music.get": (lambda c, **a: c.music.get(**a), {"music_id": "42"}),
    "music.posts": (lambda c, **a: c.music.posts(**a), {"music_id": "42"}),
    # A profile link costs a user search: something is sent, something decoded.
    "resolve": (lambda c, **a: c.resolve(**a), {"url": "https://www.tiktok.com/@someone"}),
}


def resolve(name: str) -> Callable[..., Any]:
    """The function behind a call's name: ``Client.login_with_email``, ``Users.get``…"""
    namespace, _, method = name.rpartition(".")
    owner = type(getattr(NAMESPACES, namespace)) if namespace else tiktok.Client
    return getattr(owner, method)  # type: ignore[no-any-return]
