"""``client.live``: join and leave rooms, start and end your own stream."""

from __future__ import annotations

import enum
import math
import threading
from typing import List, Optional, Type, TypeVar, Union

from .._liveness import LiveState, LiveTarget, live_state
from .._recording import Dest, Recording, RecordingProgress, record_room
from .._streams import LiveStream, room_streams
from .._transport import Endpoint, Transport
from ..errors import LiveStartError, NotLiveError, TikTokError
from ..models import (
    CanStartResponse,
    Envelope,
    LiveStatus,
    Room,
    RoomInfoResponse,
    RoomResponse,
    StatusChangeReason,
)
from ._base import Resource, answered_id, check_id, check_text, required, shown
from ._declare import choice, declare, flag, identifier, text
from ._users import Users

__all__ = ["Live"]

JOIN = Endpoint("GET", "aweme/v1/room/enter/", RoomResponse, query=("room_id",), result="room")
LEAVE = Endpoint("GET", "aweme/v1/room/leave/", Envelope, query=("room_id",))
CAN_START = Endpoint(
    "GET", "aweme/v1/live/podcast/", CanStartResponse, result="can_be_live_podcast"
)
# The seed sent these as a JSON body by mistake; they belong in the query (docs/protocol.rst (The seed calls)).
CREATE_ROOM = Endpoint(
    "POST",
    "aweme/v1/room/create/",
    RoomResponse,
    query=("title", "contacts_authorized"),
    result="room",
)
UPDATE_STATUS = Endpoint(
    "GET",
    "aweme/v1/room/update/status/",
    Envelope,
    query=("room_id", "stream_id", "status", "reason_no"),
)


# docs/protocol.rst (Live rooms): answered by the webcast host (Client(webcast_url=...)).
ROOM_INFO = Endpoint(
    "GET", "webcast/room/info/", RoomInfoResponse, query=("room_id",), result="data"
)

E = TypeVar("E", bound=enum.IntEnum)


def _member(kind: Type[E], value: object, name: str) -> int:
    if type(value) is not int and not isinstance(value, kind):
        raise ValueError(f"{name} must be a {kind.__name__}, not {shown(value)}")
    try:
        return int(kind(value))
    except ValueError:
        allowed = ", ".join(f"{m.name}={m.value}" for m in kind)
        raise ValueError(f"{name} must be one of {allowed}, not {shown(value)}") from None


ROOM_ID = identifier("room", "room_id", "the live room's id")
STREAM_ID = identifier("stream", "stream_id", "the room's stream id (from `live start`)")
TITLE = text("title", "the stream's title")
CONTACTS = flag("contacts_authorized", "let contacts join the room")


class Live(Resource):
    """``client.live``: who is live, their streams, recording them (docs/live.rst); join and
    leave rooms, start and end your own stream."""

    namespace = "live"
    summary = "live rooms: join, leave, start and end your own stream"

    def __init__(self, transport: Transport, webcast: Transport) -> None:
        super().__init__(transport)
        self._webcast = webcast
        self._users = Users(transport)  # a user's room_id, for status()

    @declare(
        ROOM_INFO,
        "a room now: status 2 live or 4 ended, and its streams",
        ROOM_ID,
        command=None,  # `live status` shows it, with the webcast host its options name
    )
    def room_info(self, room_id: Union[str, int]) -> Room:
        """A room as the webcast host tells it now: ``status`` 2 while live, 4 once ended,
        ``stream_url`` with its streams (docs/protocol.rst (Live rooms))."""
        answer = self._webcast.call(ROOM_INFO, {"room_id": check_id(room_id, "room_id")})
        if not isinstance(answer, RoomInfoResponse):
            raise TypeError(f"{ROOM_INFO.path} answers {ROOM_INFO.response!r}")
        return required(answer.data, ROOM_INFO)

    def status(self, target: LiveTarget) -> LiveState:
        """Whether ``target`` is live now, from its room's ``status``, never from a flag.

        ``target`` is a user (a :class:`~tiktok.User`, a numeric id, a sec_user_id
        or ``"@handle"``) or a :class:`~tiktok.Room`. A user who is not live is
        answered (``live`` false), not raised; a room that does not exist raises.
        """
        return live_state(target, users=self._users, room_info=self.room_info)

    def streams(self, room: Room) -> List[LiveStream]:
        """The room's streams from every field room info has them in, best first (no request)."""
        if not isinstance(room, Room):
            raise TypeError(f"room must be a tiktok.Room, not {type(room).__name__}")
        return room_streams(room)

    def record(
        self,
        target: LiveTarget,
        dest: Dest,
        *,
        quality: Optional[str] = None,
        protocol: Optional[str] = None,
        max_seconds: Optional[float] = None,
        max_bytes: Optional[int] = None,
        progress: Optional[RecordingProgress] = None,
        stop: Optional[threading.Event] = None,
    ) -> Recording:
        """Record a live room to ``dest`` until it ends, a limit, or ``stop`` is set.

        ``target`` as for :meth:`status`; a user who is not live raises
        :class:`~tiktok.NotLiveError`. ``dest`` is a file path, a directory (the
        file is named ``{handle}-{room_id}-{UTC time}.flv``) or a binary file
        object. ``quality`` names a stream (``"origin"``, ``"FULL_HD1"``...; the
        best by default); HTTP-FLV is recorded unless ``protocol="hls"`` or the
        room has no FLV stream. ``max_seconds`` (of stream) and ``max_bytes``
        bound the file; ``progress(bytes, seconds)`` is called as it grows.
        See docs/live.rst (Recording).
        """
        if protocol not in (None, "flv", "hls"):
            raise ValueError(f"protocol must be None, 'flv' or 'hls', not {shown(protocol)}")
        if max_seconds is not None and not (
            type(max_seconds) in (int, float) and 0 < max_seconds < math.inf
        ):
            raise ValueError(f"max_seconds must be None or seconds > 0, not {shown(max_seconds)}")
        if max_bytes is not None and (type(max_bytes) is not int or max_bytes < 1):
            raise ValueError(f"max_bytes must be None or an int >= 1, not {shown(max_bytes)}")
        state = self.status(target)
        if not state.live or state.room is None:
            raise NotLiveError(
                f"{state.describe()} is not live",
                hint="client.live.status() says when they are; try again then",
            )
        return record_room(
            self._transport,
            state.room,
            self.room_info,
            dest,
            quality=quality,
            protocol=protocol,
            max_seconds=max_seconds,
            max_bytes=max_bytes,
            progress=progress,
            stop=stop,
        )

    @declare(JOIN, "enter a live room", ROOM_ID)
    def join(self, room_id: Union[str, int]) -> Room:
        """Enter a room; ``room.stream_url.rtmp_pull_url`` plays in VLC."""
        return required(
            self._read(JOIN, RoomResponse, room_id=check_id(room_id, "room_id")).room, JOIN
        )

    @declare(LEAVE, "leave a live room", ROOM_ID)
    def leave(self, room_id: Union[str, int]) -> Envelope:
        """Leave a room."""
        return self._read(LEAVE, Envelope, room_id=check_id(room_id, "room_id"))

    @declare(CAN_START, "whether your account may go live", login=True)
    def can_start(self) -> bool:
        """Whether your account may go live (typically it needs 1,000 followers)."""
        return bool(
            required(self._read(CAN_START, CanStartResponse).can_be_live_podcast, CAN_START)
        )

    @declare(CREATE_ROOM, "create a room without starting it", TITLE, CONTACTS, login=True)
    def create_room(self, title: str, contacts_authorized: bool = False) -> Room:
        """Create a room without starting it (see :meth:`start`)."""
        check_text(title, "title")
        answer = self._read(
            CREATE_ROOM,
            RoomResponse,
            title=title,
            contacts_authorized=1 if contacts_authorized else 0,
        )
        return required(answer.room, CREATE_ROOM)

    @declare(
        UPDATE_STATUS,
        "move a room to started or ended",
        ROOM_ID,
        STREAM_ID,
        choice(
            "status",
            "the room's new status",
            {"started": LiveStatus.STARTED, "ended": LiveStatus.ENDED},
        ),
        choice(
            "reason",
            "who moved it",
            {
                "app": StatusChangeReason.INITIATED_BY_APP,
                "user": StatusChangeReason.INITIATED_BY_USER,
            },
            default=StatusChangeReason.INITIATED_BY_USER,
        ),
        login=True,
    )
    def update_status(
        self,
        room_id: Union[str, int],
        stream_id: Union[str, int],
        status: Union[LiveStatus, int],
        reason: Union[StatusChangeReason, int] = StatusChangeReason.INITIATED_BY_USER,
    ) -> Envelope:
        """Move a room to ``LiveStatus.STARTED`` or ``LiveStatus.ENDED``."""
        return self._read(
            UPDATE_STATUS,
            Envelope,
            room_id=check_id(room_id, "room_id"),
            stream_id=check_id(stream_id, "stream_id"),
            status=_member(LiveStatus, status, "status"),
            reason_no=_member(StatusChangeReason, reason, "reason"),
        )

    @declare(
        CREATE_ROOM,
        "create a room and start streaming; keep room_id and stream_id for `live end`",
        TITLE,
        CONTACTS,
        login=True,
    )
    def start(self, title: str, contacts_authorized: bool = False) -> Room:
        """Create a room and start it. Keep ``room_id`` and ``stream_id`` for :meth:`end`.

        Raises :class:`~tiktok.LiveStartError` naming the step that failed and, if
        the room was created, the room.
        """
        try:
            room = self.create_room(title, contacts_authorized)
        except TikTokError as exc:
            raise LiveStartError("create_room", cause=exc) from exc
        try:
            self.update_status(
                answered_id(room.room_id, "room_id", CREATE_ROOM.path),
                answered_id(room.stream_id, "stream_id", CREATE_ROOM.path),
                LiveStatus.STARTED,
                StatusChangeReason.INITIATED_BY_APP,
            )
        except TikTokError as exc:
            raise LiveStartError("update_status", room, cause=exc) from exc
        return room

    @declare(UPDATE_STATUS, "end your stream", ROOM_ID, STREAM_ID, login=True)
    def end(self, room_id: Union[str, int], stream_id: Union[str, int]) -> Envelope:
        """End your stream; you must, or the app keeps showing you as live."""
        return self.update_status(
            room_id, stream_id, LiveStatus.ENDED, StatusChangeReason.INITIATED_BY_USER
        )
