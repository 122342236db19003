"""What the account changed: sessions, follows, likes, comments, follow requests, live rooms.

The world (:mod:`._world`) never changes; this is the only mutable part of a
sandbox, and every method takes one lock, so concurrent requests see each
write whole.
"""

from __future__ import annotations

import collections
import dataclasses
import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Deque, Dict, List, MutableMapping, Optional, Tuple, TypeVar

from ._constants import ACCOUNT_USER_ID
from ._live import LiveShows
from ._timeline import ListTimeline, Timeline
from ._world import WORLD_EPOCH, World

__all__ = ["LiveRoom", "State", "StoredComment"]

ACCOUNT = int(ACCOUNT_USER_ID)
INITIAL_FOLLOWS = 25
INITIAL_REQUESTS = 8
COMMENT_ID_BASE = 7_100_000_000_000_000_000
# Room and stream ids above 2**63, as the real API sends them.
ROOM_ID_BASE = 9_300_000_000_000_000_000
STREAM_ID_BASE = 9_200_000_000_000_000_000

# The state is bounded so that a sandbox running for days stays flat: past these
# counts the oldest entry goes (a session, a follow, a like, a comment, a room).
MAX_SESSIONS = 1_000
MAX_FOLLOWING = 10_000
MAX_LIKED = 10_000
MAX_COMMENTS = 1_000
MAX_ROOMS = 1_000
MAX_TOKENS = MAX_SESSIONS

CREATED, STARTED, ENDED = 1, 2, 4
ALLOWED_MOVES = {(CREATED, STARTED), (CREATED, ENDED), (STARTED, ENDED)}


@dataclass
class StoredComment:
    cid: int
    aweme_id: int
    text: str
    text_extra: List[Dict[str, Any]]
    create_time: int


@dataclass
class LiveRoom:
    room_id: int
    stream_id: int
    title: str
    contacts_authorized: int
    create_time: int
    status: int = CREATED
    finish_time: int = 0
    history: List[int] = field(default_factory=list)


class RoomError(Exception):
    """An update_status the room cannot take (unknown room, wrong stream, bad move)."""


class State:
    """The account's writes on top of one world."""

    def __init__(self, world: World, clock: Callable[[], float] = time.time) -> None:
        self.world = world
        self._clock = clock
        #: rooms the sandbox broadcasts (Sandbox.go_live), on the monotonic clock
        self.live = LiveShows()
        self._lock = threading.Lock()
        # dicts as ordered sets: the oldest entry is the first one
        # each session and token with the time of its login (Sandbox(session_ttl=...))
        self._sessions: Dict[str, float] = {}
        self._tokens: Dict[str, float] = {}
        # Relation times must be distinct and newer than every world time, yet older
        # than "now" (a time-paged walk starts at now): a logical clock from a day ago.
        self._tick = max(int(clock()) - 86_400, WORLD_EPOCH + 100_000)
        follows = world.initial_follows(INITIAL_FOLLOWS)
        self._following: Dict[int, int] = {
            uid: WORLD_EPOCH + 1_000 + n for n, uid in enumerate(reversed(follows))
        }
        self._approved: Dict[int, int] = {}
        self._requests: Dict[int, int] = {
            uid: t for t, uid in world.follow_requests(INITIAL_REQUESTS)
        }
        self._liked: Dict[int, int] = {}  # aweme_id -> when it was liked
        self._comments: Dict[int, List[StoredComment]] = {}
        self._comment_order: Deque[int] = collections.deque()  # aweme_id of each, oldest first
        self._rooms: Dict[int, LiveRoom] = {}
        self._comment_serial = 0
        self._room_serial = 0
        self._feed_position = 0

    def _next_tick(self) -> int:
        self._tick += 1
        return self._tick

    # -- sessions -------------------------------------------------------------------

    def login(self) -> Tuple[str, str]:
        """A new ``(sessionid, x-tt-token)`` pair for the account."""
        session, token = secrets.token_hex(16), "00" + secrets.token_hex(40)
        with self._lock:
            now = self._clock()
            _add_bounded(self._sessions, session, now, MAX_SESSIONS)
            _add_bounded(self._tokens, token, now, MAX_TOKENS)
        return session, token

    def session_age(self, session: Optional[str], token: Optional[str]) -> Optional[float]:
        """Seconds since the login of this session (or token); None if it is none of ours."""
        with self._lock:
            started = self._sessions.get(session) if session is not None else None
            if started is None and token is not None:
                started = self._tokens.get(token)
            return None if started is None else self._clock() - started

    def is_session(self, session: Optional[str], token: Optional[str]) -> bool:
        with self._lock:
            return (session is not None and session in self._sessions) or (
                token is not None and token in self._tokens
            )

    # -- follows --------------------------------------------------------------------

    def follow(self, uid: int) -> None:
        with self._lock:
            if uid not in self._following:
                _add_bounded(self._following, uid, self._next_tick(), MAX_FOLLOWING)

    def unfollow(self, uid: int) -> None:
        with self._lock:
            self._following.pop(uid, None)

    def follows(self, uid: int) -> bool:
        """Whether the account follows ``uid``."""
        with self._lock:
            return uid in self._following

    def followed_users(self) -> List[int]:
        """Whom the account follows, newest follow first."""
        with self._lock:
            return [
                uid for _, uid in sorted(((t, u) for u, t in self._following.items()), reverse=True)
            ]

    def followings_of_account(self) -> Timeline:
        with self._lock:
            return ListTimeline([(t, uid) for uid, t in self._following.items()])

    def extra_followers(self, uid: int) -> Timeline:
        """Followers that the account's writes added to ``uid``'s world followers."""
        with self._lock:
            if uid == ACCOUNT:
                return ListTimeline([(t, follower) for follower, t in self._approved.items()])
            if uid in self._following:
                return ListTimeline([(self._following[uid], ACCOUNT)])
            return ListTimeline([])

    def is_approved_follower(self, uid: int) -> bool:
        with self._lock:
            return uid in self._approved

    # -- follow requests ------------------------------------------------------------------

    def pending_requests(self) -> Timeline:
        with self._lock:
            return ListTimeline([(t, uid) for uid, t in self._requests.items()])

    def approve(self, uid: int) -> bool:
        """Approve a pending request; the user becomes a follower. False if none was pending."""
        with self._lock:
            if self._requests.pop(uid, None) is None:
                return False
            self._approved[uid] = self._next_tick()
            return True

    def reject(self, uid: int) -> bool:
        with self._lock:
            return self._requests.pop(uid, None) is not None

    # -- likes and comments -----------------------------------------------------------------

    def set_liked(self, aweme_id: int, liked: bool) -> None:
        with self._lock:
            if liked:
                if aweme_id not in self._liked:
                    _add_bounded(self._liked, aweme_id, self._next_tick(), MAX_LIKED)
            else:
                self._liked.pop(aweme_id, None)

    def likes(self, aweme_id: int) -> bool:
        with self._lock:
            return aweme_id in self._liked

    def liked_count(self) -> int:
        with self._lock:
            return len(self._liked)

    def liked_posts(self) -> Timeline:
        """The posts the account liked, newest like first."""
        with self._lock:
            return ListTimeline([(t, aweme_id) for aweme_id, t in self._liked.items()])

    def add_comment(
        self, aweme_id: int, text: str, text_extra: List[Dict[str, Any]]
    ) -> StoredComment:
        with self._lock:
            self._comment_serial += 1
            comment = StoredComment(
                cid=COMMENT_ID_BASE + self._comment_serial,
                aweme_id=aweme_id,
                text=text,
                text_extra=text_extra,
                create_time=int(self._clock()),
            )
            self._comments.setdefault(aweme_id, []).append(comment)
            self._comment_order.append(aweme_id)
            if len(self._comment_order) > MAX_COMMENTS:
                oldest_on = self._comment_order.popleft()
                kept = self._comments[oldest_on]
                del kept[0]  # a post's comments are in the order they were made
                if not kept:
                    del self._comments[oldest_on]
            return comment

    def comments(self, aweme_id: int) -> List[StoredComment]:
        """The account's comments on a post, newest first."""
        with self._lock:
            return list(reversed(self._comments.get(aweme_id, [])))

    # -- live rooms ------------------------------------------------------------------------

    def create_room(self, title: str, contacts_authorized: int) -> LiveRoom:
        with self._lock:
            self._room_serial += 1
            room = LiveRoom(
                room_id=ROOM_ID_BASE + self._room_serial,
                stream_id=STREAM_ID_BASE + self._room_serial,
                title=title,
                contacts_authorized=contacts_authorized,
                create_time=int(self._clock()),
            )
            room.history.append(CREATED)
            _add_bounded(self._rooms, room.room_id, room, MAX_ROOMS)
            return dataclasses.replace(room)

    def room(self, room_id: int) -> Optional[LiveRoom]:
        with self._lock:
            room = self._rooms.get(room_id)
            return None if room is None else dataclasses.replace(room)

    def update_room(self, room_id: int, stream_id: int, status: int) -> LiveRoom:
        """Move a room Created -> Started -> Ended; raises :class:`RoomError` otherwise."""
        with self._lock:
            room = self._rooms.get(room_id)
            if room is None:
                raise RoomError(f"room {room_id} is not one of your rooms")
            if room.stream_id != stream_id:
                raise RoomError(f"stream {stream_id} is not the stream of room {room_id}")
            if room.status == status:
                return dataclasses.replace(room)  # a repeated update (a retry) changes nothing
            if (room.status, status) not in ALLOWED_MOVES:
                raise RoomError(f"room {room_id} cannot go from status {room.status} to {status}")
            room.status = status
            room.history.append(status)
            if status == ENDED:
                room.finish_time = int(self._clock())
            return dataclasses.replace(room)

    # -- feeds --------------------------------------------------------------------------

    def take_feed_positions(self, count: int) -> int:
        """Where the next feed page starts: each call gets new posts, as the app's feed does."""
        with self._lock:
            start = self._feed_position
            self._feed_position += count
            return start


K = TypeVar("K")
V = TypeVar("V")


def _add_bounded(entries: MutableMapping[K, V], key: K, value: V, most: int) -> None:
    """Set ``entries[key]``, then drop the oldest entries beyond ``most``."""
    entries[key] = value
    while len(entries) > most:
        del entries[next(iter(entries))]
