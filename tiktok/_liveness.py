"""Who is live: a room's ``status`` asked now, never a flag that may be stale.

A user's profile names their latest room (``room_id``) and keeps naming it after
the room ended; only room info's ``status`` (2 live, 4 ended) says whether it is
live (docs/protocol.rst (Live rooms)).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable, Optional, Union

import attrs

from .errors import APIError, NotFoundError
from .models import Room, User

if TYPE_CHECKING:
    from .resources._users import Users

__all__ = ["LIVE", "LiveState", "LiveTarget", "live_state"]

#: A room's ``status`` while it is live, and once it ended.
LIVE, ENDED = 2, 4
#: What room info answers for a room id it does not know (docs/protocol.rst (Live rooms)).
ROOM_MISSING = 30003
LiveTarget = Union[User, Room, str, int]


@attrs.frozen
class LiveState:
    """Whether a user or room is live now.

    ``live`` is true only when the room's ``status`` is 2. ``room`` is the room
    as room info answered it (``None`` when the user names no room, or it is
    gone), ``user`` the profile read when a user was asked about.
    """

    live: bool
    room: Optional[Room] = None
    user: Optional[User] = None

    @property
    def status(self) -> Optional[int]:
        """The room's ``status`` (2 live, 4 ended), ``None`` without a room."""
        return self.room.status if self.room is not None else None

    def describe(self) -> str:
        """``@handle``, ``user ID`` or ``room ID``: who or what was asked about."""
        if self.user is not None:
            return f"@{self.user.unique_id}" if self.user.unique_id else f"user {self.user.uid}"
        return f"room {self.room.key}" if self.room is not None else "the target"


def live_state(target: LiveTarget, *, users: Users, room_info: Callable[[str], Room]) -> LiveState:
    """:meth:`Live.status <tiktok.resources.Live.status>`."""
    if isinstance(target, Room):
        room_id = target.key
        if room_id is None:
            raise ValueError("the room has no room_id, id_str or id to ask about")
        room = room_info(room_id)  # a room asked for that does not exist: raised
        return LiveState(room.status == LIVE, room)
    if isinstance(target, str) and target.startswith("@"):
        user = users.by_username(target)
    elif isinstance(target, (User, str, int)) and not isinstance(target, bool):
        user = users.get(target)
    else:
        raise TypeError(
            "target must be a tiktok.User, a tiktok.Room, a numeric user id, a sec_user_id "
            f"or '@handle', not {type(target).__name__}"
        )
    room_id = str(user.room_id) if user.room_id is not None else ""
    if room_id in ("", "0"):
        return LiveState(False, None, user)
    try:
        room = room_info(room_id)
    except NotFoundError:
        return LiveState(False, None, user)
    except APIError as exc:
        if exc.status_code == ROOM_MISSING:  # the profile names a room that is gone
            return LiveState(False, None, user)
        raise
    return LiveState(room.status == LIVE, room, user)
