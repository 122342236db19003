"""The API: one routing table of every path of docs/protocol.rst (The seed calls) and a handler each.

Handlers get a parsed :class:`Call` (query, form and JSON params merged, the
session resolved) and return the endpoint's own keys; :class:`App` adds
``status_code`` and ``extra``. Signing and faults are the server's business
(:mod:`._server`), not the handlers'.
"""

from __future__ import annotations

import contextlib
import json
import re
from dataclasses import dataclass, field
from http.cookies import CookieError, SimpleCookie
from typing import Any, Callable, Dict, List, Mapping, Optional, Sequence, Tuple, Union
from urllib.parse import parse_qsl

from ._captions import caption_file
from ._constants import (
    ACCOUNT_USER_ID,
    DELETED_POST_ID,
    MISSING_POST_ID,
    MISSING_USER_ID,
    PRIVATE_USER_ID,
    SANDBOX_EMAIL,
    SANDBOX_PASSWORD,
    SANDBOX_USERNAME,
)
from ._media import MediaFile, MediaLibrary
from ._render import Renderer, extra, positions
from ._secuid import uid_of
from ._state import ENDED, STARTED, RoomError, State
from ._timeline import Timeline, page_before
from ._world import CATEGORY_COUNT, World

__all__ = ["ROUTES", "App", "Reply", "Request", "Route", "route_path"]

ACCOUNT = int(ACCOUNT_USER_ID)
MISSING_USER = int(MISSING_USER_ID)
PRIVATE_USER = int(PRIVATE_USER_ID)
MISSING_POST = int(MISSING_POST_ID)
DELETED_POST = int(DELETED_POST_ID)
#: status_code and status_msg of docs/protocol.rst (Failures)
USER_MISSING = (10202, "User doesn't exist")
PRIVATE_ACCOUNT = (10222, "This account is private")
ROOM_MISSING = (30003, "room does not exist")
MAX_COUNT = 100
# Bounds on what one request can make the sandbox build or keep: an id is a 64-bit
# number (20 digits at most), the app sends a few stickers at once, short keywords
# and comments. Beyond them the API's own "invalid parameter" answer.
MAX_ID_DIGITS = 20
MAX_NUMBER_DIGITS = 20
MAX_STICKER_IDS = 50
MAX_POST_IDS = 50
MAX_KEYWORD = 100
MAX_TEXT = 1000
MAX_TAGS = 20
MAX_FIELDS = 200
STATUS_INVALID = 2  # a missing or malformed parameter
STATUS_REFUSED = 4  # a write the state cannot take (no such request, bad room move)
STATUS_LOGIN_REQUIRED = 8
LOGIN_WRONG_PASSWORD = (1009, "Wrong password")
LOGIN_NO_ACCOUNT = (1011, "Account doesn't exist")
_BRACKETED = re.compile(r"text_extra\[([0-9]{1,4})\]\[(\w{1,40})\]")

JSON = Dict[str, Any]


@dataclass(frozen=True)
class Request:
    """One HTTP request as the server read it: the raw target, headers and body."""

    method: str
    target: str
    #: header names in lower case
    headers: Mapping[str, str]
    body: bytes = b""


@dataclass
class Reply:
    body: JSON
    headers: List[Tuple[str, str]] = field(default_factory=list)


class RefusedError(Exception):
    """A call the API answers with a non-zero ``status_code``."""

    def __init__(self, status_code: int, status_msg: str) -> None:
        super().__init__(status_msg)
        self.status_code = status_code
        self.status_msg = status_msg


@dataclass
class Call:
    """What a handler sees of a request."""

    params: Dict[str, str]
    form: List[Tuple[str, str]]
    logged_in: bool
    world: World
    state: State
    render: Renderer

    def text(self, name: str, *, required: bool = True, longest: int = MAX_TEXT) -> str:
        value = self.params.get(name, "")
        if required and not value.strip():
            raise RefusedError(STATUS_INVALID, f"invalid parameter: {name} is required")
        if len(value) > longest:
            raise RefusedError(
                STATUS_INVALID, f"invalid parameter: {name} is longer than {longest} characters"
            )
        return value

    def id(self, name: str) -> int:
        value = self.params.get(name, "")
        if name == "user_id" and not value and "sec_user_id" in self.params:
            # Today's app names a user by sec_user_id instead (docs/protocol.rst (Apps and hosts)).
            uid = uid_of(self.params["sec_user_id"])
            if uid is None:
                raise RefusedError(STATUS_INVALID, "invalid parameter: sec_user_id is not a user's")
            return uid
        if not _is_id(value):
            raise RefusedError(STATUS_INVALID, f"invalid parameter: {name} must be a numeric id")
        return int(value)

    def number(self, name: str, default: int) -> int:
        value = self.params.get(name, "")
        digits = value[1:] if value[:1] in ("-", "+") else value
        if not value:
            return default
        if not (digits.isascii() and digits.isdigit() and len(digits) <= MAX_NUMBER_DIGITS):
            raise RefusedError(STATUS_INVALID, f"invalid parameter: {name} must be a number")
        return int(value)

    def count(self, default: int = 20) -> int:
        return max(1, min(MAX_COUNT, self.number("count", default)))


Handler = Callable[[Call], Union[JSON, Reply]]


def _is_id(value: str) -> bool:
    return value.isascii() and value.isdigit() and len(value) <= MAX_ID_DIGITS


@dataclass(frozen=True)
class Route:
    method: str
    handler: Handler
    #: answers status_code 8 without a logged-in session
    session: bool = False
    #: changes state (faults may "apply, then drop the connection")
    write: bool = False
    #: the recorded bodies carry logid and fatal_item_ids in ``extra``
    full_extra: bool = False
    #: login answers {"data", "message"} without status_code or extra
    envelope: bool = True


# -- pagination (docs/protocol.rst (Pagination)) ---------------------------------------------------------------


def _time_page(
    call: Call, sources: Sequence[Timeline], key: str, total: int, item: Callable[[int], JSON]
) -> JSON:
    """``max_time`` in, ``min_time`` out: items strictly older than ``max_time``."""
    max_time = call.number("max_time", 0)
    entries, has_more = page_before(sources, max_time if max_time > 0 else None, call.count())
    newest = entries[0][0] if entries else max_time
    oldest = entries[-1][0] if entries else max_time
    return {
        key: [item(uid) for _, uid in entries],
        "has_more": has_more,
        "max_time": newest,
        "min_time": oldest,
        "total": total,
    }


def _offset_page(
    call: Call,
    length: int,
    item: Callable[[int], JSON],
    key: str,
    default_count: int = 20,
    param: str = "cursor",
) -> JSON:
    """``cursor`` (or ``param``) is an offset; the next one, in ``cursor``, is the offset after this page."""
    start = max(0, call.number(param, 0))
    end = min(length, start + call.count(default_count))
    return {
        key: [item(index) for index in range(start, end)],
        "cursor": max(start, end),
        "has_more": int(end < length),
    }


# -- login ------------------------------------------------------------------------------------


def _xor(text: str) -> str:
    return "".join(format(ord(char) ^ 5, "x") for char in text)


def _unxor(value: str) -> Optional[str]:
    """Decode docs/protocol.rst (Login)'s X() for ASCII text (two hex digits a character)."""
    try:
        return "".join(chr(byte ^ 5) for byte in bytes.fromhex(value))
    except ValueError:
        return None


def login(call: Call) -> Union[JSON, Reply]:
    email = _unxor(call.params.get("email", "")) or ""
    username = _unxor(call.params.get("username", "")) or ""
    known = (email and email.lower() == SANDBOX_EMAIL) or (
        username and username.lower() == SANDBOX_USERNAME
    )
    if not known:
        code, description = LOGIN_NO_ACCOUNT
        return {
            "data": {"captcha": "", "description": description, "error_code": code},
            "message": "error",
        }
    if call.params.get("password", "").lower() != _xor(SANDBOX_PASSWORD):
        code, description = LOGIN_WRONG_PASSWORD
        return {
            "data": {"captcha": "", "description": description, "error_code": code},
            "message": "error",
        }
    session, token = call.state.login()
    return Reply(
        {"data": call.render.login_data(session), "message": "success"},
        [("Set-Cookie", f"sessionid={session}; Path=/; HttpOnly"), ("x-tt-token", token)],
    )


# -- failures real users meet (docs/protocol.rst (Failures)) -----------------------------------


def _existing_user(call: Call, name: str) -> int:
    """The user id of param ``name``; a user that does not exist is refused as the API does."""
    uid = call.id(name)
    if uid == MISSING_USER:
        raise RefusedError(*USER_MISSING)
    return uid


def _visible_user(call: Call, name: str) -> int:
    """Like :func:`_existing_user`, and a private account's lists only for its followers."""
    uid = _existing_user(call, name)
    if uid == PRIVATE_USER and not (call.logged_in and call.state.follows(uid)):
        raise RefusedError(*PRIVATE_ACCOUNT)
    return uid


# -- users -------------------------------------------------------------------------------------


def get_user(call: Call) -> JSON:
    return {"user": call.render.profile(_existing_user(call, "user_id"))}


def search_users(call: Call) -> JSON:
    keyword = call.text("keyword", longest=MAX_KEYWORD)
    hits = call.world.search_users(keyword)

    def item(index: int) -> JSON:
        user = call.render.profile(hits[index])
        return {
            "position": positions(user["nickname"], keyword.strip()),
            "uniqid_position": positions(user["unique_id"], keyword.strip()),
            "user_info": user,
        }

    return {**_offset_page(call, len(hits), item, "user_list"), "type": 1}


def qr_code(call: Call) -> JSON:
    object_id = call.id("object_id")
    return {
        "qrcode_url": {
            "uri": f"sandbox-qrcode/{object_id}",
            "url_list": [
                f"https://p16-sandbox.example.com/img/qrcode/{object_id}~c5_720x720.image"
            ],
        }
    }


# -- posts, likes, comments ---------------------------------------------------------------------


def get_post(call: Call) -> JSON:
    aweme_id = call.id("aweme_id")
    if aweme_id == MISSING_POST:
        return {}  # success without the post (docs/protocol.rst (Failures))
    if aweme_id == DELETED_POST:
        return {"aweme_detail": call.render.deleted_post(aweme_id)}
    return {"aweme_detail": call.render.post(aweme_id)}


def list_posts(call: Call) -> JSON:
    """``max_cursor`` in ms (0 = newest), descending; the next page from ``max_cursor``."""
    uid = _visible_user(call, "user_id")
    max_cursor = call.number("max_cursor", 0)
    bound = -(-max_cursor // 1000) if max_cursor > 0 else None  # ms -> s, rounded up
    entries, has_more = page_before([call.world.posts(uid)], bound, call.count())
    return {
        "aweme_list": [call.render.post(aweme_id) for _, aweme_id in entries],
        "has_more": has_more,
        "max_cursor": entries[-1][0] * 1000 if entries else max_cursor,
        "min_cursor": entries[0][0] * 1000 if entries else max_cursor,
    }


def list_liked(call: Call) -> JSON:
    """Cursor style like a user's posts: ``max_cursor`` is the time of a like, in ms."""
    uid = _visible_user(call, "user_id")
    source = call.state.liked_posts() if uid == ACCOUNT else call.world.liked(uid)
    max_cursor = call.number("max_cursor", 0)
    bound = -(-max_cursor // 1000) if max_cursor > 0 else None  # ms -> s, rounded up
    entries, has_more = page_before([source], bound, call.count())
    return {
        "aweme_list": [call.render.post(aweme_id) for _, aweme_id in entries],
        "has_more": has_more,
        "max_cursor": entries[-1][0] * 1000 if entries else max_cursor,
        "min_cursor": entries[0][0] * 1000 if entries else max_cursor,
    }


def multi_detail(call: Call) -> JSON:
    """``aweme_ids`` is a JSON list of ids; the answer lists the posts that exist, newest id first."""
    raw = call.text("aweme_ids", longest=MAX_POST_IDS * (MAX_ID_DIGITS + 3) + 2)
    try:
        ids = json.loads(raw)
    except (ValueError, RecursionError):  # deep nesting is refused like any bad list
        ids = None
    if not isinstance(ids, list) or not ids or len(ids) > MAX_POST_IDS:
        raise RefusedError(
            STATUS_INVALID,
            f"invalid parameter: aweme_ids must be a JSON list of 1 to {MAX_POST_IDS} ids",
        )
    wanted = set()
    for value in ids:
        text = str(value) if isinstance(value, (str, int)) and not isinstance(value, bool) else ""
        if not _is_id(text):
            raise RefusedError(STATUS_INVALID, "invalid parameter: aweme_ids must hold numeric ids")
        wanted.add(int(text))
    # Not in the order asked (the client puts them back in it), and without the posts
    # that do not exist; a deleted one is shown as its detail shows it.
    return {
        "aweme_details": [
            call.render.deleted_post(aweme_id)
            if aweme_id == DELETED_POST
            else call.render.post(aweme_id)
            for aweme_id in sorted(wanted - {MISSING_POST}, reverse=True)
        ]
    }


def search_posts(call: Call) -> JSON:
    """``offset`` in, the next offset out as ``cursor`` (docs/protocol.rst (Calls beyond the seed))."""
    keyword = call.text("keyword", longest=MAX_KEYWORD)
    hits = call.world.search_posts(keyword)
    return _offset_page(
        call, len(hits), lambda index: call.render.post(hits[index]), "aweme_list", param="offset"
    )


def like(call: Call) -> JSON:
    aweme_id = call.id("aweme_id")
    kind = call.text("type")
    if kind not in ("0", "1"):
        raise RefusedError(STATUS_INVALID, "invalid parameter: type must be 1 (like) or 0 (unlike)")
    call.state.set_liked(aweme_id, kind == "1")
    return {
        "is_digg": 0 if kind == "1" else 1
    }  # inverted on the wire (docs/protocol.rst (The seed calls))


def list_comments(call: Call) -> JSON:
    aweme_id = call.id("aweme_id")
    own = call.state.comments(aweme_id)  # newest first, before the world's
    total = len(own) + call.world.comment_count(aweme_id)

    def item(index: int) -> JSON:
        if index < len(own):
            return call.render.stored_comment(own[index])
        return call.render.world_comment(call.world.comment(aweme_id, index - len(own)))

    return {**_offset_page(call, total, item, "comments"), "total": total}


def list_replies(call: Call) -> JSON:
    cid = call.id("comment_id")
    aweme_id = call.id("item_id")
    total = call.world.reply_count(cid)
    page = _offset_page(
        call,
        total,
        lambda index: call.render.world_comment(call.world.reply(cid, aweme_id, index)),
        "comments",
    )
    return {**page, "total": total}


def post_comment(call: Call) -> JSON:
    aweme_id = call.id("aweme_id")
    text = call.text("text")
    comment = call.state.add_comment(aweme_id, text, _text_extra(call))
    return {"comment": call.render.stored_comment(comment)}


def _text_extra(call: Call) -> List[JSON]:
    """Tags as a JSON list (docs/protocol.rst (The seed calls)), or qs-style ``text_extra[0][begin]=…`` (the npm client)."""
    raw = call.params.get("text_extra")
    if raw:
        try:
            tags = json.loads(raw)
        except (ValueError, RecursionError):
            raise RefusedError(
                STATUS_INVALID, "invalid parameter: text_extra must be a JSON list"
            ) from None
        if not isinstance(tags, list) or not all(_is_flat_tag(tag) for tag in tags):
            raise RefusedError(
                STATUS_INVALID,
                "invalid parameter: text_extra must be a JSON list of objects of plain values",
            )
        return _few_tags(tags)
    indexed: Dict[int, JSON] = {}
    for name, value in call.form:
        match = _BRACKETED.fullmatch(name)
        if match:
            number = _is_id(value) and match[2] in ("begin", "end", "type")
            indexed.setdefault(int(match[1]), {})[match[2]] = int(value) if number else value
    return _few_tags([indexed[index] for index in sorted(indexed)])


def _is_flat_tag(tag: object) -> bool:
    """A tag the state may keep: a small object of short plain values."""
    if not isinstance(tag, dict) or len(tag) > 10:
        return False
    return all(
        len(key) <= 40
        and (
            value is None
            or isinstance(value, (bool, int, float))
            or (isinstance(value, str) and len(value) <= MAX_KEYWORD)
        )
        for key, value in tag.items()
    )


def _few_tags(tags: List[JSON]) -> List[JSON]:
    if len(tags) > MAX_TAGS:
        raise RefusedError(STATUS_INVALID, f"invalid parameter: at most {MAX_TAGS} text_extra tags")
    return tags


# -- feeds, hashtags, stickers ----------------------------------------------------------------


def feed(call: Call) -> JSON:
    kind = call.params.get("type", "0")
    count = call.count(6)
    posts: List[JSON] = []
    if kind == "5":  # the posts related to aweme_id
        origin = call.id("aweme_id")
        start = call.state.take_feed_positions(count)
        posts = [
            call.render.post(call.world.related_post(origin, position))
            for position in range(start, start + count)
        ]
    elif kind == "1":
        followed = call.state.followed_users() if call.logged_in else []
        if followed:
            start = call.state.take_feed_positions(count)
            for position in range(start, start + count):
                back, slot = divmod(position, len(followed))
                aweme_id = call.world.latest_post(followed[slot], back)
                if aweme_id is not None:
                    posts.append(call.render.post(aweme_id))
    else:
        start = call.state.take_feed_positions(count)
        posts = [
            call.render.post(call.world.feed_post(position))
            for position in range(start, start + count)
        ]
    body: JSON = {"aweme_list": posts, "has_more": 1, "max_cursor": 0, "min_cursor": 0}
    if kind == "0":
        body.update(home_model=1, refresh_clear=1)
    return body


def categories(call: Call) -> JSON:
    def item(index: int) -> JSON:
        cid = call.world.category(index)
        return {
            "aweme_list": [call.render.post(call.world.hashtag_post(cid, n)) for n in range(2)],
            "category_type": 0,
            "challenge_info": call.render.challenge(cid),
            "desc": "Trending Hashtag",
        }

    return _offset_page(call, CATEGORY_COUNT, item, "category_list", default_count=10)


def search_hashtags(call: Call) -> JSON:
    keyword = call.text("keyword", longest=MAX_KEYWORD)
    word = "".join(keyword.lower().split())

    def item(index: int) -> JSON:
        name = call.world.search_hashtag_name(keyword, index)
        return {
            "challenge_info": call.render.challenge(
                call.world.search_hashtag(keyword, index), name
            ),
            "position": positions(name, word),
        }

    page = _offset_page(call, call.world.search_hashtag_count(keyword), item, "challenge_list")
    return {**page, "is_match": True, "keyword_disabled": 0}


def hashtag_posts(call: Call) -> JSON:
    cid = call.id("ch_id")
    return _offset_page(
        call,
        call.world.hashtag_post_count(cid),
        lambda index: call.render.post(call.world.hashtag_post(cid, index)),
        "aweme_list",
    )


def hashtag_detail(call: Call) -> JSON:
    cid = call.id("ch_id")
    return {
        "ch_info": {**call.render.challenge(cid), "view_count": call.world.hashtag_view_count(cid)}
    }


def music_detail(call: Call) -> JSON:
    return {"music_info": call.render.music(call.id("music_id"))}


def music_posts(call: Call) -> JSON:
    music_id = call.id("music_id")
    return _offset_page(
        call,
        call.world.music_post_count(music_id),
        lambda index: call.render.post(call.world.music_post(music_id, index)),
        "aweme_list",
    )


def sticker_detail(call: Call) -> JSON:
    ids = call.text("sticker_ids", longest=MAX_STICKER_IDS * (MAX_ID_DIGITS + 1)).split(",")
    if len(ids) > MAX_STICKER_IDS:
        raise RefusedError(
            STATUS_INVALID, f"invalid parameter: at most {MAX_STICKER_IDS} sticker_ids at once"
        )
    if not all(_is_id(part) for part in ids):
        raise RefusedError(
            STATUS_INVALID, "invalid parameter: sticker_ids must be comma-separated numeric ids"
        )
    return {"sticker_infos": [call.render.sticker(int(part)) for part in ids]}


def sticker_posts(call: Call) -> JSON:
    sticker_id = call.id("sticker_id")
    page = _offset_page(
        call,
        call.world.sticker_post_count(sticker_id),
        lambda index: call.render.post(call.world.sticker_post(sticker_id, index)),
        "aweme_list",
    )
    return {**page, "stickers": [call.render.sticker(sticker_id)]}


# -- follows --------------------------------------------------------------------------------------


def followers(call: Call) -> JSON:
    uid = _visible_user(call, "user_id")
    sources = [call.world.followers(uid), call.state.extra_followers(uid)]
    return _time_page(call, sources, "followers", call.render.follower_count(uid), call.render.user)


def followings(call: Call) -> JSON:
    uid = _visible_user(call, "user_id")
    source = call.state.followings_of_account() if uid == ACCOUNT else call.world.followings(uid)
    return _time_page(
        call, [source], "followings", call.render.following_count(uid), call.render.user
    )


def follow(call: Call) -> JSON:
    uid = call.id("user_id")
    kind = call.text("type")
    if kind not in ("0", "1"):
        raise RefusedError(
            STATUS_INVALID, "invalid parameter: type must be 1 (follow) or 0 (unfollow)"
        )
    if uid == ACCOUNT:
        raise RefusedError(STATUS_REFUSED, "you cannot follow yourself")
    if kind == "1":
        call.state.follow(uid)
    else:
        call.state.unfollow(uid)
    return {"follow_status": int(kind == "1"), "watch_status": 0}


def follow_requests(call: Call) -> JSON:
    pending = call.state.pending_requests()
    return _time_page(call, [pending], "request_users", len(pending), call.render.user)


def approve(call: Call) -> JSON:
    uid = call.id("from_user_id")
    if not call.state.approve(uid):
        raise RefusedError(STATUS_REFUSED, f"no pending follow request from user {uid}")
    return {"approve_status": 0}


def reject(call: Call) -> JSON:
    uid = call.id("from_user_id")
    if not call.state.reject(uid):
        raise RefusedError(STATUS_REFUSED, f"no pending follow request from user {uid}")
    return {"reject_status": 0}


# -- live -------------------------------------------------------------------------------------


def join_room(call: Call) -> JSON:
    room_id = call.id("room_id")
    own = call.state.room(room_id)
    if own is not None:
        return {"room": call.render.own_room(own, with_push_url=False)}
    return {"room": call.render.world_room(call.world.room(room_id))}


def leave_room(call: Call) -> JSON:
    call.id("room_id")
    return {}


def can_start(call: Call) -> JSON:
    return {"can_be_live_podcast": call.render.follower_count(ACCOUNT) >= 1000}


def create_room(call: Call) -> JSON:
    title = call.text("title")
    contacts = call.number("contacts_authorized", 0)
    room = call.state.create_room(title, 1 if contacts else 0)
    return {"room": call.render.own_room(room, with_push_url=True)}


def update_room(call: Call) -> JSON:
    room_id, stream_id = call.id("room_id"), call.id("stream_id")
    status = call.number("status", ENDED)
    if status not in (STARTED, ENDED):
        raise RefusedError(
            STATUS_INVALID, "invalid parameter: status must be 2 (started) or 4 (ended)"
        )
    call.number("reason_no", 1)
    try:
        call.state.update_room(room_id, stream_id, status)
    except RoomError as exc:
        raise RefusedError(STATUS_REFUSED, str(exc)) from None
    return {}


def room_info(call: Call) -> JSON:
    """``webcast/room/info/``: a broadcast of the sandbox's, live or ended."""
    room = call.state.live.get(call.id("room_id"))
    if room is None:
        raise RefusedError(*ROOM_MISSING)
    return {"data": call.render.webcast_room(room)}


# -- the one routing table --------------------------------------------------------------------

ROUTES: Dict[str, Route] = {
    "passport/user/login/": Route("POST", login, envelope=False),
    "aweme/v1/user/": Route("GET", get_user, full_extra=True),
    "aweme/v1/discover/search/": Route("GET", search_users),
    "aweme/v1/fancy/qrcode/info/": Route("POST", qr_code),
    "aweme/v1/aweme/detail/": Route("GET", get_post),
    "aweme/v1/aweme/post/": Route("GET", list_posts, full_extra=True),
    "aweme/v1/commit/item/digg/": Route("GET", like, session=True, write=True, full_extra=True),
    "aweme/v1/comment/list/": Route("GET", list_comments, full_extra=True),
    "aweme/v1/comment/publish/": Route(
        "POST", post_comment, session=True, write=True, full_extra=True
    ),
    "aweme/v1/feed/": Route("GET", feed),
    "aweme/v1/category/list/": Route("GET", categories),
    "aweme/v1/challenge/search/": Route("GET", search_hashtags),
    "aweme/v1/challenge/aweme/": Route("GET", hashtag_posts),
    "aweme/v1/sticker/detail/": Route("GET", sticker_detail),
    # docs/protocol.rst (Calls beyond the seed)
    "aweme/v1/aweme/favorite/": Route("GET", list_liked),
    "aweme/v1/multi/aweme/detail/": Route("POST", multi_detail),
    "aweme/v1/search/item/": Route("GET", search_posts),
    "aweme/v1/comment/list/reply/": Route("GET", list_replies),
    "aweme/v1/challenge/detail/": Route("GET", hashtag_detail),
    "aweme/v1/music/detail/": Route("GET", music_detail),
    "aweme/v1/music/aweme/": Route("GET", music_posts),
    "aweme/v1/sticker/aweme/": Route("GET", sticker_posts),
    "aweme/v1/user/follower/list/": Route("GET", followers, full_extra=True),
    "aweme/v1/user/following/list/": Route("GET", followings, full_extra=True),
    "aweme/v1/commit/follow/user/": Route("GET", follow, session=True, write=True, full_extra=True),
    "aweme/v1/user/following/request/list/": Route(
        "GET", follow_requests, session=True, full_extra=True
    ),
    "aweme/v1/commit/follow/request/approve/": Route(
        "GET", approve, session=True, write=True, full_extra=True
    ),
    "aweme/v1/commit/follow/request/reject/": Route(
        "GET", reject, session=True, write=True, full_extra=True
    ),
    "aweme/v1/room/enter/": Route("GET", join_room, session=True),
    "aweme/v1/room/leave/": Route("GET", leave_room, session=True),
    "aweme/v1/live/podcast/": Route("GET", can_start, session=True),
    "aweme/v1/room/create/": Route("POST", create_room, session=True, write=True),
    "aweme/v1/room/update/status/": Route("GET", update_room, session=True, write=True),
    # the webcast host's (docs/protocol.rst (Live rooms)); here on the same host
    "webcast/room/info/": Route("GET", room_info),
}


def route_path(target: str) -> str:
    """The routing key of a request target: no leading slash, a trailing one."""
    path = target.split("?", 1)[0].lstrip("/")
    return path if path.endswith("/") else path + "/"


class App:
    """Answers parsed requests from one world and its state."""

    def __init__(self, world: World, state: State) -> None:
        self.world = world
        self.state = state
        self.media = MediaLibrary(world.seed)

    def media_file(self, path: str) -> Optional[MediaFile]:
        """The media file at ``path`` (``media/...``), or ``None`` (answered 404)."""
        for gone in (MISSING_POST_ID, DELETED_POST_ID):
            if path.startswith(f"media/video/{gone}/"):
                return None
        if path.startswith("media/caption/"):
            return caption_file(self.world, path)
        return self.media.find(path, lambda aweme_id: self.world.post(aweme_id).image_count)

    def handle(self, request: Request, route: Route) -> Reply:
        try:
            params, form = _params(request)
        except RefusedError as refused:
            return Reply(self._failure(refused.status_code, refused.status_msg, route))
        logged_in = self._logged_in(request.headers)
        call = Call(
            params,
            form,
            logged_in,
            self.world,
            self.state,
            Renderer(
                self.world,
                self.state,
                logged_in,
                media=self.media,
                host=request.headers.get("host"),
            ),
        )
        if route.session and not logged_in:
            return Reply(self._failure(STATUS_LOGIN_REQUIRED, "Please log in first", route))
        try:
            result = route.handler(call)
        except RefusedError as refused:
            return Reply(self._failure(refused.status_code, refused.status_msg, route))
        reply = result if isinstance(result, Reply) else Reply(result)
        if route.envelope:
            reply.body = {"extra": extra(route.full_extra), **reply.body, "status_code": 0}
        return reply

    @staticmethod
    def _failure(status_code: int, status_msg: str, route: Route) -> JSON:
        return {
            "extra": extra(route.full_extra),
            "status_code": status_code,
            "status_msg": status_msg,
        }

    def _logged_in(self, headers: Mapping[str, str]) -> bool:
        return self.state.is_session(_session_cookie(headers), headers.get("x-tt-token"))

    def session_age(self, headers: Mapping[str, str]) -> Optional[float]:
        """Seconds since the login of the request's session; None when it carries none."""
        return self.state.session_age(_session_cookie(headers), headers.get("x-tt-token"))


def _session_cookie(headers: Mapping[str, str]) -> Optional[str]:
    cookie_header = headers.get("cookie")
    if cookie_header:
        cookies: SimpleCookie = SimpleCookie()
        with contextlib.suppress(CookieError):
            cookies.load(cookie_header)
        if "sessionid" in cookies:
            return cookies["sessionid"].value
    return None


def _params(request: Request) -> Tuple[Dict[str, str], List[Tuple[str, str]]]:
    """Query, then form fields, then a JSON body's ``params`` (the npm client's room creation)."""
    query = request.target.split("?", 1)[1] if "?" in request.target else ""
    params: Dict[str, str] = {}
    for name, value in _fields(query):
        params.setdefault(name, value)
    form: List[Tuple[str, str]] = []
    body = request.body
    if not body.strip():
        return params, form
    content_type = (request.headers.get("content-type") or "").lower()
    if "json" in content_type or body.lstrip().startswith(b"{"):
        try:
            decoded = json.loads(body)
        except (ValueError, RecursionError):
            decoded = None
        if isinstance(decoded, dict):
            nested = decoded.get("params")
            fields = nested if isinstance(nested, dict) else decoded
            if len(fields) > MAX_FIELDS:
                raise RefusedError(
                    STATUS_INVALID, f"invalid parameter: more than {MAX_FIELDS} fields"
                )
            for name, value in fields.items():
                if isinstance(value, (str, int, float)) and not isinstance(value, bool):
                    params.setdefault(str(name), str(value))
        return params, form
    # Form bodies, whatever the content type says: the npm client sends its comment
    # as "application.x-www-form-urlencoded".
    form = _fields(body.decode("utf-8", "replace"))
    for name, value in form:
        params.setdefault(name, value)
    return params, form


def _fields(text: str) -> List[Tuple[str, str]]:
    """The fields of a query or form, at most :data:`MAX_FIELDS` (the app sends some 30)."""
    try:
        return parse_qsl(text, keep_blank_values=True, errors="replace", max_num_fields=MAX_FIELDS)
    except ValueError:
        raise RefusedError(
            STATUS_INVALID, f"invalid parameter: more than {MAX_FIELDS} fields"
        ) from None
