"""``client.live``: join and leave rooms, start and end your own stream."""

from __future__ import annotations

import enum
from typing import Type, TypeVar, Union

from .._transport import Endpoint, Transport
from ..errors import LiveStartError, TikTokError
from ..models import (
    CanStartResponse,
    LiveStatus,
    Response,
    Room,
    RoomInfoResponse,
    RoomResponse,
    StatusChangeReason,
)
from ._base import Resource, answered_id, check_id, check_text, required, shown
from ._declare import declare, identifier

__all__ = ["Live"]

JOIN = Endpoint("GET", "aweme/v1/room/enter/", RoomResponse, query=("room_id",), result="room")
LEAVE = Endpoint("GET", "aweme/v1/room/leave/", Response, query=("room_id",))
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
    Response,
    query=("room_id", "stream_id", "status", "reason_no"),
)


# docs/protocol.rst (Live rooms): answered by the webcast host (Client(webcast_url=...)).
ROOM_INFO = Endpoint(
    "GET", "webcast/room/info/", RoomInfoResponse, query=("room_id",), result="data"
)
ROOM_ID = identifier("room", "room_id", "the live room's id")

E = TypeVar("E", bound=enum.IntEnum)


def _member(kind: Type[E], value: object, name: str) -> int:
    if type(value) is not int and not isinstance(value, kind):
        raise ValueError(f"{name} must be a {kind.__name__}, not {shown(value)}")
    try:
        return int(kind(value))
    except ValueError:
        allowed = ", ".join(f"{m.name}={m.value}" for m in kind)
        raise ValueError(f"{name} must be one of {allowed}, not {shown(value)}") from None


class Live(Resource):
    """``client.live``: join and leave rooms, start and end your own stream."""

    namespace = "live"
    summary = "live rooms: join, leave, start and end your own stream"

    def __init__(self, transport: Transport, webcast: Transport) -> None:
        super().__init__(transport)
        self._webcast = webcast

    @declare(ROOM_INFO, "a room now: status 2 live or 4 ended, and its streams", ROOM_ID)
    def room_info(self, room_id: Union[str, int]) -> Room:
        """A room as the webcast host tells it now: ``status`` 2 while live, 4 once ended,
        ``stream_url`` with its streams (docs/protocol.rst (Live rooms))."""
        answer = self._webcast.call(ROOM_INFO, {"room_id": check_id(room_id, "room_id")})
        if not isinstance(answer, RoomInfoResponse):
            raise TypeError(f"{ROOM_INFO.path} answers {ROOM_INFO.response!r}")
        return required(answer.data, ROOM_INFO)

    def join(self, room_id: Union[str, int]) -> Room:
        """Enter a room; ``room.stream_url.rtmp_pull_url`` plays in VLC."""
        return required(
            self._read(JOIN, RoomResponse, room_id=check_id(room_id, "room_id")).room, JOIN
        )

    def leave(self, room_id: Union[str, int]) -> Response:
        """Leave a room."""
        return self._read(LEAVE, Response, room_id=check_id(room_id, "room_id"))

    def can_start(self) -> bool:
        """Whether your account may go live (typically it needs 1,000 followers)."""
        return bool(
            required(self._read(CAN_START, CanStartResponse).can_be_live_podcast, CAN_START)
        )

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

    def update_status(
        self,
        room_id: Union[str, int],
        stream_id: Union[str, int],
        status: Union[LiveStatus, int],
        reason: Union[StatusChangeReason, int] = StatusChangeReason.INITIATED_BY_USER,
    ) -> Response:
        """Move a room to ``LiveStatus.STARTED`` or ``LiveStatus.ENDED``."""
        return self._read(
            UPDATE_STATUS,
            Response,
            room_id=check_id(room_id, "room_id"),
            stream_id=check_id(stream_id, "stream_id"),
            status=_member(LiveStatus, status, "status"),
            reason_no=_member(StatusChangeReason, reason, "reason"),
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

    def end(self, room_id: Union[str, int], stream_id: Union[str, int]) -> Response:
        """End your stream; you must, or the app keeps showing you as live."""
        return self.update_status(
            room_id, stream_id, LiveStatus.ENDED, StatusChangeReason.INITIATED_BY_USER
        )
