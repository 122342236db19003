"""The data commands: one table entry per API call, ``tiktok GROUP ACTION ARGS``."""

from __future__ import annotations

import argparse
from typing import Any, Callable, Dict, Optional, Tuple

import attrs

from .._converter import to_dict
from ..client import Client
from ..models import LikeResult, LiveStatus, StatusChangeReason

__all__ = [
    "COMMANDS",
    "GROUPS",
    "Arg",
    "Command",
    "numeric_id",
    "page_options",
    "resolve_refs",
]


def numeric_id(text: str) -> str:
    """argparse type of an id: digits only (ids outgrow 64-bit floats, so they stay text)."""
    if text.isascii() and text.isdigit():
        return text
    raise argparse.ArgumentTypeError(f"must be a numeric id (digits only), not {text!r}")


def id_or_link(kind: str) -> Callable[[str], str]:
    """argparse type of an id that may also be given as a pasted link (a user: as @handle)."""

    def parse(text: str) -> str:
        text = text.strip()
        if text.isascii() and text.isdigit():
            return text
        if kind == "user" and text.startswith("@") and len(text) > 1:
            return text
        if kind == "user" and text.startswith("MS4w"):
            return text  # a sec_user_id: the library checks it (docs/protocol.rst (Apps and hosts))
        if "/" in text:
            return text  # a link: client.resolve checks it once the client is open
        what = "a numeric id, an @handle or a link" if kind == "user" else "a numeric id or a link"
        raise argparse.ArgumentTypeError(f"must be {what}, not {text!r}")

    return parse


def resolve_ref(client: Client, kind: str, text: str) -> str:
    """The numeric id ``text`` stands for: itself, the user with that @handle, or a link's id."""
    if text.isascii() and text.isdigit():
        return text
    if kind == "user" and text.startswith("@"):
        return str(client.users.by_username(text).uid)
    if kind == "user" and text.startswith("MS4w"):
        return text
    link = client.resolve(text)
    if link.kind != kind:
        raise ValueError(f"{text} is a link to a {link.kind}, not to a {kind}")
    return link.id


@attrs.frozen
class Arg:
    """One argument of a command, as ``parser.add_argument`` takes it.

    ``ref`` is the kind (user, post, music, hashtag) of an id that may be given as
    a link or, for a user, an @handle: resolved once the client is open.
    """

    flags: Tuple[str, ...]
    options: Dict[str, Any] = attrs.field(factory=dict)
    ref: Optional[str] = None


def resolve_refs(client: Client, command: Command, args: argparse.Namespace) -> None:
    """Replace each handle or link among ``args`` by the id it stands for."""
    for arg in command.args:
        if arg.ref is None:
            continue
        dest = arg.flags[0].lstrip("-").replace("-", "_")
        value = getattr(args, dest)
        if isinstance(value, list):
            setattr(args, dest, [resolve_ref(client, arg.ref, item) for item in value])
        elif isinstance(value, str):
            setattr(args, dest, resolve_ref(client, arg.ref, value))


def _id(name: str, help: str) -> Arg:
    return Arg((name,), {"type": numeric_id, "help": help})


def _ref(kind: str, name: str, help: str, **options: Any) -> Arg:
    return Arg((name,), {"type": id_or_link(kind), "help": help, **options}, ref=kind)


def _text(name: str, help: str) -> Arg:
    return Arg((name,), {"help": help})


# How a command pages: None (one result), "cursor" (resumable) or "feed" (endless, no cursor).
Paging = Optional[str]


@attrs.frozen
class Command:
    group: str
    name: str
    help: str
    run: Callable[[Client, argparse.Namespace], Any]
    args: Tuple[Arg, ...] = ()
    paging: Paging = None
    needs_login: bool = False


def _like_line(result: LikeResult) -> Dict[str, Any]:
    """The answer's JSON plus ``liked``: ``is_digg`` alone reads backwards (0 means liked)."""
    return {"liked": result.liked, **to_dict(result)}


def page_options(args: argparse.Namespace) -> Dict[str, Any]:
    """``count``/``limit``/``cursor``/``strict`` keywords for a listing from its options."""
    options: Dict[str, Any] = {
        "count": args.count,
        "limit": None if args.all else args.limit,
    }
    if getattr(args, "cursor", None) is not None:
        options["cursor"] = args.cursor
    if getattr(args, "strict", False):
        options["strict"] = True
    return options


GROUPS: Dict[str, str] = {
    "users": "profiles, handles, liked posts, user search, QR codes",
    "posts": "posts, a user's posts, comments and replies, likes, search, related posts",
    "feed": "the For You and Following feeds",
    "follows": "followers, following, follow / unfollow, follow requests",
    "hashtags": "a hashtag, trending categories, hashtag search, a hashtag's posts",
    "music": "a sound and the posts that use it",
    "links": "what a pasted share link points at",
    "stickers": "stickers (effects) and the posts that use them",
    "live": "live rooms: join, leave, start and end your own stream",
}

_USER_ID = _ref(
    "user", "user_id", "the user: numeric id (uid), sec_user_id, @handle or profile link"
)
_POST_ID = _ref("post", "post_id", "the post: numeric id (aweme_id) or link")
_ROOM_ID = _id("room_id", "the live room's id")
_STREAM_ID = _id("stream_id", "the room's stream id (from `live start`)")
_KEYWORD = _text("keyword", "what to search for")
_COMMENT_ID = _id("comment_id", "the comment's id (cid)")
_MUSIC_ID = _ref("music", "music_id", "the sound: id (music.id of a post) or link")
_CONTACTS = Arg(
    ("--contacts-authorized",), {"action": "store_true", "help": "let contacts join the room"}
)
_LIVE_STATUSES = {"started": LiveStatus.STARTED, "ended": LiveStatus.ENDED}
_REASONS = {
    "app": StatusChangeReason.INITIATED_BY_APP,
    "user": StatusChangeReason.INITIATED_BY_USER,
}

COMMANDS: Tuple[Command, ...] = (
    # users
    Command("users", "get", "a user's profile", lambda c, a: c.users.get(a.user_id), (_USER_ID,)),
    Command(
        "users",
        "search",
        "users matching a keyword",
        lambda c, a: c.users.search(a.keyword, **page_options(a)),
        (_KEYWORD,),
        paging="cursor",
    ),
    Command(
        "users",
        "by-username",
        "the user with a handle (@name)",
        lambda c, a: c.users.by_username(a.name),
        (_text("name", "the handle, with or without its @"),),
    ),
    Command(
        "users",
        "liked",
        "the posts a user liked, newest like first",
        lambda c, a: c.users.liked(a.user_id, **page_options(a)),
        (_USER_ID,),
        paging="cursor",
    ),
    Command(
        "users",
        "qr-code",
        "the QR code image of a profile",
        lambda c, a: c.users.qr_code(a.user_id, schema_type=a.schema_type),
        (_USER_ID, Arg(("--schema-type",), {"type": int, "default": 4, "help": "default: 4"})),
    ),
    # posts
    Command("posts", "get", "one post", lambda c, a: c.posts.get(a.post_id), (_POST_ID,)),
    Command(
        "posts",
        "get-many",
        "several posts in one request, one line each, in the order given",
        lambda c, a: c.posts.get_many(a.post_ids),
        (_ref("post", "post_ids", "post ids or links", nargs="+"),),
    ),
    Command(
        "posts",
        "list",
        "a user's posts, newest first",
        lambda c, a: c.posts.iter(a.user_id, **page_options(a)),
        (_USER_ID,),
        paging="cursor",
    ),
    Command(
        "posts",
        "comments",
        "a post's comments",
        lambda c, a: c.posts.comments(a.post_id, **page_options(a)),
        (_POST_ID,),
        paging="cursor",
    ),
    Command(
        "posts",
        "replies",
        "the replies to a comment",
        lambda c, a: c.posts.replies(a.comment_id, a.post_id, **page_options(a)),
        (_COMMENT_ID, _POST_ID),
        paging="cursor",
    ),
    Command(
        "posts",
        "conversation",
        "a post's comments, each followed by all its replies (reply_id: the parent's cid)",
        lambda c, a: c.posts.conversation(a.post_id, **page_options(a)),
        (_POST_ID,),
        paging="cursor",
    ),
    Command(
        "posts",
        "search",
        "posts matching a keyword",
        lambda c, a: c.posts.search(a.keyword, **page_options(a)),
        (_KEYWORD,),
        paging="cursor",
    ),
    Command(
        "posts",
        "related",
        "posts related to a post (endless: stops at --limit)",
        lambda c, a: c.posts.related(a.post_id, **page_options(a)),
        (_POST_ID,),
        paging="feed",
    ),
    Command(
        "posts",
        "comment",
        "comment on a post",
        lambda c, a: c.posts.comment(a.post_id, a.text),
        (_POST_ID, _text("text", "the comment")),
        needs_login=True,
    ),
    Command(
        "posts",
        "like",
        "like a post (is_digg is inverted on the wire: 0 means liked)",
        lambda c, a: _like_line(c.posts.like(a.post_id)),
        (_POST_ID,),
        needs_login=True,
    ),
    Command(
        "posts",
        "unlike",
        "take a like back (is_digg 1 means not liked)",
        lambda c, a: _like_line(c.posts.unlike(a.post_id)),
        (_POST_ID,),
        needs_login=True,
    ),
    # feed
    Command(
        "feed",
        "for-you",
        "the For You feed (endless: stops at --limit)",
        lambda c, a: c.feed.for_you(**page_options(a)),
        paging="feed",
    ),
    Command(
        "feed",
        "following",
        "posts of the accounts you follow (endless: stops at --limit)",
        lambda c, a: c.feed.following(**page_options(a)),
        paging="feed",
        needs_login=True,
    ),
    # follows
    Command(
        "follows",
        "followers",
        "the users who follow a user",
        lambda c, a: c.follows.followers(a.user_id, **page_options(a)),
        (_USER_ID,),
        paging="cursor",
    ),
    Command(
        "follows",
        "following",
        "the users a user follows",
        lambda c, a: c.follows.following(a.user_id, **page_options(a)),
        (_USER_ID,),
        paging="cursor",
    ),
    Command(
        "follows",
        "follow",
        "follow a user",
        lambda c, a: c.follows.follow(a.user_id),
        (_USER_ID,),
        needs_login=True,
    ),
    Command(
        "follows",
        "unfollow",
        "stop following a user",
        lambda c, a: c.follows.unfollow(a.user_id),
        (_USER_ID,),
        needs_login=True,
    ),
    Command(
        "follows",
        "requests",
        "users asking to follow you",
        lambda c, a: c.follows.requests(**page_options(a)),
        paging="cursor",
        needs_login=True,
    ),
    Command(
        "follows",
        "approve",
        "approve a follow request",
        lambda c, a: c.follows.approve(a.user_id),
        (_USER_ID,),
        needs_login=True,
    ),
    Command(
        "follows",
        "reject",
        "reject a follow request",
        lambda c, a: c.follows.reject(a.user_id),
        (_USER_ID,),
        needs_login=True,
    ),
    # hashtags
    Command(
        "hashtags",
        "get",
        "one hashtag",
        lambda c, a: c.hashtags.get(a.hashtag_id),
        (_ref("hashtag", "hashtag_id", "the hashtag: id (cid) or tag link"),),
    ),
    Command(
        "hashtags",
        "categories",
        "trending categories",
        lambda c, a: c.hashtags.categories(**page_options(a)),
        paging="cursor",
    ),
    Command(
        "hashtags",
        "search",
        "hashtags matching a keyword",
        lambda c, a: c.hashtags.search(a.keyword, **page_options(a)),
        (_KEYWORD,),
        paging="cursor",
    ),
    Command(
        "hashtags",
        "posts",
        "the posts in a hashtag",
        lambda c, a: c.hashtags.posts(a.hashtag_id, **page_options(a)),
        (_ref("hashtag", "hashtag_id", "the hashtag: id (cid in `hashtags search`) or tag link"),),
        paging="cursor",
    ),
    # music
    Command("music", "get", "one sound", lambda c, a: c.music.get(a.music_id), (_MUSIC_ID,)),
    Command(
        "music",
        "posts",
        "the posts that use a sound",
        lambda c, a: c.music.posts(a.music_id, **page_options(a)),
        (_MUSIC_ID,),
        paging="cursor",
    ),
    # links
    Command(
        "links",
        "resolve",
        "the kind (post, user, music, hashtag) and id of a share link; short links followed",
        lambda c, a: attrs.asdict(c.resolve(a.url)),
        (_text("url", "the link, e.g. https://vm.tiktok.com/ZM.../"),),
    ),
    # stickers
    Command(
        "stickers",
        "get",
        "one or more stickers, one line each",
        lambda c, a: c.stickers.get_many(a.sticker_ids),
        (Arg(("sticker_ids",), {"type": numeric_id, "nargs": "+", "help": "sticker ids"}),),
    ),
    Command(
        "stickers",
        "posts",
        "the posts that use a sticker",
        lambda c, a: c.stickers.posts(a.sticker_id, **page_options(a)),
        (_id("sticker_id", "the sticker's id"),),
        paging="cursor",
    ),
    # live
    Command("live", "join", "enter a live room", lambda c, a: c.live.join(a.room_id), (_ROOM_ID,)),
    Command(
        "live", "leave", "leave a live room", lambda c, a: c.live.leave(a.room_id), (_ROOM_ID,)
    ),
    Command(
        "live",
        "can-start",
        "whether your account may go live",
        lambda c, a: {"can_be_live_podcast": c.live.can_start()},
        needs_login=True,
    ),
    Command(
        "live",
        "start",
        "create a room and start streaming; keep room_id and stream_id for `live end`",
        lambda c, a: c.live.start(a.title, a.contacts_authorized),
        (_text("title", "the stream's title"), _CONTACTS),
        needs_login=True,
    ),
    Command(
        "live",
        "end",
        "end your stream",
        lambda c, a: c.live.end(a.room_id, a.stream_id),
        (_ROOM_ID, _STREAM_ID),
        needs_login=True,
    ),
    Command(
        "live",
        "create-room",
        "create a room without starting it",
        lambda c, a: c.live.create_room(a.title, a.contacts_authorized),
        (_text("title", "the stream's title"), _CONTACTS),
        needs_login=True,
    ),
    Command(
        "live",
        "update-status",
        "move a room to started or ended",
        lambda c, a: c.live.update_status(
            a.room_id, a.stream_id, _LIVE_STATUSES[a.status], _REASONS[a.reason]
        ),
        (
            _ROOM_ID,
            _STREAM_ID,
            Arg(("status",), {"choices": sorted(_LIVE_STATUSES)}),
            Arg(("--reason",), {"choices": sorted(_REASONS), "default": "user"}),
        ),
        needs_login=True,
    ),
)
